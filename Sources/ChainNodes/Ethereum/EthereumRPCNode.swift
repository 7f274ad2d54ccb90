public import Chains
public import CofferBase
import WalletCore

/// An Ethereum (or any EVM chain's) node over its standard JSON-RPC API: what Coffer reads to
/// follow a chain and what it needs to send a transaction. Every answer is checked and parsed
/// exactly (quantities as integers, never through floating point; hashes and addresses as
/// lowercase 0x hex); an answer that does not parse is a retryable `NodeError.garbage`. An RPC
/// error the node returns on purpose (a rejected transaction, a reverted call) is
/// `NodeError.refused` carrying the node's code in `rpc_code`.
public struct EthereumRPCNode: Sendable {
    public let client: JSONRPCClient

    public init(client: JSONRPCClient) {
        self.client = client
    }

    /// A node at `url` (http or https, no credentials in it).
    public init(url: String, credentials: NodeCredentials = .none, timeout: Duration = .seconds(30),
                retry: RetryPolicy = RetryPolicy()) throws(NodeError) {
        self.client = try JSONRPCClient(url: url, dialect: .ethereum, credentials: credentials, timeout: timeout, retry: retry)
    }

    // MARK: - Chain

    /// `eth_chainId` (EIP-695): the id transactions are signed for.
    public func chainID() async throws(NodeError) -> UInt64 {
        try EthereumAnswer.uint64(await client.call("eth_chainId"), "eth_chainId")
    }

    /// `eth_blockNumber`: the newest block's number.
    public func blockNumber() async throws(NodeError) -> UInt64 {
        try EthereumAnswer.uint64(await client.call("eth_blockNumber"), "eth_blockNumber")
    }

    /// `eth_getBlockByNumber`; nil when there is no such block (yet). With `fullTransactions`
    /// the block's `transactions` are filled in, else only `transactionHashes`.
    public func block(_ tag: EthereumBlockTag, fullTransactions: Bool = false) async throws(NodeError) -> EthereumNodeBlock? {
        let answer = try await client.call("eth_getBlockByNumber", [tag.parameter, .bool(fullTransactions)])
        if answer == .null { return nil }
        return try EthereumNodeBlock(answer, full: fullTransactions, context: "eth_getBlockByNumber(\(tag.parameter.text))")
    }

    /// `eth_getBlockByHash`; nil when the node does not know the block.
    public func block(hash: String, fullTransactions: Bool = false) async throws(NodeError) -> EthereumNodeBlock? {
        let answer = try await client.call("eth_getBlockByHash", [.string(try Self.hash(hash, "block hash")), .bool(fullTransactions)])
        if answer == .null { return nil }
        return try EthereumNodeBlock(answer, full: fullTransactions, context: "eth_getBlockByHash(\(hash))")
    }

    /// The transactions of the node's pending block (`eth_getBlockByNumber("pending", true)`):
    /// what it would mine next. Nodes that build no pending block answer their latest block or
    /// null (then this is empty); only use it with a node known to build one.
    public func pendingTransactions() async throws(NodeError) -> [EthereumNodeTransaction] {
        let answer = try await client.call("eth_getBlockByNumber", [EthereumBlockTag.pending.parameter, .bool(true)])
        if answer == .null { return [] }
        let pending = try EthereumAnswer(answer, "eth_getBlockByNumber(pending)")
        var transactions: [EthereumNodeTransaction] = []
        for (index, item) in try pending.array("transactions").enumerated() {
            transactions.append(try EthereumNodeTransaction(item, context: "eth_getBlockByNumber(pending): transaction \(index)"))
        }
        return transactions
    }

    // MARK: - Transactions

    /// `eth_getTransactionByHash`; nil when the node knows no such transaction (never sent,
    /// dropped, or in a block reorganised away and not mined again).
    public func transaction(hash: String) async throws(NodeError) -> EthereumNodeTransaction? {
        let answer = try await client.call("eth_getTransactionByHash", [.string(try Self.hash(hash, "transaction hash"))])
        if answer == .null { return nil }
        return try EthereumNodeTransaction(answer, context: "eth_getTransactionByHash(\(hash))")
    }

