import Chains
import CofferBase
import CofferStorage
import Ledger
import Tenancy

/// What a split rule is set on, as the caller names it.
public enum SplitTarget: Sendable, Equatable {
    /// A ledger account: every payment credited to it.
    case account(String)
    /// An invoice: the payments to its address, in place of its account's rule.
    case invoice(String)
}

/// Split rules as every door offers them (`coffer split`, `/v1/split-rules`): who receives which
/// part of each payment credited to an account or paid to an invoice. The syncer applies them
/// (`ChainSyncer`, docs/receiving.md "Split settlement").
///
/// A rule on an account redirects every later payment to it, so setting or removing one needs
/// the admin scope; a rule on one invoice needs the write scope that created the invoice.
/// Recipients must exist, hold the payment's asset and not be closed.
public struct SplitService: Sendable {
    public let invoices: InvoiceService

    public init(invoices: InvoiceService) { self.invoices = invoices }

    var chains: ChainService { invoices.chains }

    /// Sets (or replaces) the rule of `target`; it applies to credits committed from then on.
    public func set(_ target: SplitTarget, _ request: SetSplitRuleRequest, by caller: Caller) async throws -> SplitRuleView {
        let resolved = try await resolve(target, scope: { $0 == .account ? .admin : .write }, by: caller)
        let names = LedgerNames(caller)
        var recipients: [SplitRecipient] = []
        for input in request.recipients.prefix(SplitRule.maximumRecipients + 1) {
            let id = try names.id(input.account, field: "recipient")
            let share: SplitRecipient.Share
            switch (input.bps, input.amount) {
            case (let points?, nil): share = .basisPoints(points)
            case (nil, let text?):
                do { share = .fixed(try AmountText.parse(text, field: "amount of recipient \(input.account.prefix(64))")) } catch {
                    throw ServiceError.invalid("\(error)")
                }
            default: throw ServiceError.invalid("recipient \(input.account.prefix(64)): give either bps or amount")
            }
            recipients.append(SplitRecipient(account: id.value, share: share))
        }
        let rule = try SplitRule(recipients)
        guard recipients.contains(where: { $0.account != resolved.account }) else {
            throw ServiceError.invalid("a split rule needs a recipient other than the credited account")
        }
        // Every recipient is checked before anything is written.
        for recipient in recipients where recipient.account != resolved.account {
            let local = caller.local(recipient.account) ?? recipient.account
            guard let account = try await chains.ledger.store.account(LedgerID(validating: recipient.account)) else {
                throw ServiceError(.rejected, "account-not-found", "recipient \(local) does not exist; create it with the asset \(names.localAsset(resolved.asset)) first")
            }
            guard account.asset == resolved.asset else {
                throw ServiceError(.rejected, "account-asset-mismatch",
                                   "recipient \(local) holds \(names.localAsset(account.asset)); the split payments are \(names.localAsset(resolved.asset))")
            }
            guard !account.flags.contains(.closed) else { throw ServiceError(.rejected, "account-closed", "recipient \(local) is closed") }
        }
        let stored = StoredSplitRule(kind: resolved.kind, target: resolved.target, scope: caller.tenant?.tenantID ?? "", account: resolved.account,
                                     asset: resolved.asset, rule: rule, updatedAt: chains.clock())
        try await chains.store.database.write { connection in try SplitSQL.put(stored, on: connection) }
        return view(stored, caller: caller)
    }

    /// The rule of `target`.
    public func rule(_ target: SplitTarget, by caller: Caller) async throws -> SplitRuleView {
        let resolved = try await resolve(target, scope: { _ in .read }, by: caller)
        let stored = try await chains.store.database.read { connection in try SplitSQL.rule(resolved.kind, resolved.target, on: connection) }
        return view(try Self.found(stored, target), caller: caller)
    }

