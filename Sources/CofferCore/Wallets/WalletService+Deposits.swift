import CofferBase
public import CofferStorage
import Foundation
import Vault
public import WalletCore
public import Wallets

extension WalletService {
    /// Hands out the next `count` addresses of a wallet in `format` for the receiving side (deposit
    /// addresses, invoices), for a tenant or for the operator, and runs `alongside` in the same
    /// transaction with the addresses and the vault wallet id (to bind them to accounts): an
    /// address is watched exactly when it was handed out. The operator's addresses are counted
    /// in the same counters as the wallet owner's, so an index is never handed out twice.
    public func allocate(
        _ wallet: String, format: AddressFormat, count: UInt32, purpose: String, ownerID: String?, by caller: Caller,
        alongside: @escaping @Sendable ([TenantAddress], String, any SQLConnection) throws -> Void
    ) async throws -> [TenantAddress] {
        let unlocked = try vault.unlocked(for: caller)
        let (name, info) = try await find(wallet, by: caller)
        let deriver = try await unlocked.withSecret(of: info.id) { secret, _ throws -> AddressDeriver in
            try Self.deriver(secret, format: format, wallet: name)
        }
        let used = deriver.format
        let key = Self.key(used)
        let walletID = info.id
        let tenantID = caller.tenant?.tenantID
        let time = VaultClock.format(Date())
        return try await directory.database.write { connection in
            let owner = try tenantID ?? WalletDirectory.operatorOwner(walletID: walletID, name: name, at: time, on: connection)
            let addresses = try WalletDirectory.allocate(
                tenantID: owner, walletID: walletID, chain: used.chain.rawValue, format: key, count: count, label: nil, ownerID: ownerID,
                purpose: purpose, at: time, derive: { range in try deriver.derive(range: range) }, on: connection)
            try alongside(addresses, walletID, connection)
            return addresses
        }
    }

    /// What derives a wallet's addresses in `format`: an HD wallet's seed (the account key made
    /// once), or a watch-only wallet's account key (children 0/i, in the scheme it was imported
    /// for, on `format`'s network if the key is of its kind); never a single key.
    static func deriver(_ secret: WalletSecret, format: AddressFormat, wallet name: String) throws -> AddressDeriver {
        switch secret {
        case .seed(let seed):
            return try AddressDeriver(seed: seed, format: format)
        case .watchOnly(let key, let version, let scheme):
            guard case .bitcoin(_, let network) = format else {
                throw ServiceError(.rejected, "watch-only-wallet", "wallet \(name) is watch-only: its \(version.publicPrefix) derives Bitcoin-like addresses only")
            }
            do {
                let watched = try AddressFormat.watchOnly(version: version, scheme: scheme, network: network, defaultScheme: scheme)
                return try AddressDeriver(accountKey: key, format: watched, pathPrefix: "xpub/0/")
            } catch {
                throw ServiceError(.rejected, "watch-only-wallet", "wallet \(name): \(error)")
            }
        default:
            throw ServiceError(.rejected, "not-an-hd-wallet", "wallet \(name) holds a single key, so it has no address batches; only HD wallets derive addresses")
        }
    }
}
