import CofferBase
public import CofferStorage

/// Work that runs in a ledger commit's own transaction once a batch is decided, given its
/// results: another store's writes that must be durable exactly when the transfers are (an
/// idempotent response, a signing request for a reservation). It runs on the commit's connection,
/// on either database; if it throws, the whole group commit fails and every caller in it gets the
/// error (nothing is written), so it should throw only where the commit must fail anyway.
public typealias LedgerCommitCompanion = @Sendable (_ results: [TransferResult], _ connection: any SQLConnection) throws -> Void

/// A check that runs in a ledger commit's own transaction before its batch is decided, under
/// the same write lock (SQLite's IMMEDIATE transaction, PostgreSQL's commit lock), after the
/// checks of batches queued before it in the same group commit. It may read and write other
/// tables on the commit's connection (a limit check reads the customer's window and inserts its
/// reservation); refusing leaves its batch out of the commit (the caller gets no results)
/// without failing the others in the group. Because every commit of every process runs its
/// admissions one group after another under that lock, concurrent checks can never together
/// admit more than any one of them would alone. Throwing fails the whole group commit.
///
/// Consecutive admissions of one group commit that share an `admitter` are decided by one call
/// with all their tokens, in order: a limit check reads the windows of every customer of the
/// group in one statement and inserts every reservation in another, instead of a few statements
/// per request.
public struct LedgerCommitAdmission: Sendable {
    public let admitter: any LedgerGroupAdmitter
    public let token: any Sendable

    public init(admitter: any LedgerGroupAdmitter, token: any Sendable) {
        self.admitter = admitter
        self.token = token
    }

    /// An admission decided on its own by `check`.
    public init(_ check: @escaping @Sendable (_ connection: any SQLConnection) throws -> Bool) {
        admitter = SingleAdmitter(check)
        token = 0
    }
}

/// Decides the admissions of several batches of one group commit at once (see `LedgerCommitAdmission`).
public protocol LedgerGroupAdmitter: AnyObject, Sendable {
    /// A read the commit may run for these tokens itself, in the statement that reads the
    /// ledger's head under the commit lock (over PostgreSQL's wire a round trip fewer), handing
    /// its rows to `admit`. Nil (the default) asks for none. Only the group's first run of
    /// admissions is offered it, and the commit may decline (SQLite does).
    func prelude(for tokens: [any Sendable], dialect: SQLDialect) -> CofferStorage.SQL?
    /// One answer per token, in order: whether that batch goes in. `prelude`: the rows of the
    /// `prelude` read the commit ran, or nil when it ran none (the admitter reads for itself).
    func admit(_ tokens: [any Sendable], prelude: [any SQLRow]?, on connection: any SQLConnection) throws -> [Bool]
}

extension LedgerGroupAdmitter {
    public func prelude(for tokens: [any Sendable], dialect: SQLDialect) -> CofferStorage.SQL? { nil }
}

/// An admission that is a closure of its own (never grouped with another).
final class SingleAdmitter: LedgerGroupAdmitter {
    let check: @Sendable (any SQLConnection) throws -> Bool

    init(_ check: @escaping @Sendable (any SQLConnection) throws -> Bool) { self.check = check }

    func admit(_ tokens: [any Sendable], prelude: [any SQLRow]?, on connection: any SQLConnection) throws -> [Bool] {
        try tokens.map { _ in try check(connection) }
    }
}

