import CofferBase
import Foundation
import Tenancy
import Vault
public import CofferStorage
public import Customers
import Ledger
import Synchronization

extension CustomerService {
    /// The longest reservation id: its post and void transfers add a 5-character suffix to it.
    static let maximumReservationID = 59

    // MARK: Configuration

    public func setLimits(_ request: SetLimitsRequest, by caller: Caller) async throws -> LimitsView {
        try caller.require(.admin)
        let names = LedgerNames(caller)
        let asset = try names.assetCode(request.asset, field: "asset")
        guard try await ledger.store.asset(asset) != nil else {
            throw ServiceError(.rejected, "asset-not-found", "asset \(request.asset.prefix(40)) does not exist; create the asset first")
        }
        let subject: CustomerStore.LimitSubject
        switch (request.tier, request.customer) {
        case (let tier?, nil): subject = .tier(try await self.tier(named: tier, caller).name)
        case (nil, let customer?): subject = .customer(try await find(customer, caller).id)
        default: throw ServiceError.invalid("give either tier or customer: whose limits these are")
        }
        let scope = Self.scope(caller)
        var configured = try await store.limits(for: subject, asset: asset, scope: scope) ?? CustomerStore.ConfiguredLimits()
        func amount(_ text: String?, _ field: String, _ current: UInt128?) throws(ServiceError) -> UInt128? {
            guard let text else { return current }
            return text == "none" ? nil : try Self.parseAmount(text, field: field)
        }
        func count(_ text: String?, _ field: String, _ current: Int?) throws(ServiceError) -> Int? {
            guard let text else { return current }
            if text == "none" { return nil }
            guard let value = Int(text), (0...1_000_000).contains(value) else { throw ServiceError.invalid("\(field) must be a count 0-1000000 or none") }
            return value
        }
        var limits = configured.limits
        limits.perTransaction = try amount(request.perTx, "per_tx", limits.perTransaction)
        limits.daily = try amount(request.daily, "daily", limits.daily)
        limits.weekly = try amount(request.weekly, "weekly", limits.weekly)
        limits.monthly = try amount(request.monthly, "monthly", limits.monthly)
        limits.payoutsPerHour = try count(request.payoutsPerHour, "payouts_per_hour", limits.payoutsPerHour)
        limits.payoutsPerDay = try count(request.payoutsPerDay, "payouts_per_day", limits.payoutsPerDay)
        limits.newDestinationPerTransaction = try amount(request.newDestinationPerTx, "new_destination_per_tx", limits.newDestinationPerTransaction)
        limits.newDestinationDaily = try amount(request.newDestinationDaily, "new_destination_daily", limits.newDestinationDaily)
        configured.limits = limits
        configured.stepUpAbove = try amount(request.stepUpAbove, "step_up_above", configured.stepUpAbove)
        let detail = "asset=\(asset) " + LimitKind.allCases.compactMap { kind in kind.limitText(in: limits).map { "\(kind.rawValue)=\($0)" } }.joined(separator: " ")
        try await store.setLimits(configured, for: subject, asset: asset, scope: scope, at: clock(),
                                  audit: audit(caller, "limits.set", subject.description, detail), time: Self.auditTime)
        return limitsView(configured, subject: subject, asset: asset, caller)
    }

    func limitsView(_ configured: CustomerStore.ConfiguredLimits, subject: CustomerStore.LimitSubject, asset: String, _ caller: Caller) -> LimitsView {
        let limits = configured.limits
        var tier: String?
        var customer: String?
        switch subject {
        case .tier(let name): tier = name
        case .customer(let id): customer = caller.local(id) ?? id
        }
        return LimitsView(tier: tier, customer: customer, asset: LedgerNames(caller).localAsset(asset), perTx: limits.perTransaction, daily: limits.daily,
                          weekly: limits.weekly, monthly: limits.monthly, payoutsPerHour: limits.payoutsPerHour, payoutsPerDay: limits.payoutsPerDay,
                          newDestinationPerTx: limits.newDestinationPerTransaction, newDestinationDaily: limits.newDestinationDaily,
                          stepUpAbove: configured.stepUpAbove)
    }

