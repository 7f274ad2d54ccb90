public import CofferBase
public import CofferStorage
public import Ledger
import Synchronization
public import Tenancy
import WalletCore

/// The ledger as every door offers it: assets, accounts, transfers, reversals, balances, history,
/// listings and totals, in the caller's names (a tenant's are scoped, see `TenantScope`), with the
/// same results and errors whether the CLI, the HTTP API or a worker asks.
public struct LedgerService: Sendable {
    public let store: any LedgerStore
    let assets: AssetCache

    public init(store: any LedgerStore) {
        self.store = store
        assets = AssetCache(store: store)
    }

    /// The most transfers one page of a listing holds.
    public static let maximumPage = TransferQuery.maximumLimit

    // MARK: Assets

    public func createAsset(_ request: CreateAssetRequest, by caller: Caller) async throws -> Created<AssetView> {
        try caller.require(.write)
        let names = LedgerNames(caller)
        let asset = try Asset(code: try names.assetCode(request.code), decimals: request.decimals, chain: request.chain, contract: request.contract)
        let created = try await store.createAsset(asset)
        return Created(names.view(asset), created: created)
    }

    public func asset(_ code: String, by caller: Caller) async throws -> AssetView {
        try caller.require(.read)
        let names = LedgerNames(caller)
        guard let stored = try? names.assetCode(code), let asset = try await assets.asset(stored) else {
            throw ServiceError.notFound("no asset \"\(code.prefix(40))\"")
        }
        return names.view(asset)
    }

    // MARK: Accounts

    public func createAccount(_ request: CreateAccountRequest, by caller: Caller) async throws -> Created<AccountView> {
        try caller.require(.write)
        let names = LedgerNames(caller)
        var flags: AccountFlags = []
        for name in request.flags ?? [] {
            guard let flag = AccountFlags.names.first(where: { $0.name == name }), flag.flag != .closed else {
                throw ServiceError.invalid("unknown account flag \"\(name.prefix(40))\"; use debits-must-not-exceed-credits or credits-must-not-exceed-debits")
            }
            flags.insert(flag.flag)
        }
        let account = Account(
            id: try names.id(request.id, field: "id"), asset: try names.assetCode(request.asset, field: "asset"), owner: request.owner ?? "",
            code: request.code ?? 0, metadata: request.metadata ?? "", flags: flags)
        let result = try await store.createAccount(account)
        switch result {
        case .created, .exists:
            guard let stored = try await store.account(account.id) else {
                throw LedgerError.internalFailure("account \(request.id) vanished after it was created")
            }
            return Created(try await view(stored, names), created: result == .created)
        case .assetNotFound:
            throw ServiceError(.rejected, "asset-not-found", "asset \(request.asset.prefix(40)) does not exist; create the asset first")
        case .flagsAreMutuallyExclusive:
            throw ServiceError.invalid("debits-must-not-exceed-credits and credits-must-not-exceed-debits exclude each other")
        default:
            throw ServiceError(.conflict, "account-exists",
                               "account \(request.id) already exists with a different \(result.rawValue.dropFirst("exists_with_different_".count)); accounts never change",
                               members: ["result": .string(result.rawValue)])
        }
    }

    public func account(_ id: String, by caller: Caller) async throws -> AccountView {
        try caller.require(.read)
        let names = LedgerNames(caller)
        return try await view(try await find(id, names), names)
    }

    func find(_ text: String, _ names: LedgerNames) async throws -> Account {
        guard let id = try? names.id(text, field: "id"), let account = try await store.account(id) else {
            throw ServiceError.notFound("no account \"\(text.prefix(70))\"")
        }
        return account
    }

    func view(_ account: Account, _ names: LedgerNames) async throws -> AccountView {
        let decimals = try await assets.asset(account.asset)?.decimals ?? 0
        return AccountView(
            id: names.local(account.id), asset: names.localAsset(account.asset), owner: account.owner, code: account.code,
            metadata: account.metadata, flags: AccountFlags.names.filter { account.flags.contains($0.flag) }.map(\.name),
            createdAt: LedgerTime.formatRFC3339(account.timestamp), balances: BalanceFields(account.balances, decimals: decimals))
    }

