public import Chains
public import CofferBase
import CofferStorage
import Foundation
import Ledger
import Tenancy
import Vault
import WalletCore
import Wallets

/// Builds the node reader of a chain (the edge: Bitcoin Core or Ethereum JSON-RPC); injected so
/// tests and benchmarks can hand in their own.
public typealias ChainSourceFactory = @Sendable (ChainConfig) throws -> any ChainSource

/// Receiving on chains as every door offers it: the chains Coffer follows and their tokens,
/// deposit addresses bound to ledger accounts, the deposits found, one-shot syncs and the event
/// outbox. A tenant's chains, accounts and assets are in its own scope; the operator's are the
/// stored names.
public struct ChainService: Sendable {
    public let store: ChainStore
    public let ledger: LedgerService
    public let wallets: WalletService
    public let sources: ChainSourceFactory
    /// Seconds since 1970.
    public let clock: @Sendable () -> Int64

    public init(store: ChainStore, ledger: LedgerService, wallets: WalletService, sources: @escaping ChainSourceFactory,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.store = store
        self.ledger = ledger
        self.wallets = wallets
        self.sources = sources
        self.clock = clock
    }

    // MARK: Chains

    /// Adds a chain: validates everything first, then creates the native asset (code and decimals
    /// from the registry) and the custody account when missing, then the chain.
    public func add(_ request: AddChainRequest, by caller: Caller) async throws -> ChainView {
        try caller.require(.admin)
        let name = try Self.chainName(request.name)
        let network: ChainNetwork
        do { network = try ChainNetwork.named(request.network) } catch { throw ServiceError.invalid("network: \(error)") }
        guard network.family == .bitcoin || network.family == .evm else {
            throw ServiceError.invalid("network \(network.name): Coffer receives on Bitcoin-like and EVM networks so far")
        }
        // A file path from an API key would make the server read a file of its own (its vault
        // passphrase file, say) and send it to a URL the key's holder chose.
        if request.rpcCookieFile != nil || request.rpcPasswordFile != nil, !caller.isOperator {
            throw ServiceError(.forbidden, "operator-only",
                               "node credential files are named by the operator only (coffer chain add); over HTTP, use a node that needs no credentials")
        }
        if request.rpcUser != nil, request.rpcPasswordFile == nil { throw ServiceError.invalid("rpc_user needs rpc_password_file") }
        if request.rpcPasswordFile != nil, request.rpcUser == nil { throw ServiceError.invalid("rpc_password_file needs rpc_user") }
        if request.rpcCookieFile != nil, request.rpcUser != nil { throw ServiceError.invalid("give either rpc_cookie_file or rpc_user with rpc_password_file, not both") }
        let confirmations = request.confirmations ?? UInt32(network.defaultConfirmations)
        guard (1...10_000).contains(confirmations) else { throw ServiceError.invalid("confirmations must be from 1 to 10000") }
        guard request.startHeight ?? 0 <= UInt64(Int64.max) else { throw ServiceError.invalid("start_height must be from 0 to \(Int64.max)") }
        let names = LedgerNames(caller)
        let assetCode = try names.assetCode(network.nativeAsset, field: "asset")
        let custodyLocal = request.custodyAccount ?? "custody:\(name)"
        let custody = try names.id(custodyLocal, field: "custody_account")
        let config = ChainConfig(
            name: caller.stored(name), scope: caller.tenant?.tenantID ?? "", network: network.name, rpcURL: request.rpcURL,
            cookieFile: request.rpcCookieFile, rpcUser: request.rpcUser, passwordFile: request.rpcPasswordFile, confirmations: confirmations,
            startHeight: request.startHeight ?? 0, asset: assetCode, custodyAccount: custody.value, createdAt: VaultClock.format(Date()))
        // The node reader checks the URL (scheme, host, no credentials in it) without connecting.
        _ = try sources(config)
        if try await store.chain(config.name) != nil { throw ServiceError(.conflict, "chain-exists", "a chain named \(name) exists already") }
        let asset = try await ledger.store.asset(assetCode)
        if let asset, Int(asset.decimals) != network.decimals {
            throw ServiceError(.conflict, "asset-mismatch", "asset \(network.nativeAsset) exists with \(asset.decimals) decimals; \(network.name) needs \(network.decimals)")
        }
        let account = try await ledger.store.account(custody)
        if let account, account.asset != assetCode {
            throw ServiceError(.conflict, "account-mismatch", "custody account \(custodyLocal) holds \(names.localAsset(account.asset)), not \(network.nativeAsset)")
        }
        // Existing ones are used as they are: the operator may have made them first.
        if asset == nil {
            _ = try await ledger.createAsset(CreateAssetRequest(code: network.nativeAsset, decimals: UInt8(network.decimals), chain: network.name), by: caller)
        }
        if account == nil {
            _ = try await ledger.createAccount(CreateAccountRequest(id: custodyLocal, asset: network.nativeAsset, owner: "coffer"), by: caller)
        }
        guard try await store.add(config) else { throw ServiceError(.conflict, "chain-exists", "a chain named \(name) exists already") }
        return try await view(config, caller: caller)
    }