    public func limits(by caller: Caller) async throws -> [LimitsView] {
        try caller.require(.read)
        return try await store.allLimits(scope: Self.scope(caller)).map { row in
            let subject: CustomerStore.LimitSubject = row.subject.hasPrefix("tier:")
                ? .tier(String(row.subject.dropFirst(5))) : .customer(String(row.subject.dropFirst(9)))
            return limitsView(row.limits, subject: subject, asset: row.asset, caller)
        }
    }

    // MARK: Usage

    public func usage(customer id: String, asset code: String, at time: String? = nil, by caller: Caller) async throws -> LimitUsageView {
        try caller.require(.read)
        let asset = try LedgerNames(caller).assetCode(code, field: "asset")
        let at = try time.map { text throws(ServiceError) in try Self.parseTime(text, field: "at") } ?? clock()
        guard LedgerID.isValidLocal(id), let context = try await store.limitContext(customer: caller.stored(id), asset: asset, at: at) else {
            throw ServiceError.notFound("no customer \"\(id.prefix(70))\"", code: "customer-not-found")
        }
        let customer = context.customer
        let limits = context.limits(at: at)
        let raises = context.raises
        let entries = try await store.entries(customer: customer.id, asset: asset, now: at)
        func standing(_ kind: LimitKind) -> LimitStandingView {
            let used = RollingLimits.used(kind, entries: entries, now: at)
            let limit = kind.limit(in: limits)
            return LimitStandingView(limit: limit, used: used, remaining: limit.map { $0 > used ? $0 - used : 0 })
        }
        return LimitUsageView(customer: id, asset: code, tier: customer.tier, at: Self.time(at), perTx: limits.perTransaction, daily: standing(.daily),
                              weekly: standing(.weekly), monthly: standing(.monthly), payoutsPerHour: standing(.payoutsPerHour),
                              payoutsPerDay: standing(.payoutsPerDay), newDestinationDaily: standing(.newDestinationDaily),
                              raises: raises.map { caller.local($0.id) ?? $0.id })
    }

    // MARK: Check and reserve

    /// A limit check prepared for one ledger commit: `admission` runs the check and records the
    /// reservation inside the commit; `decision` holds what it decided once the commit returned.
    /// `stop` is set instead when the risk score stopped the request before any commit (held, or
    /// a step-up it lacks). The limits were worked out from a context this process may have kept
    /// (`LimitContextCache`); inside the commit the configuration version is compared, and a
    /// changed configuration is read again there, so a check never decides on stale limits.
    public final class LimitCheck: @unchecked Sendable {
        public let request: LimitRequest
        public let risk: RiskView?
        public let stop: ReservationView?
        let version: Int64?
        let factorBps: Int
        let admitter: LimitAdmitter?
        private let lock = NSLock()
        private var decided: LimitDecision?

        public convenience init(request: LimitRequest, risk: RiskView?, stop: ReservationView? = nil) {
            self.init(request: request, risk: risk, stop: stop, version: nil, factorBps: 10_000, admitter: nil)
        }

        init(request: LimitRequest, risk: RiskView?, stop: ReservationView?, version: Int64?, factorBps: Int, admitter: LimitAdmitter?) {
            self.request = request
            self.risk = risk
            self.stop = stop
            self.version = version
            self.factorBps = factorBps
            self.admitter = admitter
        }

        public var decision: LimitDecision? { lock.withLock { decided } }

        /// The same check with its reservation named `id`: a payout's is named by its amount hold,
        /// through which windows are read (see `LimitReservations`), not by the payout.
        public func naming(_ id: String) -> LimitCheck {
            LimitCheck(request: request.named(id), risk: risk, stop: stop, version: version, factorBps: factorBps, admitter: admitter)
        }

        func record(_ decision: LimitDecision) { lock.withLock { decided = decision } }

        /// For `LedgerStore.submit(_:admission:companion:)`: decided with the other checks of
        /// its group commit by `admitter` (one per process's customer service), or on its own.
        public var admission: LedgerCommitAdmission {
            LedgerCommitAdmission(admitter: admitter ?? LimitAdmitter(cache: LimitContextCache()), token: self)
        }