    /// The account's balances now, or after the last event at or before `time` (RFC 3339).
    public func balances(of id: String, at time: String?, by caller: Caller) async throws -> BalancesView {
        try caller.require(.read)
        let names = LedgerNames(caller)
        let account = try await find(id, names)
        let at = try time.map { text throws(LedgerError) in try LedgerTime.parseRFC3339(text) }
        guard let balances = try await store.balances(of: account.id, at: at ?? UInt64.max) else {
            throw ServiceError.notFound("no account \"\(id.prefix(70))\"")
        }
        let decimals = try await assets.asset(account.asset)?.decimals ?? 0
        return BalancesView(
            id: names.local(account.id), asset: names.localAsset(account.asset), at: at.map(LedgerTime.formatRFC3339),
            balances: BalanceFields(balances, decimals: decimals))
    }

    /// The balances at `time` (RFC 3339; now when nil) of every account the caller sees, or of
    /// those `owner` owns, in one read, in the caller's names, with each asset's decimals.
    public func selectedBalances(owner: String?, at time: String?, by caller: Caller) async throws -> SelectedBalancesView {
        try caller.require(.read)
        let names = LedgerNames(caller)
        let at = try time.map { text throws(LedgerError) in try LedgerTime.parseRFC3339(text) }
        let rows = try await store.balances(of: LedgerAccountSelection(owner: owner, idPrefix: caller.tenant?.prefix), at: at ?? UInt64.max)
        var decimals: [String: UInt8] = [:]
        var accounts: [SelectedBalancesView.Account] = []
        accounts.reserveCapacity(rows.count)
        for row in rows {
            let asset = names.localAsset(row.asset)
            if decimals[asset] == nil { decimals[asset] = try await assets.asset(row.asset)?.decimals ?? 0 }
            accounts.append(.init(id: names.local(row.id), asset: asset, owner: row.owner, balances: row.balances))
        }
        return SelectedBalancesView(accounts: accounts, decimals: decimals, at: at)
    }

    /// The account's balances after each event that changed them, oldest first.
    public func history(of id: String, page: PageRequest, by caller: Caller) async throws -> Page<HistoryEntryView> {
        try caller.require(.read)
        let names = LedgerNames(caller)
        let account = try await find(id, names)
        guard let entries = try await store.history(of: account.id, limit: page.limit, after: page.after) else {
            throw ServiceError.notFound("no account \"\(id.prefix(70))\"")
        }
        let decimals = try await assets.asset(account.asset)?.decimals ?? 0
        return entries.map { entry in
            HistoryEntryView(
                event: entry.event.rawValue, transferID: names.local(entry.transferID), timestamp: LedgerTime.formatRFC3339(entry.timestamp),
                balances: BalanceFields(entry.balances, decimals: decimals))
        }
    }

    // MARK: Transfers

    /// Submits transfers the caller wrote (at most `LedgerEngine.maximumBatchSize`) and returns one
    /// outcome each, in order, once committed. `alongside` runs with the outcomes inside the
    /// commit's transaction (see `LedgerCommitCompanion`): what it writes is durable exactly when
    /// the transfers are.
    public func submit(
        _ transfers: [Transfer], by caller: Caller, alongside: (@Sendable ([TransferOutcome], any SQLConnection) throws -> Void)? = nil
    ) async throws -> [TransferOutcome] {
        try caller.require(.write)
        let names = LedgerNames(caller)
        let stored = try transfers.map { transfer throws(LedgerError) in try names.enter(transfer) }
        let localIDs = transfers.map(\.id.value)
        var companion: LedgerCommitCompanion?
        if let alongside {
            companion = { results, connection in try alongside(Self.outcomes(localIDs, results), connection) }
        }
        return Self.outcomes(localIDs, try await store.submit(stored, companion: companion))
    }

