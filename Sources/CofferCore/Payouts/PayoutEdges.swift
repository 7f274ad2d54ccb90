import ChainNodes
public import Chains
import CofferBase
public import Payouts
import Vault
import WalletCore

/// The payout pipeline's edge per chain: the node connector and the transaction builder.
public enum PayoutEdges {
    public static func make(_ chain: ChainConfig, hot: HotWallet, vault: VaultAccess) async throws -> (node: any BitcoinPayoutNode, builder: any BatchTransactionBuilder) {
        let network = try ChainNetwork.named(chain.network)
        guard network.family == .bitcoin, let bitcoin = network.bitcoin else {
            throw PayoutError(.rejected, "payouts-unsupported", "payouts on \(network.name) are not supported yet")
        }
        let node = BitcoinRPCPayoutNode(node: try BitcoinRPCNode(url: chain.rpcURL, credentials: ChainSources.credentials(chain)))
        // The master fingerprint is kept in clear ("fingerprint:<8 hex>"): no key is touched.
        guard let info = try await vault.vault.store.wallet(hot.walletID), info.info.summary.hasPrefix("fingerprint:"),
              let bytes = try? Hex.decode(String(info.info.summary.dropFirst("fingerprint:".count))), bytes.count == 4 else {
            throw PayoutError(.rejected, "not-an-hd-wallet", "the hot wallet of \(chain.name) is not an HD wallet with a master fingerprint")
        }
        let fingerprint = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let walletID = hot.walletID
        return (node, PSBTBatchBuilder(network: bitcoin, fingerprint: fingerprint) { paths in
            let unlocked = try vault.unlocked(for: try Caller.commandLine())
            var keys: [DerivationPath: Secp256k1.PublicKey] = [:]
            let origins = paths.map { PSBTKeyOrigin(masterFingerprint: fingerprint, path: $0) }
            for start in stride(from: 0, to: origins.count, by: WalletPublicKeys.maximumOrigins) {
                let chunk = Array(origins[start..<min(start + WalletPublicKeys.maximumOrigins, origins.count)])
                let found = try await unlocked.publicKeys(of: walletID, at: chunk)
                for origin in chunk { keys[origin.path] = found.publicKey(for: origin) }
            }
            return keys
        })
    }
}