        /// Run in the same commit's companion with the hold's result: a hold the ledger refused
        /// takes its reservation back.
        public func settle(holdAccepted: Bool, on connection: any SQLConnection) throws {
            guard !holdAccepted, case .reserved = decision else { return }
            try LimitReservations.withdraw(request.id, on: connection)
        }
    }

    /// The customer's limit context in `asset`: kept by this process (checked against the
    /// configuration version in every commit), else read.
    func context(customer id: String, asset: String, at: Int64) async throws -> LimitContext? {
        if let kept = cache.context(customer: id, asset: asset) { return kept }
        guard let context = try await contextReads.load(LimitContextRead(key: LimitContextKey(customer: id, asset: asset), at: at)) else { return nil }
        cache.keep(context, asset: asset)
        return context
    }

    /// Prepares the limit check of a customer's request: its limits (tier, own, raises), the risk
    /// score when signals are given (which may lower them, ask for a step-up code or hold the
    /// request, the reasons stored with the decision). Nil when the account has no customer
    /// owner (nothing to limit).
    public func prepare(id storedID: String, account: Account, asset: String, amount: UInt128, at: Int64, destination: String?, kind: String,
                        signals: RiskSignalsRequest?, customer named: String?, by caller: Caller) async throws -> LimitCheck? {
        let ownerID = caller.stored(account.owner)
        if let named, caller.stored(named) != ownerID || account.owner.isEmpty {
            if try await store.customer(caller.stored(named)) == nil {
                throw ServiceError.notFound("no customer \"\(named.prefix(70))\"", code: "customer-not-found")
            }
            throw ServiceError(.rejected, "account-not-owned", "account \(LedgerNames(caller).local(account.id)) is not owned by customer \(named.prefix(64))")
        }
        guard !account.owner.isEmpty, let context = try await context(customer: ownerID, asset: asset, at: at) else {
            if let named { throw ServiceError.notFound("no customer \"\(named.prefix(70))\"", code: "customer-not-found") }
            return nil
        }
        let limits = context.limits(at: at)
        let request = LimitRequest(id: storedID, customer: context.customer.id, asset: asset, account: account.id.value, amount: amount, at: at,
                                   destination: destination, kind: kind, limits: limits)
        func check(_ request: LimitRequest, risk: RiskView?, stop: ReservationView? = nil, bps: Int = 10_000) -> LimitCheck {
            LimitCheck(request: request, risk: risk, stop: stop, version: context.version, factorBps: bps, admitter: admitter)
        }
        guard let signals, !signals.isEmpty else { return check(request, risk: nil) }
        let outcome = try await assess(signals, customer: context.customer, asset: asset, amount: amount, at: at, destination: destination,
                                       stepUpAbove: context.configured.stepUpAbove, requestID: storedID, caller: caller)
        let local = caller.local(storedID) ?? storedID
        switch outcome.verdict {
        case .hold: return check(request, risk: outcome.view, stop: ReservationView(id: local, result: "held", risk: outcome.view))
        case .stepUpRequired: return check(request, risk: outcome.view, stop: ReservationView(id: local, result: "step_up_required", risk: outcome.view))
        case .stepUpFailed: return check(request, risk: outcome.view, stop: ReservationView(id: local, result: "step_up_failed", risk: outcome.view))
        case .proceed(let bps): return check(request.limited(to: limits.scaled(bps: bps)), risk: outcome.view, bps: bps)
        }
    }

