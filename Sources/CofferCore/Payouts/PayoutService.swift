public import Chains
public import CofferBase
import Customers
import CofferStorage
import Crypto
import Foundation
import Ledger
public import Payouts
import Synchronization
import Tenancy
import Vault
import WalletCore
import Wallets

/// Builds what the pipeline needs per chain at the edge (the node connector and the transaction
/// builder); injected so tests and benchmarks can hand in their own.
public typealias PayoutEdgeFactory = @Sendable (ChainConfig, HotWallet, VaultAccess, any ChangeAddressSource) async throws -> PayoutRail

/// Payouts as every door offers them: hot wallets per chain, payouts reserved on the customer's
/// account (or rejected), where each stands, and the worker's passes. The pipeline itself is
/// `PayoutPipeline`; this service wires it to the ledger, the vault and the nodes.
public struct PayoutService: Sendable {
    public let store: PayoutStore
    public let chains: ChainService
    public let ledger: LedgerService
    public let signing: SigningRequestService
    public let edges: PayoutEdgeFactory
    public let clock: @Sendable () -> Int64
    /// Customers' limits, risk and step-up, checked in the commit that holds a payout's amount.
    public let customers: CustomerService?

    public init(store: PayoutStore, chains: ChainService, ledger: LedgerService, signing: SigningRequestService, edges: @escaping PayoutEdgeFactory,
                customers: CustomerService? = nil, clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.customers = customers
        self.store = store
        self.chains = chains
        self.ledger = ledger
        self.signing = signing
        self.edges = edges
        self.clock = clock
    }

    /// Default fee rates (sat/vB) and the virtual size a payout's default fee hold covers at the
    /// maximum rate: one p2wpkh input, its payment and a change output.
    public static let defaultFallbackFeeRate: UInt64 = 10
    public static let defaultMaximumFeeRate: UInt64 = 100
    public static let holdSize: UInt64 = 141
    /// EVM defaults (gwei per gas): the least tip offered, and the most paid per gas in all.
    public static let defaultEVMMinimumTip: UInt64 = 1
    public static let defaultEVMMaximumFee: UInt64 = 500
    /// The gas a payout's default fee hold covers on EVM chains: a plain transfer's, and a
    /// generous token transfer's (most ERC-20 transfers use 35,000-65,000).
    public static let tokenHoldGas: UInt64 = 100_000
    static let gwei: UInt64 = 1_000_000_000

    /// What one unit of a hot wallet's stored fee rates is per unit of the request's: sat/kvB per
    /// sat/vB on Bitcoin-like chains, wei per gwei on EVM chains.
    static func feeRateScale(_ family: ChainFamily) -> UInt64 { family == .evm ? gwei : 1_000 }
    /// Outputs below this are refused (dust on every Bitcoin-like network's default relay policy).
    public static let dust: UInt128 = 546

    // MARK: Hot wallets