    /// Registers an ERC-20 token of an EVM chain; creates its asset and the custody account beside
    /// the chain's (`<custody>:<ASSET>`).
    public func addToken(chain name: String, _ request: AddTokenRequest, by caller: Caller) async throws -> TokenView {
        try caller.require(.admin)
        let chain = try await find(name, by: caller)
        guard try ChainNetwork.named(chain.network).family == .evm else { throw ServiceError.invalid("tokens exist on EVM chains only; \(name) is \(chain.network)") }
        let contract: String
        do { contract = "0x" + Hex.encode(try EthereumAddress.decode(request.contract)) } catch {
            throw ServiceError.invalid("contract: \(error)")
        }
        guard request.decimals <= Asset.maximumFractionDigits else { throw ServiceError.invalid("decimals must be from 0 to \(Asset.maximumFractionDigits)") }
        let names = LedgerNames(caller)
        let asset = try names.assetCode(request.asset, field: "asset")
        let custodyLocal = ChainSyncer.tokenAccount(names.local(try LedgerID(validating: chain.custodyAccount)), asset: request.asset)
        let custody = try names.id(custodyLocal, field: "the token's custody account")
        // Everything is checked before anything is created, so a refusal changes nothing.
        if try await store.tokens(chain: chain.name).contains(where: { $0.contract == contract }) {
            throw ServiceError(.conflict, "token-exists", "chain \(name) watches \(contract) already")
        }
        let existing = try await ledger.store.asset(asset)
        if let existing, existing.decimals != request.decimals {
            throw ServiceError(.conflict, "asset-mismatch", "asset \(request.asset) exists with \(existing.decimals) decimals, not \(request.decimals)")
        }
        let account = try await ledger.store.account(custody)
        if let account, account.asset != asset {
            throw ServiceError(.conflict, "account-mismatch", "custody account \(custodyLocal) holds \(names.localAsset(account.asset)), not \(request.asset)")
        }
        if existing == nil {
            _ = try await ledger.createAsset(CreateAssetRequest(code: request.asset, decimals: request.decimals, chain: chain.network, contract: contract), by: caller)
        }
        if account == nil {
            _ = try await ledger.createAccount(CreateAccountRequest(id: custodyLocal, asset: request.asset, owner: "coffer"), by: caller)
        }
        let token = ChainToken(chain: chain.name, contract: contract, asset: asset, decimals: request.decimals)
        guard try await store.add(token) else {
            throw ServiceError(.conflict, "token-exists", "chain \(name) watches \(contract) already")
        }
        return TokenView(chain: name, contract: contract, asset: request.asset, decimals: request.decimals)
    }

    public func chains(by caller: Caller) async throws -> [ChainView] {
        try caller.require(.read)
        var views: [ChainView] = []
        for chain in try await store.chains(scope: caller.tenant?.tenantID) {
            views.append(try await view(chain, caller: caller))
        }
        return views
    }

    public func chain(_ name: String, by caller: Caller) async throws -> ChainView {
        try caller.require(.read)
        return try await view(try await find(name, by: caller), caller: caller)
    }

    /// The caller's chain by its name.
    public func find(_ name: String, by caller: Caller) async throws -> ChainConfig {
        guard let chainName = try? Self.chainName(name), let chain = try await store.chain(caller.stored(chainName)),
              caller.tenant == nil || chain.scope == caller.tenant?.tenantID else {
            throw ServiceError.notFound("no chain \"\(name.prefix(70))\"; `coffer chain list` shows the chains", code: "chain-not-found")
        }
        return chain
    }