/// What the pending-expiry pulse (`PendingExpiryService`) needs from a store. `LedgerStore`
/// refines it, so every store provides it; the service asks for no more, so a test can hand it a
/// store that fails on purpose.
public protocol PendingExpiryStore: Sendable {
    /// The earliest expiry (nanoseconds since 1970) of a pending transfer that is neither posted,
    /// voided nor expired, or nil when no open pending transfer has a timeout. Reads only; an index
    /// on the expiry serves it (see `LedgerExpirySQL.nextExpiry`).
    func nextExpiry() async throws -> UInt64?
    /// Commits a batch of no transfers at the store's clock: it expires every pending transfer
    /// due by then, each at the moment of its timeout (`LedgerEngine.expirePending`), and returns
    /// how many it released. It is serialised with client batches and with other processes'
    /// commits exactly as they are, so an expiry is recorded once however many processes pulse.
    /// When nothing is due it writes nothing: no empty batch enters the hash chain.
    func expireDue() async throws -> Int
    /// Fired after this store committed a pending transfer with a timeout, so a sleeping pulse
    /// looks at `nextExpiry()` again at once.
    var pendingExpirySignal: PendingExpirySignal { get }
}

/// Where the ledger lives. Every implementation decides transfers with `LedgerEngine`, commits
/// a batch atomically and returns results only after the commit is durable.
public protocol LedgerStore: PendingExpiryStore {
    /// The database the ledger is in: companions of a commit write to it.
    var database: any SQLDatabase { get }
    /// Creates an asset; true if created, false if an identical one exists. Throws if one with
    /// the same code differs.
    func createAsset(_ asset: Asset) async throws -> Bool
    func asset(_ code: String) async throws -> Asset?
    /// Creates an account with zero balances (its timestamp and balances are set by the store).
    func createAccount(_ account: Account) async throws -> AccountResult
    /// Creates several accounts, one result each in order; a store may do it in one transaction.
    func createAccounts(_ accounts: [Account]) async throws -> [AccountResult]
    func account(_ id: LedgerID) async throws -> Account?
    /// The accounts among `ids` that exist (a store over a network reads them in one statement).
    func accounts(_ ids: [LedgerID]) async throws -> [LedgerID: Account]
    /// Decides and commits a batch of at most `LedgerEngine.maximumBatchSize` transfers; one
    /// result per transfer, in order. `companion` (see `LedgerCommitCompanion`) runs inside the
    /// commit's transaction with those results.
    func submit(_ transfers: [Transfer], companion: LedgerCommitCompanion?) async throws -> [TransferResult]
    /// Like `submit(_:companion:)`, with `admission` (see `LedgerCommitAdmission`) deciding inside
    /// the commit whether the batch goes in at all: not `admitted` when it answered false
    /// (nothing of the batch is written; the companion still runs, with no results).
    /// (A struct, not an optional array: Swift 6.3's debug build corrupted the caller's async
    /// frame when an optional came back through this requirement of `any LedgerStore`.)
    func submit(_ transfers: [Transfer], admission: LedgerCommitAdmission?, companion: LedgerCommitCompanion?) async throws -> AdmittedResults
    /// The account's balances after the last event at or before `timestamp` (nanoseconds); nil if no such account.
    func balances(of id: LedgerID, at timestamp: UInt64) async throws -> AccountBalances?
    /// The balances in effect at `timestamp` (nanoseconds) of every account `selection` picks,
    /// in id order, in one read: what a portfolio valuation needs for any number of accounts.
    func balances(of selection: LedgerAccountSelection, at timestamp: UInt64) async throws -> [SelectedAccountBalances]
    /// Recomputes the hash chain and every balance from the committed transfers.
    func verify() async throws -> LedgerVerification
    /// The committed transfer with this id, or nil.
    func transfer(_ id: LedgerID) async throws -> CommittedTransfer?
    /// The account's balances after each event that changed them, oldest first, at most `limit`
    /// (1...`TransferQuery.maximumLimit`) entries strictly after `cursor`; nil if no such account.
    func history(of id: LedgerID, limit: Int, after cursor: PageCursor?) async throws -> Page<BalanceHistoryEntry>?
    /// Committed transfers matching `query`, in commit order, one page at a time.
    func transfers(_ query: TransferQuery) async throws -> Page<CommittedTransfer>
    /// Per asset (every asset, in code order), the sums of debits and credits posted and pending.
    func totals() async throws -> [AssetTotals]
}

