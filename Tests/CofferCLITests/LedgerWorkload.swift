import Foundation
import Testing

/// A transfer a CLI ledger test generated: its JSON line and what it does once committed.
struct GeneratedTransfer: Sendable {
    enum Effect: Sendable {
        /// Moves `amount` from `debit` to `credit`, posted or pending.
        case move(debit: String, credit: String, amount: UInt128, pending: Bool)
        /// Posts `amount` of a pending transfer (0: all of it), or voids it.
        case resolve(pendingID: String, amount: UInt128, post: Bool)
        /// A member of a chain the ledger always refuses: changes nothing and reports `result`.
        case refused(result: String)
    }

    let id: String
    let line: String
    let effect: Effect

    var isRefused: Bool {
        if case .refused = effect { true } else { false }
    }

    /// The results a submission may print: `created` or `exists` (committed before, perhaps by a
    /// process that was killed before it said so), or the refused chain's own code.
    var acceptableResults: Set<String> {
        if case .refused(let result) = effect { [result] } else { ["created", "exists"] }
    }
}

/// Transfers of one asset between a few hot accounts, generated in units submitted whole: single
/// transfers, linked chains of two or three (some holding a pending transfer or a post), pending
/// transfers later posted in full or in part or voided, and linked chains the ledger always refuses
/// (one member overdraws `refusingAccount`). Everything but the refused chains succeeds in the
/// order generated, whatever was committed before, so the expected balances are their sum.
struct LedgerWorkload: Sendable {
    static let asset = "USDT"
    /// Has debits-must-not-exceed-credits and is never credited: every debit from it is refused.
    static let refusingAccount = "refusing"

    let accounts: [String]
    let idPrefix: String
    /// Chains and single transfers, in order; a unit never ends with a `linked` transfer.
    private(set) var units: [[GeneratedTransfer]] = []
    private var openPendings: [(id: String, amount: UInt128)] = []
    private var counter = 0

    init(accounts: [String], idPrefix: String) {
        precondition(accounts.count >= 2)
        self.accounts = accounts
        self.idPrefix = idPrefix
    }

    var transfers: [GeneratedTransfer] { units.flatMap { $0 } }

    /// Creates the asset and the accounts on `backend`.
    func createAccounts(on backend: LedgerTestBackend) throws {
        let asset = try backend.run(["asset", "create", "--code", Self.asset, "--decimals", "6"])
        try #require(asset.status == 0, "asset create: \(asset.stderr)")
        for account in accounts + [Self.refusingAccount] {
            let flags = account == Self.refusingAccount ? ["--flags", "debits-must-not-exceed-credits"] : []
            let result = try backend.run(["account", "create", "--id", account, "--asset", Self.asset] + flags)
            try #require(result.status == 0, "account create \(account): \(result.stderr)")
        }
    }

    /// Appends `count` units.
    mutating func generate(units count: Int, using random: inout some RandomNumberGenerator) {
        for _ in 0..<count {
            units.append(unit(using: &random))
        }
    }

    private mutating func unit(using random: inout some RandomNumberGenerator) -> [GeneratedTransfer] {
        switch Int.random(in: 0..<100, using: &random) {
        case 0..<35:
            return [move(pending: false, linked: false, using: &random)]
        case 35..<55:
            let length = Int.random(in: 2...3, using: &random)
            return (0..<length).map { move(pending: false, linked: $0 < length - 1, using: &random) }
        case 55..<68:
            return [move(pending: true, linked: false, using: &random)]
        case 68..<80 where !openPendings.isEmpty:
            return [resolve(post: Bool.random(using: &random) || Bool.random(using: &random), linked: false, using: &random)]
        case 80..<90:
            // A chain holding, when one is open, the post or void of an older pending transfer, and a new one.
            var chain: [GeneratedTransfer] = []
            if !openPendings.isEmpty { chain.append(resolve(post: Bool.random(using: &random), linked: true, using: &random)) }
            chain.append(move(pending: true, linked: true, using: &random))
            chain.append(move(pending: false, linked: false, using: &random))
            return chain
        case 90..<100:
            return refusedChain(using: &random)
        default:
            return [move(pending: false, linked: false, using: &random)]
        }
    }

    private mutating func nextID() -> String {
        counter += 1
        return "\(idPrefix)\(counter)"
    }

    /// Mostly everyday amounts, now and then one beyond 2^64 so sums need all 128 bits.
    private func amount(using random: inout some RandomNumberGenerator) -> UInt128 {
        if Int.random(in: 0..<20, using: &random) == 0 {
            return UInt128.random(in: 1_000_000_000_000_000_000...1_000_000_000_000_000_000_000_000_000, using: &random)
        }
        return UInt128.random(in: 1...1_000_000, using: &random)
    }

    private mutating func move(pending: Bool, linked: Bool, using random: inout some RandomNumberGenerator) -> GeneratedTransfer {
        let debit = accounts.randomElement(using: &random)!
        let credit = accounts.filter { $0 != debit }.randomElement(using: &random)!
        let id = nextID(), amount = amount(using: &random)
        if pending { openPendings.append((id, amount)) }
        let flags = (pending ? ["pending"] : []) + (linked ? ["linked"] : [])
        return GeneratedTransfer(
            id: id, line: Self.line(id: id, debit: debit, credit: credit, amount: amount, flags: flags, reference: "load"),
            effect: .move(debit: debit, credit: credit, amount: amount, pending: pending))
    }