    /// Names the wallet that pays on a chain: creates the chain's fee and treasury accounts when
    /// missing, hands out the wallet's funding address (bound to the treasury account, so funding
    /// it is the operator's own money) and records it, in one transaction. Repeating it with the
    /// same wallet updates the fee settings and answers the same address.
    public func setHotWallet(chain name: String, _ request: HotWalletRequest, by caller: Caller) async throws -> HotWalletView {
        try caller.require(.admin)
        let chain = try await chains.find(name, by: caller)
        let family = try ChainNetwork.named(chain.network).family
        guard family == .bitcoin || family == .evm else {
            throw ServiceError.invalid("payouts run on Bitcoin-like and EVM chains so far; \(name) is \(chain.network)")
        }
        let evm = family == .evm
        let fallback = request.fallbackFeeRate ?? (evm ? Self.defaultEVMMinimumTip : Self.defaultFallbackFeeRate)
        let maximum = request.maxFeeRate ?? max(evm ? Self.defaultEVMMaximumFee : Self.defaultMaximumFeeRate, fallback)
        guard (1...10_000).contains(fallback), (1...10_000).contains(maximum), fallback <= maximum else {
            throw ServiceError.invalid(evm
                ? "fee rates are whole gwei per gas from 1 to 10000 (fallback_fee_rate: the least tip, max_fee_rate: the most per gas), fallback_fee_rate at most max_fee_rate"
                : "fee rates are whole sat/vB from 1 to 10000, and fallback_fee_rate at most max_fee_rate")
        }
        let scale = Self.feeRateScale(family)
        let (walletName, info) = try await chains.wallets.find(request.wallet, by: caller)
        guard info.kind != .watchOnly else {
            throw ServiceError(.rejected, "watch-only-wallet", "wallet \(walletName) is watch-only: a hot wallet must be able to sign")
        }
        // Refused here, before the accounts are made, rather than by the address allocation after them.
        guard info.kind == .seed else {
            throw ServiceError(.rejected, "not-an-hd-wallet", "wallet \(walletName) holds a single key; a hot wallet is an HD wallet (its change goes to fresh addresses)")
        }
        if let existing = try await store.hotWallet(chain: chain.name) {
            guard existing.walletID == info.id else {
                throw ServiceError(.conflict, "hot-wallet-exists", "chain \(name) pays from another wallet already")
            }
            try await store.setFeeRates(chain: chain.name, fallback: fallback * scale, maximum: maximum * scale)
            return try await hotWalletView(chain, caller: caller)
        }
        let names = LedgerNames(caller)
        let local = caller.local(chain.name) ?? chain.name
        let feeAccount = try names.id("fees:\(local)", field: "fee account")
        let treasury = try names.id("treasury:\(local)", field: "treasury account")
        for (account, id) in [("fees:\(local)", feeAccount), ("treasury:\(local)", treasury)] {
            if let existing = try await ledger.store.account(id) {
                guard existing.asset == chain.asset else {
                    throw ServiceError(.conflict, "account-mismatch", "account \(account) exists and holds \(names.localAsset(existing.asset)), not \(names.localAsset(chain.asset))")
                }
            } else {
                _ = try await ledger.createAccount(CreateAccountRequest(id: account, asset: names.localAsset(chain.asset), owner: "coffer"), by: caller)
            }
        }
        let format = try ChainService.format(chain, scheme: nil)
        let chainName = chain.name
        let now = clock()
        do {
            _ = try await chains.wallets.allocate(info.id, format: format, count: 1, purpose: "hot-wallet", ownerID: nil, by: caller) { allocated, walletID, connection in
                guard let address = allocated.first else { return }
                guard try PayoutStore.hotWallet(chain: chainName, on: connection) == nil else { throw HotWalletRace() }
                try ChainStore.watch([WatchedAddress(chain: chainName, address: address.address, account: treasury.value, walletID: walletID, path: address.path, invoiceID: nil)], on: connection)
                try PayoutStore.insert(HotWallet(chain: chainName, walletID: walletID, address: address.address, path: address.path, feeAccount: feeAccount.value,
                                                 treasuryAccount: treasury.value, fallbackFeeRate: fallback * scale, maximumFeeRate: maximum * scale, createdAt: now), on: connection)
            }
        } catch is HotWalletRace {
            // Another request named the chain's hot wallet meanwhile: answer as a repeat of it.
            return try await setHotWallet(chain: name, request, by: caller)
        }
        return try await hotWalletView(chain, caller: caller)
    }

    struct HotWalletRace: Error {}

    public func hotWallet(chain name: String, by caller: Caller) async throws -> HotWalletView {
        try caller.require(.read)
        return try await hotWalletView(try await chains.find(name, by: caller), caller: caller)
    }

    func hotWalletView(_ chain: ChainConfig, caller: Caller) async throws -> HotWalletView {
        guard let hot = try await store.hotWallet(chain: chain.name) else {
            throw ServiceError(.rejected, "no-hot-wallet", "chain \(caller.local(chain.name) ?? chain.name) has no hot wallet; `coffer chain hot-wallet --chain NAME --wallet W` first")
        }
        let names = LedgerNames(caller)
        let scale = Self.feeRateScale(try ChainNetwork.named(chain.network).family)
        let wallet = (try? await chains.wallets.find(hot.walletID, by: Caller.commandLine()))?.name ?? hot.walletID
        return HotWalletView(
            chain: caller.local(chain.name) ?? chain.name, wallet: caller.tenant.flatMap { $0.local(wallet) } ?? wallet, address: hot.address,
            feeAccount: names.local(try LedgerID(validating: hot.feeAccount)), treasuryAccount: names.local(try LedgerID(validating: hot.treasuryAccount)),
            fallbackFeeRate: hot.fallbackFeeRate / scale, maxFeeRate: hot.maximumFeeRate / scale)
    }

    // MARK: Payouts