    /// Holds `amount` on the customer's account (a pending transfer) and counts it against its
    /// limits in the same ledger commit; see `ReserveRequest`.
    public func reserve(_ request: ReserveRequest, by caller: Caller) async throws -> ReservationView {
        try caller.require(.write)
        let names = LedgerNames(caller)
        guard request.id.utf8.count <= Self.maximumReservationID else {
            throw ServiceError.invalid("id: at most \(Self.maximumReservationID) characters (its post and void transfers add a suffix)")
        }
        let transferID = try names.id(request.id, field: "id")
        let accountID = try names.id(request.account, field: "account")
        let asset = try names.assetCode(request.asset, field: "asset")
        let amount = try Self.parseAmount(request.amount, field: "amount")
        guard amount > 0 else { throw ServiceError.invalid("amount must be more than 0") }
        var at = clock()
        if let text = request.at { at = try Self.parseTime(text, field: "at") }
        if let destination = request.destination, !(1...128).contains(destination.utf8.count) {
            throw ServiceError.invalid("destination: 1-128 characters")
        }
        guard LedgerID.isValidLocal(request.customer) else { throw ServiceError.notFound("no customer \"\(request.customer.prefix(70))\"", code: "customer-not-found") }
        guard let account = try await cachedAccount(accountID) else {
            throw ServiceError.notFound("no account \"\(request.account.prefix(70))\"", code: "account-not-found")
        }
        guard account.asset == asset else {
            throw ServiceError.invalid("account \(request.account) holds \(names.localAsset(account.asset)), not \(request.asset)")
        }
        let credit = try await outgoingAccount(request.to, asset: asset, names: names)
        guard let check = try await prepare(id: transferID.value, account: account, asset: asset, amount: amount, at: at, destination: request.destination,
                                            kind: "transfer", signals: request.signals, customer: request.customer, by: caller) else {
            throw ServiceError.notFound("no customer \"\(request.customer.prefix(70))\"", code: "customer-not-found")
        }
        if let stop = check.stop { return stop }
        let hold = Transfer(id: transferID, debitAccountID: accountID, creditAccountID: credit, amount: amount, asset: asset, flags: .pending,
                            reference: "limit-reservation")
        let committed = try await ledger.store.submit([hold], admission: check.admission) { results, connection in
            let accepted = results.first == .created || results.first == .exists
            try check.settle(holdAccepted: accepted, on: connection)
        }
        return try Self.reservationView(request.id, committed: committed, check: check)
    }

    /// What a reservation's commit came to, in words a client can act on.
    static func reservationView(_ id: String, committed: AdmittedResults, check: LimitCheck) throws -> ReservationView {
        let decision = check.decision
        guard committed.admitted, let result = committed.results.first else {
            if case .refused(let standing)? = decision {
                return ReservationView(id: id, result: "limit_exceeded", limit: standing.kind.rawValue, remaining: standing.remaining, risk: check.risk)
            }
            throw LedgerError.internalFailure("the ledger left out reservation \(id) without a limit refusal")
        }
        if result == .created, case .reserved(let newDestination)? = decision {
            return ReservationView(id: id, result: "reserved", newDestination: newDestination, risk: check.risk)
        }
        if result == .exists, case .exists(let state)? = decision {
            return ReservationView(id: id, result: state.rawValue, risk: check.risk)
        }
        if result == .exists || result.rawValue.hasPrefix("exists_with_different") {
            throw ServiceError(.conflict, "reservation-id-taken", "id \(id) names another ledger transfer or reservation; use a new id")
        }
        try LedgerService.accepted(TransferOutcome(id: id, result: result))
        throw LedgerError.internalFailure("reservation \(id) ended as \(result.rawValue)")
    }

    /// The account a reservation's amount goes to when committed: `to`, or the asset's
    /// `outgoing:ASSET` account (opened on first use).
    func outgoingAccount(_ to: String?, asset: String, names: LedgerNames) async throws -> LedgerID {
        if let to {
            let id = try names.id(to, field: "to")
            guard try await cachedAccount(id) != nil else { throw ServiceError.notFound("no account \"\(to.prefix(70))\"", code: "account-not-found") }
            return id
        }
        // The stored asset code names its tenant, so the account it maps to is the same for every caller.
        if let known = cache.outgoing(asset) { return known }
        let id = try names.id("outgoing:" + names.localAsset(asset), field: "to")
        if try await cachedAccount(id) == nil {
            let result = try await ledger.store.createAccount(Account(id: id, asset: asset, owner: "", code: 0, metadata: "reservations committed", flags: []))
            guard result == .created || result == .exists else {
                throw ServiceError(.rejected, "account-not-created", "cannot open account \(names.local(id)): \(result.rawValue)")
            }
        }
        cache.keep(outgoing: id, asset: asset)
        return id
    }

