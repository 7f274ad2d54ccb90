import CofferBase
import CofferStorage

/// Split settlement in the syncer: a credit to an account with a split rule (or to an invoice
/// with one) is committed with its parts as one linked chain (credit, then depositor → recipient
/// for each part that moves money), in the same step as the credit, so the split is exactly once
/// like the credit; a reversal moves the recorded parts back before reversing the credit, again
/// as one linked chain.
extension ChainSyncer {
    /// The events of split settlement: a credit divided, a rule that did not apply (the credit
    /// stays whole), and a split moved back with its credit's reversal.
    public static let splitEventTypes = ["deposit.split", "deposit.split_skipped", "deposit.split_reversed"]

    /// A credit and what its split rule made of it.
    struct CreditPlan: Sendable {
        let deposit: Deposit
        /// The credit first, then the parts that move money; linked when there is more than one.
        let movements: [LedgerMovement]
        let split: SplitPlan?
    }

    /// The split of a credit: divided (the rule's source and every part, with those that move
    /// money) or not applied (why).
    enum SplitPlan: Sendable {
        case divided(SplitTargetKind, [SplitPart], moved: [AppliedSplitPart])
        case skipped(SplitTargetKind, reason: String)
    }

    /// A credited deposit's reversal: its split parts moved back, then the credit reversed (last).
    struct ReversalPlan: Sendable {
        let deposit: Deposit
        let movements: [LedgerMovement]
        let parts: [AppliedSplitPart]
    }

    /// The credit of `deposit` with the split the rules give it: the rule of its invoice when it
    /// has one for this account and asset, else the rule of its account.
    func plan(_ deposit: Deposit, rules: [SplitTargetKind: [String: StoredSplitRule]]) -> CreditPlan {
        let credit = credit(deposit)
        let applicable = { (rule: StoredSplitRule?) in rule.flatMap { $0.account == deposit.account && $0.asset == deposit.asset ? $0 : nil } }
        guard let rule = applicable(deposit.invoiceID.flatMap { rules[.invoice]?[$0] }) ?? applicable(rules[.account]?[deposit.account]) else {
            return CreditPlan(deposit: deposit, movements: [credit], split: nil)
        }
        let parts: [SplitPart]
        do { parts = try Split.divide(deposit.amount, rule.rule) } catch {
            return CreditPlan(deposit: deposit, movements: [credit], split: .skipped(rule.kind, reason: error.description))
        }
        // The credited account's own part stays where it was credited; a part of 0 moves nothing.
        let moved = parts.filter { $0.amount > 0 && $0.account != deposit.account }.map {
            AppliedSplitPart(creditID: credit.id, position: $0.position, account: $0.account, amount: $0.amount, transferID: "\(credit.id)-s\($0.position)")
        }
        let transfers = moved.map {
            LedgerMovement(id: $0.transferID, debitAccount: deposit.account, creditAccount: $0.account, asset: deposit.asset, amount: $0.amount,
                           reference: credit.reference)
        }
        return CreditPlan(deposit: deposit, movements: Self.chained([credit] + transfers), split: .divided(rule.kind, parts, moved: moved))
    }

    /// The reversals of credited deposits, with the split parts each credit recorded (one read).
    func reversals(of deposits: [Deposit]) async throws -> [ReversalPlan] {
        guard !deposits.isEmpty else { return [] }
        let creditIDs = Set(deposits.compactMap(\.creditID))
        let recorded = try await store.database.read { connection in try SplitSQL.parts(creditIDs: creditIDs, on: connection) }
        return deposits.map { deposit in
            let reversal = reversal(deposit)
            let parts = deposit.creditID.flatMap { recorded[$0] } ?? []
            let back = parts.map {
                LedgerMovement(id: "\(reversal.id)-s\($0.position)", debitAccount: $0.account, creditAccount: deposit.account, asset: deposit.asset,
                               amount: $0.amount, reference: reversal.reference)
            }
            return ReversalPlan(deposit: deposit, movements: Self.chained(back + [reversal]), parts: parts)
        }
    }