    /// `eth_getRawTransactionByHash` (geth and most clients): the signed bytes, to broadcast
    /// again; nil when unknown.
    public func rawTransaction(hash: String) async throws(NodeError) -> [UInt8]? {
        let answer = try await client.call("eth_getRawTransactionByHash", [.string(try Self.hash(hash, "transaction hash"))])
        if answer == .null { return nil }
        return try EthereumAnswer.bytes(answer, "eth_getRawTransactionByHash(\(hash))")
    }

    /// `eth_getTransactionReceipt`; nil while the transaction is not mined (or unknown).
    public func receipt(hash: String) async throws(NodeError) -> EthereumReceipt? {
        let answer = try await client.call("eth_getTransactionReceipt", [.string(try Self.hash(hash, "transaction hash"))])
        if answer == .null { return nil }
        return try EthereumReceipt(answer, context: "eth_getTransactionReceipt(\(hash))")
    }

    /// The receipts of `hashes` in one JSON-RPC batch, in the same order; nil where not mined.
    public func receipts(hashes: [String]) async throws(NodeError) -> [EthereumReceipt?] {
        var calls: [(method: String, params: [JSONValue])] = []
        for hash in hashes { calls.append(("eth_getTransactionReceipt", [.string(try Self.hash(hash, "transaction hash"))])) }
        let answers = try await client.batch(calls)
        var receipts: [EthereumReceipt?] = []
        for (hash, answer) in zip(hashes, answers) {
            receipts.append(answer == .null ? nil : try EthereumReceipt(answer, context: "eth_getTransactionReceipt(\(hash))"))
        }
        return receipts
    }

    /// `eth_getLogs`.
    public func logs(_ filter: EthereumLogFilter) async throws(NodeError) -> [EthereumLog] {
        let answer = try await client.call("eth_getLogs", [filter.parameter])
        guard case .array(let items) = answer else { throw NodeError.garbage("eth_getLogs: expected an array, got \(answer.kindName)") }
        return try EthereumLog.list(items, context: "eth_getLogs: log")
    }

    /// `eth_sendRawTransaction`: broadcasts signed bytes; returns the transaction's hash, checked
    /// against the Keccak-256 of `raw` (a node that names another transaction is not believed).
    public func sendRawTransaction(_ raw: [UInt8]) async throws(NodeError) -> String {
        let answer = try await client.call("eth_sendRawTransaction", [.string("0x" + Hex.encode(raw))])
        let hash = try EthereumAnswer.hex(answer, bytes: 32, "eth_sendRawTransaction")
        let expected = "0x" + Hex.encode(Keccak256.hash(raw))
        guard hash == expected else { throw NodeError.garbage("eth_sendRawTransaction answered \(hash) for the transaction \(expected)") }
        return hash
    }

    // MARK: - Accounts and fees

    /// `eth_getTransactionCount`: the next nonce of `address` (`.pending` counts the mempool).
    public func nonce(of address: String, at tag: EthereumBlockTag = .pending) async throws(NodeError) -> UInt64 {
        let answer = try await client.call("eth_getTransactionCount", [.string(try Self.address(address)), tag.parameter])
        return try EthereumAnswer.uint64(answer, "eth_getTransactionCount(\(address))")
    }

    /// `eth_getBalance` in wei.
    public func balance(of address: String, at tag: EthereumBlockTag = .latest) async throws(NodeError) -> UInt128 {
        let answer = try await client.call("eth_getBalance", [.string(try Self.address(address)), tag.parameter])
        return try EthereumAnswer.uint128(answer, "eth_getBalance(\(address))")
    }