    /// Commits (posts) or releases (voids) a reservation: the pending transfer and the limit entry
    /// change in one commit. A released amount is back in every window; a committed one stays.
    public func finish(_ id: String, commit: Bool, by caller: Caller) async throws -> ReservationView {
        try caller.require(.write)
        let names = LedgerNames(caller)
        let stored = try names.id(id, field: "id")
        guard try await store.reservation(stored.value) != nil else {
            throw ServiceError.notFound("no reservation \"\(id.prefix(70))\"", code: "reservation-not-found")
        }
        let finishing = Transfer(id: try LedgerID(validating: stored.value + (commit ? ":post" : ":void"), field: "id"), debitAccountID: nil,
                                 creditAccountID: nil, amount: 0, asset: nil, flags: commit ? .postPending : .voidPending, pendingID: stored,
                                 reference: "limit-reservation")
        let results = try await ledger.store.submit([finishing]) { results, connection in
            guard results.first == .created || results.first == .exists else { return }
            try LimitReservations.finish([stored.value], as: commit ? .posted : .voided, on: connection)
        }
        switch results.first {
        case .created?, .exists?:
            return ReservationView(id: id, result: commit ? "posted" : "voided")
        case .pendingTransferAlreadyPosted?, .pendingTransferAlreadyVoided?, .pendingTransferExpired?:
            throw ServiceError(.conflict, "reservation-finished", "reservation \(id) was \(results.first!.rawValue.replacingOccurrences(of: "pending_transfer_", with: "").replacingOccurrences(of: "_", with: " ")); it cannot be \(commit ? "committed" : "released") now")
        case let result?:
            try LedgerService.accepted(TransferOutcome(id: id, result: result))
            throw LedgerError.internalFailure("reservation \(id) ended as \(result.rawValue)")
        case nil:
            throw LedgerError.internalFailure("the ledger returned no result for reservation \(id)")
        }
    }
}

extension CustomerService {
    /// An account as the limit check needs it: its id, asset and owner never change, so this
    /// process keeps what it read (balances are the ledger's business, inside its commit).
    func cachedAccount(_ id: LedgerID) async throws -> Account? {
        if let kept = cache.account(id.value) { return kept }
        guard let account = try await accountReads.load(id) else { return nil }
        cache.keep(account)
        return account
    }
}

/// A limit context wanted at a moment (raises not lapsed then): see `CustomerService.contextReads`.
struct LimitContextRead: Hashable, Sendable {
    let key: LimitContextKey
    let at: Int64
}

/// What a process keeps between limit checks: customers' limit contexts (valid while the
/// configuration version is the one they were read at; every commit compares it) and accounts'
/// immutable facts. Bounded: emptied when it grows past `capacity` entries.
final class LimitContextCache: @unchecked Sendable {
    static let capacity = 100_000
    private let lock = NSLock()
    private var contexts: [String: LimitContext] = [:]
    private var accounts: [String: Account] = [:]
    private var outgoing: [String: LedgerID] = [:]
    private var version: Int64 = -1

    func context(customer: String, asset: String) -> LimitContext? {
        lock.withLock { contexts[customer + "\u{0}" + asset] }
    }

    func keep(_ context: LimitContext, asset: String) {
        lock.withLock {
            if context.version != version {
                // Read at another version: what is kept from the older one may be stale.
                if context.version > version { contexts.removeAll(keepingCapacity: true) }
                version = max(version, context.version)
                if context.version < version { return }
            }
            if contexts.count >= Self.capacity { contexts.removeAll(keepingCapacity: true) }
            contexts[context.customer.id + "\u{0}" + asset] = context
        }
    }

    /// A commit found the configuration changed: nothing kept is trusted any more.
    func forget() {
        lock.withLock { contexts.removeAll(keepingCapacity: true) }
    }

    func account(_ id: String) -> Account? { lock.withLock { accounts[id] } }

    /// The `outgoing:ASSET` account of a stored asset code, once it is known to exist.
    func outgoing(_ asset: String) -> LedgerID? { lock.withLock { outgoing[asset] } }

    func keep(outgoing id: LedgerID, asset: String) {
        lock.withLock {
            if outgoing.count >= Self.capacity { outgoing.removeAll(keepingCapacity: true) }
            outgoing[asset] = id
        }
    }