    /// Removes the rule of `target` and answers the rule it had; credits from then on stay whole.
    public func remove(_ target: SplitTarget, by caller: Caller) async throws -> SplitRuleView {
        let resolved = try await resolve(target, scope: { $0 == .account ? .admin : .write }, by: caller)
        let removed = try await chains.store.database.write { connection in
            let stored = try SplitSQL.rule(resolved.kind, resolved.target, on: connection)
            if stored != nil { _ = try SplitSQL.delete(resolved.kind, resolved.target, on: connection) }
            return stored
        }
        return view(try Self.found(removed, target), caller: caller)
    }

    static func found(_ stored: StoredSplitRule?, _ target: SplitTarget) throws -> StoredSplitRule {
        guard let stored else {
            let name = switch target {
            case .account(let account): "account \(account.prefix(64))"
            case .invoice(let id): "invoice \(id.prefix(64))"
            }
            throw ServiceError.notFound("\(name) has no split rule", code: "split-rule-not-found")
        }
        return stored
    }

    /// The stored target, the account its payments are credited to and their asset; checks the
    /// scope the caller needs for this kind of target.
    func resolve(_ target: SplitTarget, scope: (SplitTargetKind) -> APIScope,
                 by caller: Caller) async throws -> (kind: SplitTargetKind, target: String, account: String, asset: String) {
        switch target {
        case .account(let local):
            try caller.require(scope(.account))
            let id = try LedgerNames(caller).id(local, field: "account")
            guard let account = try await chains.ledger.store.account(id) else {
                throw ServiceError(.rejected, "account-not-found", "account \(local.prefix(64)) does not exist")
            }
            return (.account, id.value, id.value, account.asset)
        case .invoice(let id):
            try caller.require(scope(.invoice))
            let invoice = try await invoices.find(id, by: caller)
            // A token invoice's payments are credited to the token account beside its account.
            let account = invoice.token.isEmpty ? invoice.account : ChainSyncer.tokenAccount(invoice.account, asset: invoice.asset)
            return (.invoice, invoice.id, account, invoice.asset)
        }
    }

    func view(_ stored: StoredSplitRule, caller: Caller) -> SplitRuleView {
        SplitRuleView(
            account: caller.local(stored.account) ?? stored.account, invoiceID: stored.kind == .invoice ? stored.target : nil,
            asset: LedgerNames(caller).localAsset(stored.asset),
            recipients: stored.rule.recipients.map { recipient in
                let account = caller.local(recipient.account) ?? recipient.account
                return switch recipient.share {
                case .basisPoints(let points): SplitRecipientView(account: account, bps: points, amount: nil)
                case .fixed(let amount): SplitRecipientView(account: account, bps: nil, amount: amount)
                }
            },
            updatedAt: ChainService.time(stored.updatedAt))
    }
}

/// `coffer split set`, `PUT /v1/split-rules/accounts/{account}` and `/v1/split-rules/invoices/{id}`:
/// the recipients in order, each with either `bps` (1-10000 of what the fixed amounts leave; they
/// add up to 10000) or a fixed `amount` in the asset's smallest unit.
public struct SetSplitRuleRequest: Codable, Sendable, Equatable {
    public var recipients: [SplitRecipientInput]

    public init(recipients: [SplitRecipientInput]) { self.recipients = recipients }
}

/// One recipient of a split rule request.
public struct SplitRecipientInput: Codable, Sendable, Equatable {
    public var account: String
    public var bps: UInt16?
    public var amount: String?

    public init(account: String, bps: UInt16? = nil, amount: String? = nil) {
        self.account = account
        self.bps = bps
        self.amount = amount
    }
}

/// A split rule: the account whose credits it divides (for an invoice's rule, the invoice's),
/// and its recipients in order.
public struct SplitRuleView: Codable, Sendable, Equatable {
    public let account: String
    public let invoiceID: String?
    public let asset: String
    public let recipients: [SplitRecipientView]
    public let updatedAt: String

    enum CodingKeys: String, CodingKey { case account, invoiceID = "invoice_id", asset, recipients, updatedAt = "updated_at" }
}

/// A recipient and its share: `bps` or a fixed `amount` (the other is null).
public struct SplitRecipientView: Codable, Sendable, Equatable {
    public let account: String
    public let bps: UInt16?
    public let amount: UInt128?
}