    /// `eth_call`: runs `call` against the state at `tag` without a transaction; the return data.
    /// A revert is `NodeError.refused` (rpc_code 3 on geth).
    public func call(_ call: EthereumCall, at tag: EthereumBlockTag = .latest) async throws(NodeError) -> [UInt8] {
        let answer = try await client.call("eth_call", [try call.parameter(), tag.parameter])
        return try EthereumAnswer.bytes(answer, "eth_call")
    }

    /// `eth_estimateGas`: the gas `call` would use as a transaction.
    public func estimateGas(_ call: EthereumCall) async throws(NodeError) -> UInt64 {
        try EthereumAnswer.uint64(await client.call("eth_estimateGas", [try call.parameter()]), "eth_estimateGas")
    }

    /// `eth_gasPrice`: the node's suggested price per gas (legacy transactions), in wei.
    public func gasPrice() async throws(NodeError) -> UInt128 {
        try EthereumAnswer.uint128(await client.call("eth_gasPrice"), "eth_gasPrice")
    }

    /// `eth_maxPriorityFeePerGas`: the node's suggested tip per gas (EIP-1559), in wei.
    public func maxPriorityFeePerGas() async throws(NodeError) -> UInt128 {
        try EthereumAnswer.uint128(await client.call("eth_maxPriorityFeePerGas"), "eth_maxPriorityFeePerGas")
    }

    /// `eth_feeHistory` for `blockCount` blocks up to `newest`, with the tips at
    /// `rewardPercentiles` (increasing whole percentiles, 0...100).
    public func feeHistory(blockCount: UInt64, newest: EthereumBlockTag = .latest,
                           rewardPercentiles: [UInt8] = []) async throws(NodeError) -> EthereumFeeHistory {
        guard rewardPercentiles.allSatisfy({ $0 <= 100 }) else {
            throw NodeError(.invalidInput, "invalid-request", "reward percentiles are whole numbers from 0 to 100")
        }
        var params: [JSONValue] = [quantityParameter(blockCount), newest.parameter]
        if !rewardPercentiles.isEmpty { params.append(.array(rewardPercentiles.map { .integer($0) })) }
        return try EthereumFeeHistory(await client.call("eth_feeHistory", params), context: "eth_feeHistory")
    }

    // MARK: - Parameters

    /// A 32-byte hash parameter, lowercased; anything else is refused before it reaches the node.
    static func hash(_ text: String, _ what: String) throws(NodeError) -> String {
        guard text.utf8.count == 66, text.hasPrefix("0x"), (try? Hex.decode(text)) != nil else {
            throw NodeError(.invalidInput, "invalid-request", "\(text) is not a \(what) (0x and 64 hex digits)")
        }
        return text.lowercased()
    }

    static func address(_ text: String) throws(NodeError) -> String {
        do {
            return "0x" + Hex.encode(try EthereumAddress.decode(text))
        } catch {
            throw NodeError(.invalidInput, "invalid-request", "\(text) is not an address: \(error)")
        }
    }
}

/// A call or a transaction to estimate: `eth_call` and `eth_estimateGas` take it.
public struct EthereumCall: Sendable, Equatable {
    public var from: String?
    /// Nil: a contract creation.
    public var to: String?
    /// Wei.
    public var value: UInt128
    public var input: [UInt8]
    public var gas: UInt64?

    public init(from: String? = nil, to: String?, value: UInt128 = 0, input: [UInt8] = [], gas: UInt64? = nil) {
        self.from = from
        self.to = to
        self.value = value
        self.input = input
        self.gas = gas
    }

    func parameter() throws(NodeError) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        if let from { members.append(("from", .string(try EthereumRPCNode.address(from)))) }
        if let to { members.append(("to", .string(try EthereumRPCNode.address(to)))) }
        if value > 0 { members.append(("value", quantityParameter(value))) }
        // `data`: every client reads it (newer ones also take `input`).
        if !input.isEmpty { members.append(("data", .string("0x" + Hex.encode(input)))) }
        if let gas { members.append(("gas", quantityParameter(gas))) }
        return .object(members)
    }
}