    /// Posts (all of it, or a part) or voids a random open pending transfer, which is then closed.
    private mutating func resolve(post: Bool, linked: Bool, using random: inout some RandomNumberGenerator) -> GeneratedTransfer {
        let pending = openPendings.remove(at: Int.random(in: 0..<openPendings.count, using: &random))
        let amount: UInt128 = post && Bool.random(using: &random) ? UInt128.random(in: 1...pending.amount, using: &random) : 0
        let flags = [post ? "post_pending" : "void_pending"] + (linked ? ["linked"] : [])
        let id = nextID()
        let line = "{\"id\":\"\(id)\",\"pending_id\":\"\(pending.id)\",\"flags\":\(Self.json(flags)),\"amount\":\"\(amount)\"}"
        return GeneratedTransfer(id: id, line: line, effect: .resolve(pendingID: pending.id, amount: amount, post: post))
    }

    /// Two or three linked transfers, one of which debits the refusing account: that one reports
    /// `exceeds_credits`, every other `linked_event_failed`, and nothing is written.
    private mutating func refusedChain(using random: inout some RandomNumberGenerator) -> [GeneratedTransfer] {
        let length = Int.random(in: 2...3, using: &random)
        let breaking = Int.random(in: 0..<length, using: &random)
        return (0..<length).map { index in
            let id = nextID()
            let debit = index == breaking ? Self.refusingAccount : accounts[0]
            let line = Self.line(
                id: id, debit: debit, credit: accounts[1], amount: amount(using: &random),
                flags: index < length - 1 ? ["linked"] : [], reference: "refused")
            return GeneratedTransfer(id: id, line: line, effect: .refused(result: index == breaking ? "exceeds_credits" : "linked_event_failed"))
        }
    }

    static func line(id: String, debit: String, credit: String, amount: UInt128, flags: [String], reference: String) -> String {
        "{\"id\":\"\(id)\",\"debit\":\"\(debit)\",\"credit\":\"\(credit)\",\"amount\":\"\(amount)\",\"asset\":\"\(asset)\""
            + (flags.isEmpty ? "" : ",\"flags\":\(json(flags))") + ",\"reference\":\"\(reference)\"}"
    }

    private static func json(_ words: [String]) -> String {
        "[" + words.map { "\"\($0)\"" }.joined(separator: ",") + "]"
    }
}

/// The balances a ledger must show after the given transfers were each committed once, in an order
/// where a pending transfer precedes its post or void.
struct ExpectedBalances {
    struct Balances: Equatable {
        var debitsPosted: UInt128 = 0, creditsPosted: UInt128 = 0, debitsPending: UInt128 = 0, creditsPending: UInt128 = 0
    }

    private(set) var accounts: [String: Balances] = [:]
    private var pendings: [String: (debit: String, credit: String, amount: UInt128)] = [:]

    init(_ transfers: some Sequence<GeneratedTransfer>) {
        for transfer in transfers { apply(transfer) }
    }

    private mutating func apply(_ transfer: GeneratedTransfer) {
        switch transfer.effect {
        case .move(let debit, let credit, let amount, let pending):
            if pending {
                pendings[transfer.id] = (debit, credit, amount)
                accounts[debit, default: Balances()].debitsPending += amount
                accounts[credit, default: Balances()].creditsPending += amount
            } else {
                accounts[debit, default: Balances()].debitsPosted += amount
                accounts[credit, default: Balances()].creditsPosted += amount
            }
        case .resolve(let pendingID, let amount, let post):
            guard let pending = pendings.removeValue(forKey: pendingID) else {
                preconditionFailure("\(transfer.id) resolves \(pendingID), which is not pending here")
            }
            accounts[pending.debit, default: Balances()].debitsPending -= pending.amount
            accounts[pending.credit, default: Balances()].creditsPending -= pending.amount
            if post {
                let posted = amount == 0 ? pending.amount : amount
                accounts[pending.debit, default: Balances()].debitsPosted += posted
                accounts[pending.credit, default: Balances()].creditsPosted += posted
            }
        case .refused:
            break
        }
    }

    /// What `coffer ledger balance ID` must show of an account: id, asset and the four balances.
    func expectedBalances(_ id: String) -> [String: String] {
        let balances = accounts[id] ?? Balances()
        return ["id": id, "asset": LedgerWorkload.asset, "debits_posted": "\(balances.debitsPosted)", "credits_posted": "\(balances.creditsPosted)",
                "debits_pending": "\(balances.debitsPending)", "credits_pending": "\(balances.creditsPending)"]
    }

    /// Every account's `balance` line from the ledger against this model; the mismatches, one a line.
    func mismatches(on backend: LedgerTestBackend, accounts ids: [String]) throws -> [String] {
        try ids.compactMap { id in
            let result = try backend.run(["balance", id])
            let actual = result.stdout.trimmingCharacters(in: .newlines)
            let object = (try? JSONSerialization.jsonObject(with: Data(actual.utf8))) as? [String: Any] ?? [:]
            let expected = expectedBalances(id)
            let shown = Dictionary(uniqueKeysWithValues: expected.keys.map { ($0, object[$0] as? String ?? "") })
            return shown == expected ? nil : "\(id): ledger \(actual.isEmpty ? result.stderr : actual), model \(expected)"
        }
    }
}

/// One issue for a whole class of problems (a count and the first few), not one per transfer.
func expectNone(_ problems: [String], _ what: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(problems.isEmpty, "\(problems.count) \(what), first: \(problems.prefix(5).joined(separator: "; "))", sourceLocation: sourceLocation)
}
