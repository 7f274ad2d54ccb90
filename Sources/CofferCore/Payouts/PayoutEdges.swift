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
        return (node, PSBTBatchBuilder(network: bitcoin, fingerprint: bytes))
    }
}
