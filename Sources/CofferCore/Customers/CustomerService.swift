public import CofferBase
import Tenancy
public import Customers
import Foundation
import Ledger
import Vault

/// Customers, tiers, KYC and limits as every door offers them (the CLI, the HTTP API, the payout
/// pipeline): in the caller's names, with typed errors, every change audited in the vault's chain.
public struct CustomerService: Sendable {
    public let store: CustomerStore
    public let ledger: LedgerService
    public let vault: VaultAccess
    public let riskPolicy: RiskPolicy
    public let amlSettings: AMLRuleSettings
    /// Seconds since 1970.
    public let clock: @Sendable () -> Int64
    /// Limit contexts and account facts kept between checks (see `LimitContextCache`).
    let cache: LimitContextCache
    /// Decides this service's limit checks together within each group commit.
    let admitter: LimitAdmitter
    /// Reads the limit contexts missing from `cache` for concurrent callers in batches.
    let contextReads: CoalescingLoader<LimitContextRead, LimitContext>
    /// Reads the accounts missing from `cache` for concurrent callers in batches.
    let accountReads: CoalescingLoader<LedgerID, Account>

    public init(store: CustomerStore, ledger: LedgerService, vault: VaultAccess, riskPolicy: RiskPolicy = RiskPolicy(),
                amlSettings: AMLRuleSettings = AMLRuleSettings(), clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.store = store
        self.ledger = ledger
        self.vault = vault
        self.riskPolicy = riskPolicy
        self.amlSettings = amlSettings
        self.clock = clock
        cache = LimitContextCache()
        admitter = LimitAdmitter(cache: cache)
        contextReads = CoalescingLoader { requests in
            let read = try await store.limitContexts(Array(Set(requests.map(\.key))), at: requests.map(\.at).min() ?? 0)
            return Dictionary(uniqueKeysWithValues: requests.compactMap { request in read[request.key].map { (request, $0) } })
        }
        accountReads = CoalescingLoader { ids in try await ledger.store.accounts(ids) }
    }

    /// The vault service key that seals TOTP secrets.
    public static let stepUpKeyPurpose = "step-up"

    // MARK: Names and times

    static func scope(_ caller: Caller) -> String { caller.tenant?.prefix ?? "" }

    static func time(_ seconds: Int64) -> String { LedgerTime.formatRFC3339(UInt64(clamping: seconds) &* 1_000_000_000) }

    static func parseTime(_ text: String, field: String) throws(ServiceError) -> Int64 {
        do {
            return Int64(clamping: try LedgerTime.parseRFC3339(text) / 1_000_000_000)
        } catch {
            throw ServiceError.invalid("\(field) \"\(text.prefix(40))\" is not an RFC 3339 time, e.g. 2026-12-01T10:00:00Z")
        }
    }

    static func parseAmount(_ text: String, field: String) throws(ServiceError) -> UInt128 {
        do {
            return try AmountText.parse(text, field: field)
        } catch {
            throw ServiceError.invalid(error.description)
        }
    }

    func audit(_ caller: Caller, _ action: String, _ subject: String, _ detail: String = "") -> AuditEvent {
        AuditEvent(actor: caller.actor, action: action, subject: subject, outcome: "ok", detail: detail)
    }

    static var auditTime: String { VaultClock.format(Date()) }

    func view(_ customer: Customer, _ caller: Caller) -> CustomerView {
        CustomerView(id: caller.local(customer.id) ?? customer.id, tier: customer.tier, kyc: customer.kyc.rawValue,
                     createdAt: Self.time(customer.createdAt), updatedAt: Self.time(customer.updatedAt))
    }

    /// The caller's customer `id`, or not-found.
    func find(_ id: String, _ caller: Caller) async throws -> Customer {
        guard LedgerID.isValidLocal(id), let customer = try await store.customer(caller.stored(id)) else {
            throw ServiceError.notFound("no customer \"\(id.prefix(70))\"", code: "customer-not-found")
        }
        return customer
    }

    func tier(named name: String, _ caller: Caller) async throws -> CustomerTier {
        let tiers = try await store.tiers(scope: Self.scope(caller))
        guard let tier = tiers.first(where: { $0.name == name }) else {
            throw ServiceError.invalid("unknown tier \"\(name.prefix(40))\"; tiers: \(tiers.map(\.name).joined(separator: ", "))", code: "unknown-tier")
        }
        return tier
    }

    // MARK: Customers

    public func create(_ request: CreateCustomerRequest, by caller: Caller) async throws -> Created<CustomerView> {
        try caller.require(.write)
        guard LedgerID.isValidLocal(request.id) else {
            throw ServiceError.invalid("id \"\(request.id.prefix(70))\" is not an id: use 1-64 characters from A-Za-z0-9._:-")
        }
        let tier = try await self.tier(named: request.tier ?? CustomerTier.anonymous.name, caller)
        let now = clock()
        let customer = Customer(id: caller.stored(request.id), scope: Self.scope(caller), tier: tier.name, kyc: .none, createdAt: now, updatedAt: now)
        if try await store.create(customer, audit: audit(caller, "customer.create", customer.id, "tier=\(tier.name)"), time: Self.auditTime) {
            return Created(view(customer, caller), created: true)
        }
        let existing = try await find(request.id, caller)
        guard request.tier == nil || existing.tier == tier.name else {
            throw ServiceError(.conflict, "customer-exists", "customer \(request.id) exists with tier \(existing.tier); change it with `customer tier`")
        }
        return Created(view(existing, caller), created: false)
    }

