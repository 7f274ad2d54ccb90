import ChainNodes
public import Chains
import CofferBase
import WalletCore

/// The node readers of configured chains: Bitcoin Core JSON-RPC for Bitcoin-like networks,
/// Ethereum JSON-RPC for EVM networks (checked to be on the configured chain id before the first
/// block is read). Building one checks the URL and connects to nothing.
public enum ChainSources {
    public static func make(_ chain: ChainConfig) throws -> any ChainSource {
        let network = try ChainNetwork.named(chain.network)
        let credentials = self.credentials(chain)
        switch network.family {
        case .bitcoin:
            guard let bitcoin = network.bitcoin else { throw ChainError.invalid("network \(network.name) has no Bitcoin encodings") }
            return BitcoinChainSource(node: try BitcoinRPCNode(url: chain.rpcURL, credentials: credentials), addresses: BitcoinAddressEncoding(bitcoin))
        case .evm:
            let source = EVMChainSource(node: try EthereumRPCNode(url: chain.rpcURL, credentials: credentials))
            return ChainIDCheckedSource(source: source, expected: network.evmChainID ?? 1)
        case .tron, .solana:
            throw ChainError.invalid("network \(network.name): receiving on \(network.family.rawValue) is not supported yet")
        }
    }

    /// Where a chain's node credentials come from: files only, never the database.
    static func credentials(_ chain: ChainConfig) -> NodeCredentials {
        if let cookie = chain.cookieFile { return .cookieFile(path: cookie) }
        if let user = chain.rpcUser, let file = chain.passwordFile { return .passwordFile(user: user, path: file) }
        return .none
    }
}

/// An EVM source that refuses to read anything until the node has shown it is on the expected
/// chain id: a misconfigured URL must never credit payments of another network.
struct ChainIDCheckedSource: ChainSource {
    let source: EVMChainSource
    let expected: UInt64
    private let checked = CheckedOnce()

    init(source: EVMChainSource, expected: UInt64) {
        self.source = source
        self.expected = expected
    }

    private func check() async throws(NodeError) {
        guard !checked.done else { return }
        try await source.checkChainID(expected)
        checked.mark()
    }

    func tip() async throws(NodeError) -> BlockRef {
        try await check()
        return try await source.tip()
    }

    func blockHash(at height: UInt64) async throws(NodeError) -> String? {
        try await check()
        return try await source.blockHash(at: height)
    }

    func block(at height: UInt64, tokens: Set<String>) async throws(NodeError) -> ChainBlock {
        try await check()
        return try await source.block(at: height, tokens: tokens)
    }

    func transactionState(_ id: String) async throws(NodeError) -> TransactionState {
        try await check()
        return try await source.transactionState(id)
    }

    func mempoolPayments() async throws(NodeError) -> [ChainPayment] {
        try await check()
        return try await source.mempoolPayments()
    }

    func holdings(of addresses: [String], tokens: Set<String>) async throws(NodeError) -> ChainHoldings {
        try await check()
        return try await source.holdings(of: addresses, tokens: tokens)
    }
}

import Synchronization

/// A flag set once, read from any thread.
final class CheckedOnce: Sendable {
    private let flag = Atomic<Bool>(false)
    var done: Bool { flag.load(ordering: .acquiring) }
    func mark() { flag.store(true, ordering: .releasing) }
}