    static func outcomes(_ ids: [String], _ results: [TransferResult]) -> [TransferOutcome] {
        zip(ids, results).map { TransferOutcome(id: $0, result: $1) }
    }

    /// Submits one transfer; a rejection is an error (`transfer-rejected`, with its result code).
    public func submitOne(
        _ transfer: Transfer, by caller: Caller, alongside: (@Sendable ([TransferOutcome], any SQLConnection) throws -> Void)? = nil
    ) async throws -> TransferOutcome {
        guard let outcome = try await submit([transfer], by: caller, alongside: alongside).first else {
            throw LedgerError.internalFailure("the ledger returned no result for transfer \(transfer.id)")
        }
        try Self.accepted(outcome)
        return outcome
    }

    /// Throws `transfer-rejected` unless `outcome` is `created` or `exists`.
    public static func accepted(_ outcome: TransferOutcome) throws(ServiceError) {
        guard outcome.result != TransferResult.created.rawValue, outcome.result != TransferResult.exists.rawValue else { return }
        throw ServiceError(.rejected, "transfer-rejected", "transfer \(outcome.id): \(outcome.message ?? outcome.result)",
                           members: ["id": .string(outcome.id), "result": .string(outcome.result)])
    }

    public func transfer(_ id: String, by caller: Caller) async throws -> TransferView {
        try caller.require(.read)
        let names = LedgerNames(caller)
        guard let stored = try? names.id(id, field: "id"), let transfer = try await store.transfer(stored) else {
            throw ServiceError.notFound("no transfer \"\(id.prefix(70))\"")
        }
        return try await view(transfer, names)
    }

    func view(_ stored: CommittedTransfer, _ names: LedgerNames) async throws -> TransferView {
        let decimals = try await assets.asset(stored.asset)?.decimals ?? 0
        let request = stored.request
        return TransferView(
            id: names.local(stored.id), debit: names.local(stored.debitAccountID), credit: names.local(stored.creditAccountID),
            amount: stored.amount, displayAmount: AmountText.display(stored.amount, decimals: decimals), asset: names.localAsset(stored.asset),
            flags: stored.flags.names, pendingID: request.pendingID.map(names.local), timeout: request.timeout, code: request.code,
            reference: request.reference, metadata: request.metadata, timestamp: LedgerTime.formatRFC3339(stored.timestamp))
    }

    /// Committed transfers matching `query`, in commit order, one page at a time.
    public func transfers(_ query: TransferListQuery, page: PageRequest, by caller: Caller) async throws -> Page<TransferView> {
        try caller.require(.read)
        let names = LedgerNames(caller)
        if query.reference?.isEmpty == true { throw ServiceError.invalid("reference is empty; give the reference to search for") }
        let time = { (text: String?) throws(LedgerError) -> UInt64? in try text.map { text throws(LedgerError) in try LedgerTime.parseRFC3339(text) } }
        let listing = try await store.transfers(TransferQuery(
            account: try query.account.map { text throws(LedgerError) in try names.id(text, field: "account") }, reference: query.reference,
            from: try time(query.from), to: try time(query.to), limit: page.limit, cursor: page.after, scope: caller.tenant))
        var views: [TransferView] = []
        views.reserveCapacity(listing.items.count)
        for transfer in listing.items { views.append(try await view(transfer, names)) }
        return Page(items: views, nextCursor: listing.nextCursor)
    }

    /// Undoes the posted transfer `id` with a new transfer (`request.id`): debit and credit swapped,
    /// same amount and asset, reference `reversal:<id>`. A rejection is `transfer-rejected`.
    public func reverse(_ id: String, _ request: ReverseRequest, by caller: Caller) async throws -> TransferOutcome {
        try caller.require(.write)
        let names = LedgerNames(caller)
        let newID = try names.id(request.id, field: "id")
        let original = try names.id(id, field: "transfer id")
        guard original != newID else { throw ServiceError.invalid("id must be a new id, not the transfer being reversed") }
        let result = try await store.reverse(original, newID: newID, naming: names.local)
        let outcome = TransferOutcome(id: request.id, result: result)
        try Self.accepted(outcome)
        return outcome
    }