    /// Reserves a payout: checks everything, then holds the amount and the fee hold on the
    /// customer's account in the same commit that stores the payout. A hold the ledger refuses
    /// (insufficient funds) stores the payout as `rejected` with the reason, and nothing else.
    /// `created` is false when the id was used before with this very request: the answer is
    /// where that payout stands.
    public func create(_ request: CreatePayoutRequest, by caller: Caller) async throws -> (view: PayoutView, created: Bool) {
        try caller.require(.sign)
        guard SigningRequestDocument.isValid(id: request.id), !request.id.contains("/") else {
            throw ServiceError.invalid("id must be 1-128 characters of letters, digits, - _ . : (your idempotency key)")
        }
        if request.chain == Self.autoRoute { return try await createRouted(request, by: caller) }
        if request.deadline != nil { throw ServiceError.invalid("deadline routes a payout: give it with chain \"\(Self.autoRoute)\"") }
        return try await create(request, route: nil, by: caller)
    }

    /// Creates a payout on `request.chain`, recording `route` (how it was chosen) when routed.
    func create(_ request: CreatePayoutRequest, route: String?, by caller: Caller) async throws -> (view: PayoutView, created: Bool) {
        let chain = try await chains.find(request.chain, by: caller)
        let network = try ChainNetwork.named(chain.network)
        let evm = network.family == .evm
        let names = LedgerNames(caller)
        // The chain's native asset, or (EVM) one of its registered tokens.
        var asset = chain.asset, token = ""
        if let code = request.asset, try names.assetCode(code, field: "asset") != chain.asset {
            let wanted = try names.assetCode(code, field: "asset")
            guard evm, let registered = try await chains.store.tokens(chain: chain.name).first(where: { $0.asset == wanted }) else {
                throw ServiceError.invalid("asset \(code.prefix(40)): payouts on \(request.chain) are in \(names.localAsset(chain.asset))\(evm ? " or a token registered with `coffer chain token add`" : "")")
            }
            asset = registered.asset
            token = EthereumAddress.checksummed((try? EthereumAddress.decode(registered.contract)) ?? [])
        }
        let amount: UInt128
        do { amount = try AmountText.parse(request.amount, field: "amount") } catch { throw ServiceError.invalid("\(error)") }
        if evm {
            guard amount > 0 else { throw ServiceError.invalid("amount must be more than 0") }
        } else {
            guard amount >= Self.dust else { throw ServiceError.invalid("amount must be at least \(Self.dust) (smaller outputs are dust the network does not relay)") }
        }
        do { _ = try AddressValidator.validate(request.to, network: network) } catch {
            throw ServiceError.invalid("to: \(error)")
        }
        let destination: String
        if evm {
            // One spelling per address: EIP-55 (a mixed-case input was checked above).
            let bytes = (try? EthereumAddress.decode(request.to)) ?? []
            guard bytes.contains(where: { $0 != 0 }) else { throw ServiceError.invalid("to: the zero address burns what it is sent") }
            destination = EthereumAddress.checksummed(bytes)
        } else {
            // Bech32 is case-insensitive and canonically lower case; Base58 is case-significant.
            destination = network.bitcoin.map { request.to.lowercased().hasPrefix($0.bech32HRP + "1") } == true ? request.to.lowercased() : request.to
        }
        var maxFee: UInt128?
        if let text = request.maxFee {
            do { maxFee = try AmountText.parse(text, field: "max_fee") } catch { throw ServiceError.invalid("\(error)") }
            guard maxFee! > 0 else { throw ServiceError.invalid("max_fee must be more than 0") }
        }
        let account = try await chains.boundAccount(request.account, chain: chain, caller: caller, asset: asset)
        let id = caller.stored(request.id)
        // The chain's hot wallet and any payout under this id, in one read.
        let chainName = chain.name
        let prior = try await store.database.read { connection in
            PriorReads(hot: try PayoutStore.hotWallet(chain: chainName, on: connection), existing: try PayoutStore.payout(id, on: connection))
        }
        guard let hot = prior.hot else {
            throw ServiceError(.rejected, "no-hot-wallet", "chain \(request.chain) has no hot wallet; the operator runs `coffer chain hot-wallet` first")
        }
        guard let paying = try await ledger.store.account(try LedgerID(validating: account)), paying.flags.contains(.debitsMustNotExceedCredits) else {
            throw ServiceError(.rejected, "account-may-overdraw",
                               "account \(request.account.prefix(64)) may go negative (no debits-must-not-exceed-credits flag); payouts are paid from accounts that cannot")
        }
        let defaultHold: UInt128 = evm
            ? UInt128(hot.maximumFeeRate) * UInt128(token.isEmpty ? EthereumPayout.nativeTransferGas : Self.tokenHoldGas)
            : UInt128((hot.maximumFeeRate * Self.holdSize + 999) / 1_000)
        let feeHold = maxFee ?? defaultHold
        // A token's network fee is paid in the native coin: from the chain's treasury, not the customer's token account.
        let feeSource = FeeSource(account: token.isEmpty ? account : hot.treasuryAccount, asset: chain.asset)
        let custody = token.isEmpty ? chain.custodyAccount : ChainSyncer.tokenAccount(chain.custodyAccount, asset: asset)
        let scope = caller.tenant?.tenantID ?? ""
        let requestHash = Self.hash([chain.name, account, destination, String(amount), asset, String(feeHold)] + (token.isEmpty ? [] : [token]))
        if let existing = prior.existing { return (try repeatOf(existing, hash: requestHash, caller: caller), false) }
        if !token.isEmpty {
            try await LedgerDeposits(store: ledger.store).ensureAccount(custody, asset: asset, template: chain.custodyAccount)
        }
        let digest = Hex.encode(Array(SHA256.hash(data: Array(id.utf8)).prefix(16)))
        let base = (scope.isEmpty ? "" : scope + "/") + "po-" + digest
        let transfers = PayoutTransfers(base: base)
        let now = clock()
        let reserved = Payout(
            id: id, scope: scope, chain: chain.name, account: account, destination: destination, asset: asset, token: token, amount: amount,
            feeHold: feeHold, status: .reserved, reason: nil, batchID: nil, transactionID: nil, fee: nil, confirmations: 0, blockHeight: nil,
            transferID: transfers.holdAmount, createdAt: now, updatedAt: now, route: route)
        let inserted = InsertedPayout()
        // The customer's limits (and, given signals, its risk score and step-up): counted in the
        // same commit as the holds, so concurrent payouts never together exceed a limit.
        let prepared = try await customers?.prepare(id: id, account: paying, asset: asset, amount: amount, at: customers?.clock() ?? now,
                                                 destination: destination, kind: "payout", signals: request.signals, customer: request.customer, by: caller)
        if let stop = prepared?.stop { throw CustomerService.refusal(stop) }
        let check = prepared?.naming(transfers.holdAmount)
        do {
            let admitted = try await LedgerPayouts(store: ledger.store).reserve(
                reserved, transfers: transfers, custody: custody, feeAccount: hot.feeAccount, feeSource: feeSource, admission: check?.admission
            ) { refusal, connection in
                try check?.settle(holdAccepted: refusal == nil, on: connection)
                let status = try PayoutMachine.next(.created, refusal.map { .rejected($0) } ?? .reserved)
                let payout = reserved.with(status: status, reason: refusal)
                try PayoutStore.insert(payout, transferBase: base, requestHash: requestHash, on: connection)
                try PayoutEvents.append([payout], at: now, on: connection)
                inserted.record(payout)
            }
            if !admitted, let check {
                throw CustomerService.refusal(try CustomerService.reservationView(request.id, committed: AdmittedResults(admitted: false, results: []), check: check))
            }
        } catch let error as ServiceError where error.code == "limit-exceeded" {
            throw error
        } catch {
            // Two requests with one id at once: the loser finds the winner's payout.
            if let existing = try await store.payout(id) { return (try repeatOf(existing, hash: requestHash, caller: caller), false) }
            throw error
        }
        // The row the commit stored with the holds: no need to read it back.
        guard let payout = inserted.payout else { throw ServiceError(.internal, "internal", "payout \(request.id) was committed without its row") }
        return (try view(payout, caller: caller), true)
    }