    func view(_ chain: ChainConfig, caller: Caller) async throws -> ChainView {
        let network = try ChainNetwork.named(chain.network)
        let cursor = try await store.cursor(chain: chain.name)
        let names = LedgerNames(caller)
        let tokens = try await store.tokens(chain: chain.name).map {
            TokenView(chain: caller.local(chain.name) ?? chain.name, contract: $0.contract, asset: names.localAsset($0.asset), decimals: $0.decimals)
        }
        return ChainView(
            name: caller.local(chain.name) ?? chain.name, network: chain.network, family: network.family.rawValue, asset: names.localAsset(chain.asset),
            decimals: network.decimals, confirmations: chain.confirmations, startHeight: chain.startHeight,
            custodyAccount: names.local(try LedgerID(validating: chain.custodyAccount)), height: cursor?.height, hash: cursor?.lastHash,
            rpcURL: chain.rpcURL, tokens: tokens)
    }

    /// 1-64 characters from a-z0-9._- starting with a letter or digit.
    static func chainName(_ text: String) throws(ServiceError) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789._-")
        guard (1...64).contains(text.count), text.allSatisfy({ allowed.contains($0) }), let first = text.first, first.isLetter || first.isNumber else {
            throw ServiceError.invalid("chain name must be 1-64 characters from a-z0-9._- and start with a letter or digit")
        }
        return text
    }

    // MARK: Deposit addresses

    /// Hands out fresh addresses of a wallet on a chain and binds each to `account`, in the
    /// transaction that hands them out: an address is watched exactly when it exists.
    public func depositAddresses(_ request: DepositAddressRequest, by caller: Caller) async throws -> [DepositAddressView] {
        try caller.require(.write)
        let chain = try await find(request.chain, by: caller)
        let account = try await boundAccount(request.account, chain: chain, caller: caller)
        let count = request.count ?? 1
        guard (1...WalletService.maximumAddresses).contains(count) else {
            throw ServiceError.invalid("count must be a whole number from 1 to \(WalletService.maximumAddresses)")
        }
        let format = try Self.format(chain, scheme: request.scheme)
        let chainName = chain.name
        let addresses = try await wallets.allocate(request.wallet, format: format, count: count, purpose: "deposit", ownerID: request.account, by: caller) { allocated, walletID, connection in
            try ChainStore.watch(allocated.map {
                WatchedAddress(chain: chainName, address: $0.address, account: account, walletID: walletID, path: $0.path, invoiceID: nil)
            }, on: connection)
        }
        return addresses.map { DepositAddressView(address: $0.address, path: $0.path, chain: request.chain, account: request.account) }
    }

    /// The stored id of an existing account of the chain's asset.
    func boundAccount(_ local: String, chain: ChainConfig, caller: Caller, asset: String? = nil) async throws -> String {
        let names = LedgerNames(caller)
        let id = try names.id(local, field: "account")
        guard let account = try await ledger.store.account(id) else {
            throw ServiceError(.rejected, "account-not-found", "account \(local.prefix(64)) does not exist; create it with the chain's asset \(names.localAsset(chain.asset)) first")
        }
        guard account.asset == (asset ?? chain.asset) else {
            throw ServiceError(.rejected, "account-asset-mismatch",
                               "account \(local.prefix(64)) holds \(names.localAsset(account.asset)); deposits on \(caller.local(chain.name) ?? chain.name) are \(names.localAsset(asset ?? chain.asset))")
        }
        return id.value
    }

    static func format(_ chain: ChainConfig, scheme: String?) throws -> AddressFormat {
        let parsed = try scheme.map { name throws(ServiceError) in
            guard let scheme = BitcoinScheme(rawValue: name) else {
                throw ServiceError.invalid("scheme must be one of \(BitcoinScheme.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return scheme
        }
        do { return try ChainNetwork.named(chain.network).addressFormat(scheme: parsed) } catch { throw ServiceError.invalid("\(error)") }
    }

    // MARK: Deposits

    public func deposits(_ query: DepositListQuery, page: PageRequest, by caller: Caller) async throws -> Page<DepositView> {
        try caller.require(.read)
        var chain: ChainConfig?
        if let name = query.chain { chain = try await find(name, by: caller) }
        let account = try query.account.map { try LedgerNames(caller).id($0, field: "account").value }
        let status = try query.status.map { text throws(ServiceError) in
            do { return try DepositStatus.parse(text) } catch { throw ServiceError.invalid("\(error)") }
        }
        let rows = try await store.deposits(
            ChainStore.DepositQuery(scope: caller.tenant?.tenantID, chain: chain?.name, account: account, status: status), page: page)
        let heights = try await store.syncedHeights()
        return Page(items: rows.items.map { view($0, height: heights[$0.chain], caller: caller) }, nextCursor: rows.nextCursor)
    }

    func view(_ deposit: Deposit, height: UInt64?, caller: Caller) -> DepositView {
        let names = LedgerNames(caller)
        return DepositView(
            chain: caller.local(deposit.chain) ?? deposit.chain, txid: deposit.transactionID, index: deposit.index, address: deposit.address,
            account: caller.local(deposit.account) ?? deposit.account, asset: names.localAsset(deposit.asset), amount: deposit.amount,
            confirmations: deposit.confirmations(syncedHeight: height), status: deposit.status.rawValue,
            transferID: deposit.creditID.map { caller.local($0) ?? $0 }, token: deposit.token.isEmpty ? nil : deposit.token,
            blockHeight: deposit.blockHeight, blockHash: deposit.blockHash, reversalID: deposit.reversalID.map { caller.local($0) ?? $0 },
            invoiceID: deposit.invoiceID)
    }

    // MARK: Syncing

    /// A syncer for one chain (`coffer chain sync`, the `chain-sync` service).
    public func syncer(_ chain: ChainConfig, owner: String) throws -> ChainSyncer {
        ChainSyncer(chain: chain, store: store, source: try sources(chain), ledger: LedgerDeposits(store: ledger.store), clock: clock, owner: owner)
    }

    /// The lease owner of syncers started from the command line on this host: the same for every
    /// CLI process, so a `coffer chain sync` that was killed does not keep the next one waiting
    /// for its lease to run out (the cursor's compare-and-set keeps two of them from applying a
    /// block twice). `coffer serve` holds leases under an id of its own process.
    public static var commandLineOwner: String { "cli@\(ProcessInfo.processInfo.hostName)" }

    /// Scans a chain up to its node's tip once: `coffer chain sync --once`.
    public func syncOnce(_ name: String, by caller: Caller) async throws -> SyncView {
        try caller.require(.admin)
        let chain = try await find(name, by: caller)
        let owner = Self.commandLineOwner
        let syncer = try syncer(chain, owner: owner)
        let step = try await syncer.syncToTip()
        try? await store.release(chain: chain.name, owner: owner)
        if step.kind == .notLeader {
            throw ServiceError(.unavailable, "chain-busy", "another syncer (a running `coffer serve`?) is following \(name); try again later")
        }
        return SyncView(
            chain: name, height: step.block?.height, hash: step.block?.hash, deposits: step.deposits, credited: step.credited,
            orphaned: step.orphaned, reversed: step.reversed)
    }

    // MARK: Events

    /// Events after `sequence`, oldest first (at most `limit`).
    public func events(after sequence: Int64, limit: Int, by caller: Caller) async throws -> [EventView] {
        try caller.require(.read)
        guard sequence >= 0 else { throw ServiceError.invalid("after must be a sequence number (0 or more)") }
        guard (1...1000).contains(limit) else { throw ServiceError.invalid("limit must be from 1 to 1000") }
        return try await store.events(scope: caller.tenant?.tenantID, after: sequence, limit: limit).map {
            EventView(sequence: $0.sequence, type: $0.type, subject: caller.local($0.subject) ?? $0.subject, data: Self.local($0.data, caller),
                      createdAt: Self.time($0.createdAt))
        }
    }

    /// An event's data with the names the caller wrote: the stored chain, account, asset and
    /// transfer ids carry the tenant's prefix, which no other view shows (also in nested
    /// objects: a split's parts).
    static func local(_ data: JSONValue, _ caller: Caller) -> JSONValue { local(data, tenant: caller.tenant) }

    /// `local(_:_:)` for a tenant's scope (nil: the operator's stored names, unchanged); webhook
    /// deliveries to a tenant's endpoint carry the same data as its `/v1/events`.
    static func local(_ data: JSONValue, tenant: TenantScope?) -> JSONValue {
        guard let tenant else { return data }
        switch data {
        case .array(let items):
            return .array(items.map { local($0, tenant: tenant) })
        case .object(let members):
            let scoped: Set<String> = ["chain", "account", "asset", "transfer_id", "reversal_id", "id", "batch_id"]
            return .object(members.map { member -> (key: String, value: JSONValue) in
                guard scoped.contains(member.key), case .string(let stored) = member.value else { return (member.key, local(member.value, tenant: tenant)) }
                return (member.key, .string(tenant.local(stored) ?? stored))
            })
        default:
            return data
        }
    }

    static func time(_ seconds: Int64) -> String { VaultClock.format(Date(timeIntervalSince1970: TimeInterval(seconds))) }
}