    /// Applies the outcomes of reversals in the step's transaction: each deposit becomes
    /// `reversed` (with its reversal id when the chain applied), and a reversed split raises
    /// `deposit.split_reversed`. Appends the step's other deposit `events`, the reversals' and
    /// then the splits'.
    static func record(_ reversals: [ReversalPlan], outcomes: [MovementOutcome], after events: [(Deposit, String)], at now: Int64,
                       on connection: any SQLConnection) throws {
        var events = events
        var splitEvents: [(scope: String, type: String, subject: String, data: JSONValue)] = []
        for (plan, outcome) in zip(reversals, grouped(outcomes, plans: reversals.map(\.movements.count))) {
            let reversalID = plan.movements.last?.id
            let applied = outcome == .applied
            let reversed = plan.deposit.with(status: .reversed, block: .some(nil), reversalID: .some(applied ? reversalID : nil), at: now)
            try ChainSyncSQL.update(reversed, on: connection)
            events.append((reversed, "deposit.reversed"))
            if applied, !plan.parts.isEmpty {
                let parts = zip(plan.parts, plan.movements).map { (account: $0.account, amount: $0.amount, transferID: Optional($1.id)) }
                splitEvents.append((reversed.scope, splitEventTypes[2], reversed.subject,
                                    splitData(reversed, transferID: reversalID, source: nil, parts: parts, reason: nil)))
            }
        }
        try append(events, at: now, on: connection)
        try EventOutbox.append(splitEvents, at: now, on: connection)
    }

    /// The split events of credits that applied, and the record of their moved parts.
    static func recordSplits(_ credited: [(CreditPlan, Deposit)], at now: Int64, on connection: any SQLConnection) throws {
        var events: [(scope: String, type: String, subject: String, data: JSONValue)] = []
        for (plan, deposit) in credited {
            switch plan.split {
            case nil:
                continue
            case .divided(let source, let parts, let moved)?:
                try SplitSQL.record(moved, on: connection)
                let transfers = Dictionary(uniqueKeysWithValues: moved.map { ($0.position, $0.transferID) })
                let described = parts.map { (account: $0.account, amount: $0.amount, transferID: transfers[$0.position]) }
                events.append((deposit.scope, splitEventTypes[0], deposit.subject,
                               splitData(deposit, transferID: deposit.creditID, source: source, parts: described, reason: nil)))
            case .skipped(let source, let reason)?:
                events.append((deposit.scope, splitEventTypes[1], deposit.subject,
                               splitData(deposit, transferID: deposit.creditID, source: source, parts: [], reason: reason)))
            }
        }
        try EventOutbox.append(events, at: now, on: connection)
    }

    /// `movements` as one linked chain: every member but the last linked to the next.
    static func chained(_ movements: [LedgerMovement]) -> [LedgerMovement] {
        movements.enumerated().map { $0.element.linked($0.offset < movements.count - 1) }
    }

    /// One outcome per plan, from the outcomes of all their movements in order (`plans` holds
    /// each plan's number of movements): applied when every movement applied, else the refusal
    /// of the member that broke the chain (not a `linked_event_failed`).
    static func grouped(_ outcomes: [MovementOutcome], plans: [Int]) -> [MovementOutcome] {
        var start = 0
        return plans.map { count in
            let group = outcomes[start..<min(start + count, outcomes.count)]
            start += count
            let refusals = group.compactMap { outcome -> String? in
                if case .refused(let reason) = outcome { return reason }
                return nil
            }
            guard let first = refusals.first else { return group.count == count ? .applied : .refused("no outcome") }
            return .refused(refusals.first { $0 != "linked_event_failed" } ?? first)
        }
    }

    /// The data of a `deposit.split*` event: the deposit, the transfer the split belongs to (the
    /// credit, or for `deposit.split_reversed` the credit's reversal), the rule's source, and each
    /// part with the transfer that moved it (null: kept by the credited account, or 0).
    static func splitData(_ deposit: Deposit, transferID: String?, source: SplitTargetKind?,
                          parts: [(account: String, amount: UInt128, transferID: String?)], reason: String?) -> JSONValue {
        .object([
            ("chain", .string(deposit.chain)), ("txid", .string(deposit.transactionID)), ("index", .integer(deposit.index)),
            ("token", deposit.token.isEmpty ? .null : .string(deposit.token)), ("account", .string(deposit.account)),
            ("asset", .string(deposit.asset)), ("amount", .string(String(deposit.amount))), ("transfer_id", transferID.map { .string($0) } ?? .null),
            ("invoice_id", deposit.invoiceID.map { .string($0) } ?? .null), ("rule", source.map { .string($0.rawValue) } ?? .null),
            ("parts", .array(parts.map { part in
                .object([("account", .string(part.account)), ("amount", .string(String(part.amount))),
                         ("transfer_id", part.transferID.map { .string($0) } ?? .null)])
            })),
            ("reason", reason.map { .string($0) } ?? .null),
        ])
    }
}