    /// What `create` reads before it reserves, in one read.
    struct PriorReads: Sendable {
        let hot: HotWallet?
        let existing: PayoutStore.Stored?
    }

    /// The payout row a reservation's commit inserted, as its companion wrote it.
    final class InsertedPayout: Sendable {
        private let stored = Mutex<Payout?>(nil)

        func record(_ payout: Payout) { stored.withLock { $0 = payout } }

        var payout: Payout? { stored.withLock { $0 } }
    }

    func repeatOf(_ existing: PayoutStore.Stored, hash: String, caller: Caller) throws -> PayoutView {
        guard existing.requestHash == hash else {
            throw ServiceError(.conflict, "payout-id-reused", "payout id \"\(caller.local(existing.payout.id) ?? existing.payout.id)\" was used for a different payout; use a new id")
        }
        return try view(existing.payout, caller: caller)
    }

    static func hash(_ fields: [String]) -> String {
        Hex.encode(Array(SHA256.hash(data: Array(fields.joined(separator: "\u{0}").utf8))))
    }

    public func payout(_ id: String, by caller: Caller) async throws -> PayoutView {
        try caller.require(.read)
        guard !(caller.tenant != nil && id.contains("/")), let stored = try await store.payout(caller.stored(id)) else {
            throw ServiceError.notFound("no payout \"\(id.prefix(70))\"", code: "payout-not-found")
        }
        return try view(stored.payout, caller: caller)
    }