    public func customer(_ id: String, by caller: Caller) async throws -> CustomerView {
        try caller.require(.read)
        return view(try await find(id, caller), caller)
    }

    public func customers(page: PageRequest, by caller: Caller) async throws -> Page<CustomerView> {
        try caller.require(.read)
        let after = page.after.map { caller.stored($0.key) }
        let rows = try await store.customers(scope: Self.scope(caller), after: after, limit: page.limit + 1)
        let items = rows.prefix(page.limit).map { view($0, caller) }
        return Page(items: Array(items), nextCursor: rows.count > page.limit ? items.last.map { PageCursor(position: 0, key: $0.id) } : nil)
    }

    public func setTier(_ id: String, _ request: SetTierRequest, by caller: Caller) async throws -> CustomerView {
        try caller.require(.admin)
        guard !request.reason.trimmingCharacters(in: .whitespaces).isEmpty, request.reason.count <= 500 else {
            throw ServiceError.invalid("reason must be 1-500 characters: say why the tier changes")
        }
        let tier = try await self.tier(named: request.tier, caller)
        for _ in 0..<3 {
            let customer = try await find(id, caller)
            if customer.tier == tier.name { return view(customer, caller) }
            if try await store.setTier(customer.id, from: customer.tier, to: tier.name, at: clock(),
                                       audit: audit(caller, "customer.tier", customer.id, "\(customer.tier) -> \(tier.name): \(request.reason)"),
                                       time: Self.auditTime) {
                return view(try await find(id, caller), caller)
            }
        }
        throw ServiceError(.conflict, "customer-changed", "customer \(id) changed while its tier was being set; try again")
    }

    public func transition(_ id: String, _ request: KYCTransitionRequest, by caller: Caller) async throws -> CustomerView {
        try caller.require(.admin)
        guard let state = KYCState(rawValue: request.state) else {
            throw ServiceError.invalid("state \"\(request.state.prefix(20))\" is not a KYC state: none, pending, verified, rejected, expired")
        }
        guard !request.reason.trimmingCharacters(in: .whitespaces).isEmpty, request.reason.count <= 500 else {
            throw ServiceError.invalid("reason must be 1-500 characters")
        }
        let documents = request.documents ?? []
        guard documents.count <= 20, documents.allSatisfy({ (1...200).contains($0.count) }) else {
            throw ServiceError.invalid("documents: at most 20 references of 1-200 characters (ids of documents, never their contents)")
        }
        let customer = try await find(id, caller)
        guard customer.kyc.canMove(to: state) else {
            throw ServiceError(.rejected, "kyc-transition-refused",
                               "customer \(id) is \(customer.kyc.rawValue); it can move to \(customer.kyc.next.map(\.rawValue).sorted().joined(separator: ", "))")
        }
        let tiers = try await store.tiers(scope: Self.scope(caller))
        let current = tiers.first { $0.name == customer.tier } ?? CustomerTier(name: customer.tier, rank: 0)
        let after = CustomerTier.after(state, current: current)
        let event = KYCEvent(customer: customer.id, from: customer.kyc, to: state, reviewer: caller.actor, reason: request.reason, documents: documents,
                             at: clock(), tierBefore: customer.tier, tierAfter: after.name)
        guard try await store.transition(event, audit: audit(caller, "customer.kyc", customer.id,
                                                             "\(customer.kyc.rawValue) -> \(state.rawValue) (tier \(customer.tier) -> \(after.name)): \(request.reason)"),
                                         time: Self.auditTime) else {
            throw ServiceError(.conflict, "customer-changed", "customer \(id) changed meanwhile; read it again and retry")
        }
        return view(try await find(id, caller), caller)
    }

    public func kycHistory(_ id: String, by caller: Caller) async throws -> [KYCEventView] {
        try caller.require(.read)
        let customer = try await find(id, caller)
        return try await store.kycEvents(customer.id).map {
            KYCEventView(from: $0.from.rawValue, to: $0.to.rawValue, reviewer: $0.reviewer, reason: $0.reason, documents: $0.documents,
                         tierBefore: $0.tierBefore, tierAfter: $0.tierAfter, at: Self.time($0.at))
        }
    }

    // MARK: Tiers

    public func tiers(by caller: Caller) async throws -> [TierView] {
        try caller.require(.read)
        return try await store.tiers(scope: Self.scope(caller)).map { tier in
            TierView(name: tier.name, rank: tier.rank, builtIn: CustomerTier.builtIn.contains(tier))
        }
    }

    public func defineTier(_ request: DefineTierRequest, by caller: Caller) async throws -> TierView {
        try caller.require(.admin)
        guard CustomerTier.isValidName(request.name) else { throw ServiceError.invalid("tier name: 1-32 characters from a-z, 0-9, _ and -") }
        guard !CustomerTier.builtIn.contains(where: { $0.name == request.name }) else {
            throw ServiceError(.rejected, "built-in-tier", "\(request.name) is a built-in tier; its rank is fixed")
        }
        guard (0...1_000).contains(request.rank) else { throw ServiceError.invalid("rank must be 0-1000") }
        let tier = CustomerTier(name: request.name, rank: request.rank)
        try await store.defineTier(tier, scope: Self.scope(caller), audit: audit(caller, "tier.define", request.name, "rank=\(request.rank)"), time: Self.auditTime)
        return TierView(name: tier.name, rank: tier.rank, builtIn: false)
    }
}
