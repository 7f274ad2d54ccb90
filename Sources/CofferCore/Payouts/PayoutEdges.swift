import ChainNodes
public import Chains
import CofferBase
public import Payouts
import Vault
import WalletCore

/// The payout pipeline's edge per chain: the node connector and, on Bitcoin-like chains, the
/// transaction builder and the change addresses.
public enum PayoutEdges {
    public static func make(_ chain: ChainConfig, hot: HotWallet, vault: VaultAccess, changeAddresses: any ChangeAddressSource) async throws -> PayoutRail {
        let network = try ChainNetwork.named(chain.network)
        switch network.family {
        case .bitcoin:
            guard let bitcoin = network.bitcoin else { break }
            let node = BitcoinRPCPayoutNode(node: try BitcoinRPCNode(url: chain.rpcURL, credentials: ChainSources.credentials(chain)))
            // The master fingerprint is kept in clear ("fingerprint:<8 hex>"): no key is touched.
            guard let info = try await vault.vault.store.wallet(hot.walletID), info.info.summary.hasPrefix("fingerprint:"),
                  let bytes = try? Hex.decode(String(info.info.summary.dropFirst("fingerprint:".count))), bytes.count == 4 else {
                throw PayoutError(.rejected, "not-an-hd-wallet", "the hot wallet of \(chain.name) is not an HD wallet with a master fingerprint")
            }
            let fingerprint = bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            let keys = try await AccountKeys.load(vault: vault, walletID: hot.walletID, network: network)
            return .bitcoin(BitcoinRail(node: node, builder: PSBTBatchBuilder(network: bitcoin, fingerprint: fingerprint, keys: keys), changeAddresses: changeAddresses))
        case .evm:
            let node = try EthereumRPCNode(url: chain.rpcURL, credentials: ChainSources.credentials(chain))
            let expected = network.evmChainID ?? 1
            // Nothing is signed for a node on another chain: a wrong URL must not pay out there.
            let actual = try await node.chainID()
            guard actual == expected else {
                throw PayoutError(.unavailable, "wrong-chain-id", "the node of \(chain.name) is on chain id \(actual), not \(expected); payouts wait")
            }
            return .evm(EVMRail(node: EthereumRPCPayoutNode(node: node), chainID: expected))
        case .tron, .solana:
            break
        }
        throw PayoutError(.rejected, "payouts-unsupported", "payouts on \(network.name) are not supported yet")
    }
}

/// A wallet's public keys below its account keys (one per address scheme: BIP44/49/84/86
/// accounts), derived from the account keys the vault computed once, so building a batch needs
/// no vault round trip and no private key. Paths outside those accounts have no key here.
struct AccountKeys: WalletKeyProvider {
    let accounts: [(path: DerivationPath, key: ExtendedPublicKey)]

    /// The account keys of every Bitcoin scheme of `network`, computed inside the vault.
    static func load(vault: VaultAccess, walletID: String, network: ChainNetwork) async throws -> AccountKeys {
        var paths: [DerivationPath] = []
        for scheme in BitcoinScheme.allCases {
            if let format = try? network.addressFormat(scheme: scheme), let path = try? format.accountPath(account: 0) { paths.append(path) }
        }
        let unlocked = try vault.unlocked(for: try Caller.commandLine())
        let keys = try await unlocked.withSecret(of: walletID) { secret, _ throws -> [ExtendedPublicKey] in
            guard case .seed(let seed) = secret else { throw PayoutError(.rejected, "not-an-hd-wallet", "the hot wallet is not an HD wallet") }
            let master = try ExtendedPrivateKey(seed: seed)
            return try paths.map { try master.derive(path: $0).extendedPublicKey }
        }
        return AccountKeys(accounts: Array(zip(paths, keys)))
    }

    func publicKeys(at paths: [DerivationPath]) throws -> [DerivationPath: Secp256k1.PublicKey] {
        var found: [DerivationPath: Secp256k1.PublicKey] = [:]
        // Paths share their parents (an account's receiving and change branches): each parent is
        // derived once, with a deriver for its children, so a path costs one HMAC and one tweak-add.
        var parents: [DerivationPath: ExtendedPublicKey.ChildDeriver?] = [:]
        for path in paths {
            for account in accounts where path.components.starts(with: account.path.components) {
                let rest = Array(path.components.dropFirst(account.path.components.count))
                guard let last = rest.last else {
                    found[path] = account.key.publicKey
                    continue
                }
                let parentPath = DerivationPath(Array(path.components.dropLast()))
                let deriver: ExtendedPublicKey.ChildDeriver?
                if let known = parents[parentPath] {
                    deriver = known
                } else {
                    let parent = try? account.key.derive(path: DerivationPath(Array(rest.dropLast())))
                    deriver = parent.flatMap { $0.depth < UInt8.max ? $0.childDeriver() : nil }
                    parents[parentPath] = .some(deriver)
                }
                if let key = try? deriver?.derive(last) { found[path] = key.publicKey }
            }
        }
        return found
    }
}