extension LedgerStore {
    /// One read per id: right for a store in this process, where a read costs no round trip.
    public func accounts(_ ids: [LedgerID]) async throws -> [LedgerID: Account] {
        var accounts: [LedgerID: Account] = [:]
        for id in ids { accounts[id] = try await account(id) }
        return accounts
    }

    /// Decides and commits `transfers`; one result per transfer, in order.
    public func submit(_ transfers: [Transfer]) async throws -> [TransferResult] {
        try await submit(transfers, companion: nil)
    }

    /// One `createAccount` after another, for stores without a faster way.
    public func createAccounts(_ accounts: [Account]) async throws -> [AccountResult] {
        var results: [AccountResult] = []
        for account in accounts { results.append(try await createAccount(account)) }
        return results
    }

    /// Submits the transfer that undoes the posted transfer `original` (see `TransferReversal`);
    /// idempotent by `newID` like every transfer. Throws for an unknown or unreversible original,
    /// or one already reversed under another id. Two concurrent callers with different new ids
    /// pass that check together, but the commit admits one reversal reference per original: the
    /// second gets `already_reversed`. Messages name transfers with `name` (a tenant's own ids).
    public func reverse(_ original: LedgerID, newID: LedgerID, naming name: (LedgerID) -> String = \.value) async throws -> TransferResult {
        guard let committed = try await transfer(original) else {
            throw LedgerError(.notFound, "transfer-not-found", "no committed transfer \"\(name(original).prefix(70))\"; only committed, posted transfers can be reversed")
        }
        let earlier = try await transfers(TransferQuery(reference: TransferReversal.reference(reversing: original), limit: 1)).items
        if let earlier = earlier.first, earlier.id != newID {
            throw LedgerError(.rejected, "already-reversed",
                              "transfer \(name(original)) was already reversed by \(name(earlier.id)); reversing it again would undo it twice")
        }
        let reversal: Transfer
        do {
            reversal = try TransferReversal.reversal(of: committed, id: newID)
        } catch {
            throw LedgerError(error.category, error.code, "transfer \(name(original)): \(error.description)")
        }
        let results = try await submit([reversal])
        guard let result = results.first else { throw LedgerError.internalFailure("the store returned no result for transfer \(newID)") }
        return result
    }
}

/// A batch's results, and whether its admission let it in (when not, `results` is empty).
public struct AdmittedResults: Sendable, Equatable {
    public let admitted: Bool
    public let results: [TransferResult]

    public init(admitted: Bool, results: [TransferResult]) {
        self.admitted = admitted
        self.results = results
    }
}

/// The result of recomputing a ledger.
public enum LedgerVerification: Sendable, Equatable {
    case intact(batches: Int, transfers: Int, head: [UInt8])
    /// The first discrepancy found, in words.
    case broken(String)
}

/// Which accounts a bulk balance read covers: those of one owner, those whose id starts with a
/// prefix (a tenant's `<tenant>/`), both, or (neither) every account.
public struct LedgerAccountSelection: Sendable, Hashable {
    public var owner: String?
    public var idPrefix: String?

    public init(owner: String? = nil, idPrefix: String? = nil) {
        self.owner = owner
        self.idPrefix = idPrefix
    }

    /// The ids from `idPrefix` (inclusive) to the first string after every id with that prefix
    /// (exclusive): the prefix with its last byte raised by one. nil without a prefix.
    var idRange: (from: String, to: String)? {
        guard let prefix = idPrefix, var bytes = Optional(Array(prefix.utf8)), let last = bytes.popLast(), last < 0x7F else { return nil }
        bytes.append(last + 1)
        return (prefix, String(decoding: bytes, as: UTF8.self))
    }
}

/// One account's balances as a bulk read returns them.
public struct SelectedAccountBalances: Sendable, Hashable {
    public let id: LedgerID
    public let asset: String
    public let owner: String
    public let balances: AccountBalances

    public init(id: LedgerID, asset: String, owner: String, balances: AccountBalances) {
        self.id = id
        self.asset = asset
        self.owner = owner
        self.balances = balances
    }
}