    /// Per asset the caller can see, the sums of debits and credits.
    public func totals(by caller: Caller) async throws -> TotalsView {
        try caller.require(.read)
        return TotalsView(data: try await store.totals().compactMap { totals in
            guard let code = caller.local(totals.asset) else { return nil }
            return AssetTotalsView(
                asset: code, debitsPosted: totals.debitsPosted.description, creditsPosted: totals.creditsPosted.description,
                debitsPending: totals.debitsPending.description, creditsPending: totals.creditsPending.description, balanced: totals.isBalanced)
        })
    }

    /// Recomputes the hash chain and every balance (the operator's check of the whole ledger).
    public func verify(by caller: Caller) async throws -> LedgerVerificationView {
        try caller.require(.admin)
        switch try await store.verify() {
        case .intact(let batches, let transfers, let head):
            return LedgerVerificationView(intact: true, batches: batches, transfers: transfers, headHash: Hex.encode(head), reason: nil)
        case .broken(let reason):
            return LedgerVerificationView(intact: false, batches: nil, transfers: nil, headHash: nil, reason: reason)
        }
    }
}

/// A caller's names for ledger things: a tenant's are scoped (`<tenant>/<id>`), the operator's are
/// stored names as they are.
struct LedgerNames {
    let scope: TenantScope?

    init(_ caller: Caller) { scope = caller.tenant }

    func id(_ text: String, field: String) throws(LedgerError) -> LedgerID {
        guard let scope else { return try LedgerID(validating: text, field: field) }
        guard LedgerID.isValidLocal(text), let local = LedgerID(text) else {
            throw LedgerError("\(field) \"\(text.prefix(70))\" is not an id: use 1-64 characters from A-Za-z0-9._:-")
        }
        return LedgerID(scope: scope, local: local)
    }

    func assetCode(_ code: String, field: String = "code") throws(LedgerError) -> String {
        guard let scope else {
            try Asset.validate(code: code)
            return code
        }
        return try scope.assetCode(code)
    }

    func enter(_ transfer: Transfer) throws(LedgerError) -> Transfer {
        guard let scope else { return transfer }
        return try scope.enter(transfer)
    }

    func local(_ id: LedgerID) -> String { scope.map { $0.local(id).value } ?? id.value }
    func localAsset(_ code: String) -> String { scope.flatMap { $0.local(code) } ?? code }

    func view(_ asset: Asset) -> AssetView {
        AssetView(code: localAsset(asset.code), decimals: asset.decimals, chain: asset.chain, contract: asset.contract)
    }
}

/// Assets never change once created, so the service keeps those it has seen (only found ones:
/// an asset missing now may be created later) instead of reading them on every request.
final class AssetCache: Sendable {
    private let store: any LedgerStore
    private let known = Mutex<[String: Asset]>([:])

    init(store: any LedgerStore) { self.store = store }

    func asset(_ code: String) async throws -> Asset? {
        if let asset = known.withLock({ $0[code] }) { return asset }
        guard let asset = try await store.asset(code) else { return nil }
        known.withLock { known in
            if known.count > 100_000 { known.removeAll() }
            known[code] = asset
        }
        return asset
    }
}

/// Many accounts' balances read at once (`LedgerService.selectedBalances`), in the caller's names.
public struct SelectedBalancesView: Sendable {
    public struct Account: Sendable {
        public let id: String
        public let asset: String
        public let owner: String
        public let balances: AccountBalances
    }

    public let accounts: [Account]
    /// Each asset's decimals, by the caller's asset code.
    public let decimals: [String: UInt8]
    /// The time read at (nanoseconds), nil for now.
    public let at: UInt64?
}