    func keep(_ account: Account) {
        lock.withLock {
            if accounts.count >= Self.capacity { accounts.removeAll(keepingCapacity: true) }
            accounts[account.id.value] = account
        }
    }
}

extension CustomerStore.LimitSubject: CustomStringConvertible {
    public var description: String {
        switch self {
        case .tier(let name): "tier:\(name)"
        case .customer(let id): "customer:\(id)"
        }
    }
}

extension LimitKind {
    func limitText(in set: LimitSet) -> String? { limit(in: set).map { String($0) } }
}

extension CustomerService {
    /// A reservation the limits or the risk score stopped, as the error a payout answers:
    /// `limit-exceeded` (which limit, what remains), `step-up-required`, `step-up-failed` or
    /// `held-for-review`, with the risk reasons when there are some.
    public static func refusal(_ view: ReservationView) -> ServiceError {
        var members: [String: JSONValue] = ["result": .string(view.result)]
        if let limit = view.limit { members["limit"] = .string(limit) }
        if let remaining = view.remaining { members["remaining"] = .string(String(remaining)) }
        if let risk = view.risk {
            members["risk_score"] = .number(String(risk.score))
            members["risk_reasons"] = .array(risk.reasons.map { .string($0.code) })
        }
        switch view.result {
        case "limit_exceeded":
            return ServiceError(.rejected, "limit-exceeded",
                                "the \(view.limit ?? "") limit does not allow this amount; \(view.remaining.map(String.init) ?? "0") remains", members: members)
        case "step_up_required":
            return ServiceError(.forbidden, "step-up-required", "this request needs a step-up code (TOTP): send it as signals.step_up_code", members: members)
        case "step_up_failed":
            return ServiceError(.forbidden, "step-up-failed", "the step-up code is wrong or was used already", members: members)
        default:
            return ServiceError(.rejected, "held-for-review", "the request is held for review (risk score \(view.risk?.score ?? 0))", members: members)
        }
    }
}

/// Decides the limit checks of one group commit together (`LimitReservations.reserveAll`): the
/// configuration version is compared once, stale limits are read again inside the commit, and
/// each check records its decision.
final class LimitAdmitter: LedgerGroupAdmitter {
    let cache: LimitContextCache
    /// This process's copy of the windows (see `LimitWindows`).
    let windows = LimitWindows()

    init(cache: LimitContextCache) { self.cache = cache }

    /// The group's state (`LimitReservations.groupStateQuery`), for the commit to read with its head.
    func prelude(for tokens: [any Sendable], dialect: SQLDialect) -> CofferStorage.SQL? {
        LimitReservations.groupStateQuery(of: tokens.compactMap { ($0 as? CustomerService.LimitCheck)?.request }, dialect: dialect)
    }

    func admit(_ tokens: [any Sendable], prelude: [any SQLRow]?, on connection: any SQLConnection) throws -> [Bool] {
        let checks = tokens.compactMap { $0 as? CustomerService.LimitCheck }
        guard checks.count == tokens.count else { throw LedgerError.internalFailure("a limit admission was handed something else") }
        let state = try prelude.map(LimitReservations.GroupState.init(rows:))
            ?? LimitReservations.groupState(of: checks.lazy.map(\.request), on: connection)
        let version = state.version
        var requests: [LimitRequest] = []
        requests.reserveCapacity(checks.count)
        var refreshed = false
        for check in checks {
            guard let read = check.version, read != version else {
                requests.append(check.request)
                continue
            }
            // Tiers, limits or raises changed since the limits were worked out: read them again here.
            let request = check.request
            let fresh = try CustomerStore.limitContext(customer: request.customer, asset: request.asset, at: request.at, on: connection)
            requests.append(request.limited(to: fresh?.limits(at: request.at).scaled(bps: check.factorBps) ?? LimitSet()))
            refreshed = true
        }
        if refreshed { cache.forget() }
        let decisions = try LimitReservations.reserveAll(requests, windows: windows, state: state, on: connection)
        return zip(checks, decisions).map { check, decision in
            check.record(decision)
            if case .refused = decision { return false }
            return true
        }
    }
}
