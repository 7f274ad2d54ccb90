import Tenancy
public import CofferBase
import CofferStorage
import Foundation
public import Vault
public import Wallets
import WalletCore

/// Vault wallets and their deposit addresses, as every door offers them. A tenant's wallets are
/// named in its own scope and recorded in the wallet directory in the vault's own transaction; the
/// operator works on the vault's names directly. Creating a wallet makes or takes a secret and
/// seals it; only public facts come back.
public struct WalletService: Sendable {
    public let vault: VaultAccess
    public let directory: WalletDirectory

    public init(vault: VaultAccess, directory: WalletDirectory) {
        self.vault = vault
        self.directory = directory
    }

    /// The most addresses one request hands out.
    public static let maximumAddresses: UInt32 = 1_000

    // MARK: Wallets

    /// Creates (`generate`) or imports a wallet. Importing brings outside key material in, so it
    /// needs the admin scope; generating needs write.
    public func create(_ request: CreateWalletRequest, by caller: Caller) async throws -> WalletView {
        try caller.require((request.source ?? "generate") == "generate" ? .write : .admin)
        let unlocked = try vault.unlocked(for: caller)
        if request.name == nil && request.source != "ethereum-keystore" { throw ServiceError.invalid("name is missing") }
        if let given = request.name, let tenant = caller.tenant, try await directory.nameTaken(tenantID: tenant.tenantID, name: try Self.name(given)) {
            throw VaultError.nameTaken(given)
        }
        // Key derivation and KDFs (keystores) take milliseconds to seconds: off Swift concurrency's threads.
        let (secret, origin) = try await Blocking.run { try WalletSecrets.secret(request) }
        let name = try Self.name(request.name ?? "keystore-\(secret.publicSummary().replacingOccurrences(of: "ethereum:", with: "").lowercased())")
        let info: WalletInfo
        do {
            // The owner is recorded in the transaction that stores the wallet: a crash cannot
            // leave a sealed wallet that no tenant owns (and whose name could never be used again).
            info = try await unlocked.addWallet(name: caller.stored(name), secret: secret, origin: origin) { info, connection in
                guard let tenant = caller.tenant else { return }
                guard try WalletDirectory.register(
                    tenantID: tenant.tenantID, walletID: info.id, name: name, at: VaultClock.format(info.createdAt), on: connection) else {
                    throw VaultError.nameTaken(name)
                }
            }
        } catch let error as VaultError {
            throw VaultAccess.translating(error)
        }
        return Self.view(info, name: name)
    }

    /// The caller's wallets: a tenant's in the order it created them; the operator's every vault wallet.
    public func wallets(page: PageRequest, by caller: Caller) async throws -> Page<WalletView> {
        try caller.require(.read)
        guard let tenant = caller.tenant else {
            return Page(items: try await vault.vault.wallets().map { Self.view($0, name: $0.name) }, nextCursor: nil)
        }
        let owned = try await directory.wallets(tenantID: tenant.tenantID, page: page)
        var views: [WalletView] = []
        for wallet in owned.items {
            guard let stored = try await vault.vault.store.wallet(wallet.walletID) else { continue }
            views.append(Self.view(stored.info, name: wallet.name))
        }
        return Page(items: views, nextCursor: owned.nextCursor)
    }

    public func wallet(_ reference: String, by caller: Caller) async throws -> WalletView {
        try caller.require(.read)
        let (name, info) = try await find(reference, by: caller)
        return Self.view(info, name: name)
    }

    /// The caller's wallet by id or name, with the caller's name for it; not found for anyone else's.
    func find(_ reference: String, by caller: Caller) async throws -> (name: String, info: WalletInfo) {
        let missing = ServiceError.notFound("no wallet \"\(reference.prefix(70))\"", code: "wallet-not-found")
        guard let tenant = caller.tenant else {
            guard let stored = try await vault.vault.store.wallet(reference) else { throw missing }
            return (stored.name, stored.info)
        }
        guard let owned = try await directory.wallet(tenantID: tenant.tenantID, reference: reference),
              let stored = try await vault.vault.store.wallet(owned.walletID) else { throw missing }
        return (owned.name, stored.info)
    }

    /// An encrypted export of a wallet; audited. Admin only: it carries the key (encrypted).
    public func backup(_ reference: String, _ request: BackupWalletRequest, by caller: Caller) async throws -> BackupView {
        try caller.require(.admin)
        let unlocked = try vault.unlocked(for: caller)
        let (_, info) = try await find(reference, by: caller)
        let (view, detail) = try await WalletBackup.export(request, wallet: info.id, unlocked: unlocked)
        try await unlocked.audit(AuditEvent(actor: caller.actor, action: "wallet.export", subject: info.id, outcome: "ok", detail: detail))
        return view
    }