    public func payouts(_ query: PayoutListQuery, page: PageRequest, by caller: Caller) async throws -> Page<PayoutView> {
        try caller.require(.read)
        var filter = PayoutStore.Query(scope: caller.tenant?.tenantID)
        if let status = query.status {
            do { filter.status = try PayoutStatus.parse(status) } catch { throw ServiceError.invalid("\(error)") }
        }
        if let chain = query.chain { filter.chain = try await chains.find(chain, by: caller).name }
        return try await store.payouts(filter, page: page).map { try view($0, caller: caller) }
    }

    func view(_ payout: Payout, caller: Caller) throws -> PayoutView {
        let names = LedgerNames(caller)
        return PayoutView(
            id: caller.local(payout.id) ?? payout.id, status: payout.status.rawValue, reason: payout.reason, chain: caller.local(payout.chain) ?? payout.chain,
            account: names.local(try LedgerID(validating: payout.account)), to: payout.destination, amount: payout.amount, asset: names.localAsset(payout.asset),
            maxFee: payout.feeHold, batchID: payout.batchID, txid: payout.transactionID, fee: payout.fee, confirmations: payout.confirmations,
            blockHeight: payout.blockHeight, transferID: names.local(try LedgerID(validating: payout.transferID)), createdAt: ChainService.time(payout.createdAt),
            updatedAt: ChainService.time(payout.updatedAt), kind: payout.kind.rawValue, route: payout.route)
    }

    // MARK: The worker

    /// The pipeline of one chain.
    public func pipeline(_ chain: ChainConfig, settings: PipelineSettings) async throws -> PayoutPipeline? {
        guard let hot = try await store.hotWallet(chain: chain.name) else { return nil }
        let rail = try await edges(chain, hot, signing.vault, WalletChangeAddresses(chains: chains))
        return PayoutPipeline(store: store, chain: chain, rail: rail, signer: VaultPayoutSigner(signing: signing), ledger: LedgerPayouts(store: ledger.store),
                              settings: settings, clock: clock)
    }

    /// One pass over every chain with payouts that are not final (the operator's worker);
    /// `release` gives each chain's lease up afterwards (a one-shot worker).
    public func pass(settings: PipelineSettings, release: Bool = false, by caller: Caller) async throws -> [PayoutPassView] {
        guard caller.isOperator else { throw ServiceError(.forbidden, "operator-only", "the payout worker is the operator's") }
        var views: [PayoutPassView] = []
        for name in try await store.busyChains() {
            guard let chain = try await chains.store.chain(name), let pipeline = try await pipeline(chain, settings: settings) else { continue }
            let report = try await pipeline.pass()
            if release, report != nil { try await pipeline.release() }
            views.append(PayoutPassView(
                chain: name, ran: report != nil, batched: report?.batched ?? 0, signed: report?.signed ?? 0, awaitingApproval: report?.awaitingApproval ?? 0,
                broadcast: report?.broadcast ?? 0, settled: report?.settled ?? 0, rejected: report?.rejected ?? 0, compensated: report?.compensated ?? 0,
                replaced: report?.replaced ?? 0, errors: report?.errors ?? []))
        }
        return views
    }
}

extension Payout {
    func with(status: PayoutStatus, reason: String?) -> Payout {
        Payout(id: id, scope: scope, chain: chain, account: account, destination: destination, asset: asset, token: token, amount: amount, feeHold: feeHold,
               status: status, reason: reason, batchID: batchID, transactionID: transactionID, fee: fee, confirmations: confirmations, blockHeight: blockHeight,
               transferID: transferID, createdAt: createdAt, updatedAt: updatedAt, kind: kind, source: source, route: route, sweepLimits: sweepLimits)
    }
}