    /// 1-64 characters without control characters or leading and trailing spaces, and without `/`
    /// (it separates a tenant's scope from its names).
    static func name(_ text: String) throws(ServiceError) -> String {
        guard !text.isEmpty, text.count <= 64, text == text.trimmingCharacters(in: .whitespacesAndNewlines), !text.contains("/"),
              !text.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ServiceError.invalid("name must be 1-64 characters, no control characters, no /, and no leading or trailing spaces")
        }
        return text
    }

    static func view(_ info: WalletInfo, name: String) -> WalletView {
        WalletView(
            id: info.id, name: name, kind: info.kind.rawValue, curve: info.curve, origin: info.origin, summary: info.summary,
            createdAt: VaultClock.format(info.createdAt))
    }

    // MARK: Deposit addresses

    /// Hands out the next `count` unused addresses of a tenant's HD or watch-only wallet on a
    /// chain. The seed is opened once to make the account's public key; every address is derived
    /// from that. A watch-only wallet derives from its own account key, on any Bitcoin-like network
    /// of its kind (see ``watchOnlyFormat(_:version:scheme:wallet:)``), with paths `xpub/0/<index>`.
    public func allocate(_ wallet: String, _ request: AllocateAddressesRequest, by caller: Caller) async throws -> AddressBatchView {
        try caller.require(.write)
        let tenant = try caller.requireTenant("a deposit address")
        let unlocked = try vault.unlocked(for: caller)
        let requested = try Self.format(chain: request.chain, scheme: request.scheme, network: request.network)
        guard (1...Self.maximumAddresses).contains(request.count) else {
            throw ServiceError.invalid("count must be a whole number from 1 to \(Self.maximumAddresses)")
        }
        let label = try Self.text(request.label, field: "label")
        let owner = try Self.text(request.ownerID, field: "owner_id")
        let purpose = try Self.text(request.purpose, field: "purpose")
        let (name, info) = try await find(wallet, by: caller)
        let deriver = try await unlocked.withSecret(of: info.id) { secret, _ throws -> AddressDeriver in
            switch secret {
            case .seed(let seed):
                return try AddressDeriver(seed: seed, format: requested)
            case .watchOnly(let key, let version, let scheme):
                let format = try Self.watchOnlyFormat(request, version: version, scheme: scheme, wallet: name)
                return try AddressDeriver(accountKey: key, format: format, pathPrefix: "xpub/0/")
            case .privateKey:
                throw ServiceError(.rejected, "not-an-hd-wallet", "wallet \(name) holds a single key, so it has no address batches; only HD and watch-only wallets derive addresses")
            }
        }
        let format = deriver.format
        let key = Self.key(format)
        let addresses = try await directory.allocate(
            tenantID: tenant.tenantID, walletID: info.id, chain: format.chain.rawValue, format: key, count: request.count,
            label: label, ownerID: owner, purpose: purpose, at: VaultClock.format(Date()),
            derive: { range in try deriver.derive(range: range) })
        return AddressBatchView(wallet: info.id, chain: format.chain.rawValue, format: key, data: addresses.map { Self.view($0, walletName: name) })
    }

    /// The format a watch-only wallet's addresses take for `request`: chain bitcoin only (the key
    /// is a Bitcoin-like account key); the network asked for, which must be a main network for a
    /// main-network key (xpub, ypub, zpub, Ltub, Mtub) and a test one for a test key (tpub, upub,
    /// vpub, ttub), by default the first that fits (bitcoin mainnet or testnet; Litecoin's for
    /// Litecoin's own versions); the scheme the wallet was imported with (one asked for must be it).
    static func watchOnlyFormat(_ request: AllocateAddressesRequest, version: KeyVersion, scheme: BitcoinScheme, wallet: String) throws -> AddressFormat {
        guard request.chain == Chain.bitcoin.rawValue else {
            throw ServiceError(.rejected, "watch-only-wallet", "wallet \(wallet) is watch-only: its \(version.publicPrefix) is a Bitcoin-like account key, so it derives chain bitcoin addresses only, not \(request.chain)")
        }
        if let asked = request.scheme, asked != scheme.rawValue {
            throw ServiceError.invalid("scheme \(asked) does not match wallet \(wallet), a watch-only \(version.publicPrefix) wallet for \(scheme.rawValue) addresses")
        }
        do {
            var network: BitcoinNetwork?
            if let name = request.network { network = try ChainNetwork.resolve(name, chain: .bitcoin).bitcoin }
            return try AddressFormat.watchOnly(version: version, scheme: scheme, network: network, defaultScheme: scheme)
        } catch {
            throw ServiceError.invalid("wallet \(wallet): \(error)")
        }
    }

    /// The tenant's addresses matching `query`, in the order they were handed out.
    public func addresses(_ query: AddressListQuery, page: PageRequest, by caller: Caller) async throws -> Page<AddressView> {
        try caller.require(.read)
        let tenant = try caller.requireTenant("a deposit address")
        var names: [String: String] = [:]
        var walletID: String?
        if let reference = query.wallet {
            let (name, info) = try await find(reference, by: caller)
            walletID = info.id
            names[info.id] = name
        }
        if let chain = query.chain, Chain(rawValue: chain) == nil {
            throw ServiceError.invalid("chain must be one of \(Chain.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let rows = try await directory.addresses(tenantID: tenant.tenantID, AddressQuery(
            walletID: walletID, chain: query.chain, ownerID: try Self.text(query.ownerID, field: "owner_id"),
            purpose: try Self.text(query.purpose, field: "purpose")), page: page)
        var views: [AddressView] = []
        for row in rows.items {
            if names[row.walletID] == nil {
                names[row.walletID] = try await directory.wallet(tenantID: tenant.tenantID, reference: row.walletID)?.name ?? row.walletID
            }
            views.append(Self.view(row, walletName: names[row.walletID] ?? row.walletID))
        }
        return Page(items: views, nextCursor: rows.nextCursor)
    }

    /// Which of the tenant's wallets `address` belongs to, at which path, for whom.
    public func address(_ address: String, by caller: Caller) async throws -> AddressView {
        try caller.require(.read)
        let tenant = try caller.requireTenant("a deposit address")
        guard address.count <= 128, let row = try await directory.address(tenantID: tenant.tenantID, address),
              let wallet = try await directory.wallet(tenantID: tenant.tenantID, reference: row.walletID) else {
            throw ServiceError.notFound("no address \"\(address.prefix(128))\" among your wallets' addresses")
        }
        return Self.view(row, walletName: wallet.name)
    }

    /// The address format from `chain` and, for Bitcoin only, `scheme`; `network` is any network
    /// of the chain registry of that chain ("bitcoin-regtest", "litecoin-mainnet", "polygon",
    /// "evm:8453"), or one of Bitcoin's short names ("mainnet", "testnet", "regtest", "signet";
    /// "mainnet" also for the other chains). Every EVM network gives the ethereum format.
    static func format(chain chainName: String, scheme schemeName: String?, network networkName: String?) throws -> AddressFormat {
        guard let chain = Chain(rawValue: chainName) else {
            throw ServiceError.invalid("chain must be one of \(Chain.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let scheme = try schemeName.map { name throws(ServiceError) in try WalletSecrets.parseScheme(name) }
        guard chain == .bitcoin || scheme == nil else {
            throw ServiceError.invalid("scheme applies to chain bitcoin only")
        }
        do { return try ChainNetwork.resolve(networkName, chain: chain).addressFormat(scheme: scheme) } catch { throw ServiceError.invalid("network: \(error)") }
    }

    /// The counter key of a format: "bitcoin:p2wpkh:mainnet", "bitcoin:p2wpkh:litecoin-regtest",
    /// "ethereum" (every EVM network), "tron", "solana". Networks whose addresses of a scheme are
    /// the same strings (see ``AddressFormat/sharedAddresses``) count in one key, named after the
    /// first of them, so no index, and no address, is handed out twice.
    static func key(_ format: AddressFormat) -> String {
        switch format.sharedAddresses {
        case .bitcoin(let scheme, let network): "bitcoin:\(scheme.rawValue):\(network.name)"
        default: format.chain.rawValue
        }
    }

    /// An optional short text: 1-`maximum` characters, no control characters.
    static func text(_ value: String?, field: String, maximum: Int = 200) throws(ServiceError) -> String? {
        guard let value else { return nil }
        guard !value.isEmpty, value.count <= maximum, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw ServiceError.invalid("\(field) must be 1-\(maximum) characters without control characters")
        }
        return value
    }

    static func view(_ address: TenantAddress, walletName: String) -> AddressView {
        AddressView(
            address: address.address, wallet: address.walletID, walletName: walletName, chain: address.chain, format: address.format,
            index: address.index, path: address.path, label: address.label, ownerID: address.ownerID, purpose: address.purpose,
            createdAt: address.createdAt)
    }
}
