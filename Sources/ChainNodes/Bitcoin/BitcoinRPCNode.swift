public import Chains
public import CofferBase
public import WalletCore

/// A Bitcoin Core JSON-RPC client (and of its forks that keep the interface: Litecoin Core, ...):
/// the calls a syncer and a broadcaster need, with typed answers. Hashes and txids travel as
/// `BitcoinHash`, amounts as whole smallest units read exactly from the node's decimal literals.
///
/// A thing that does not exist (an unknown block or transaction, a height above the tip) is nil,
/// not an error; a transaction the node refuses is `node-refused` with the node's reason and RPC
/// code; anything unreadable is `node-bad-answer`. Transaction lookups by txid outside the
/// mempool need the node's `-txindex=1`.
public struct BitcoinRPCNode: Sendable {
    public let client: JSONRPCClient

    public init(client: JSONRPCClient) {
        self.client = client
    }

    /// A client for the node at `url` (e.g. `http://127.0.0.1:8332/`), authenticated by `credentials`.
    public init(url: String, credentials: NodeCredentials, timeout: Duration = .seconds(30), retry: RetryPolicy = RetryPolicy()) throws(NodeError) {
        client = try JSONRPCClient(url: url, dialect: .bitcoin, credentials: credentials, timeout: timeout, retry: retry)
    }

    // MARK: The chain

    /// `getblockchaininfo`: the node's view of its chain, read in one consistent step.
    public func blockchainInfo() async throws(NodeError) -> BitcoinBlockchainInfo {
        let answer = try await call("getblockchaininfo")
        return BitcoinBlockchainInfo(
            chain: try answer.string("chain"),
            blocks: try answer.integer("blocks"),
            headers: try answer.integer("headers"),
            bestBlockHash: try answer.member("bestblockhash").bitcoinHash(),
            medianTime: try answer.integer("mediantime"),
            initialBlockDownload: try answer.bool("initialblockdownload"),
            pruned: try answer.bool("pruned"))
    }

    /// `getblockcount`: the height of the best block.
    public func blockCount() async throws(NodeError) -> UInt64 {
        try await call("getblockcount").integer()
    }

    /// `getbestblockhash`.
    public func bestBlockHash() async throws(NodeError) -> BitcoinHash {
        try await call("getbestblockhash").bitcoinHash()
    }

    /// `getblockhash`: the best chain's block at `height`; nil above the tip.
    public func blockHash(at height: UInt64) async throws(NodeError) -> BitcoinHash? {
        // -8: "Block height out of range".
        guard let answer = try await lookup("getblockhash", [.integer(height)], absentOn: [-8]) else { return nil }
        return try answer.bitcoinHash()
    }

    /// `getblock <hash> 0`: the serialised block; nil for a block the node does not know. A
    /// pruned block is `node-refused` ("Block not available (pruned data)").
    public func rawBlock(_ hash: BitcoinHash) async throws(NodeError) -> [UInt8]? {
        // -5: "Block not found".
        guard let answer = try await lookup("getblock", [.string(hash.hex), .integer(0)], absentOn: [-5]) else { return nil }
        return try answer.hexBytes()
    }

    /// The block `hash`, decoded; nil for a block the node does not know. A block whose bytes do
    /// not decode, or whose header does not hash to `hash`, is `node-bad-answer`.
    public func block(_ hash: BitcoinHash) async throws(NodeError) -> BitcoinBlock? {
        guard let bytes = try await rawBlock(hash) else { return nil }
        let block: BitcoinBlock
        do {
            block = try BitcoinBlock(serialized: bytes)
        } catch {
            throw NodeError.garbage("getblock \(hash.hex) on \(client.displayURL): \(error)")
        }
        guard block.hash == hash else {
            throw NodeError.garbage("getblock \(hash.hex) on \(client.displayURL) returned block \(block.hash.hex)")
        }
        return block
    }

    /// `getblockheader <hash>`: where the block sits; nil for a block the node does not know.
    public func blockHeader(_ hash: BitcoinHash) async throws(NodeError) -> BitcoinBlockHeaderInfo? {
        guard let answer = try await lookup("getblockheader", [.string(hash.hex), .bool(true)], absentOn: [-5]) else { return nil }
        let header = BitcoinBlockHeaderInfo(
            hash: try answer.member("hash").bitcoinHash(),
            height: try answer.integer("height"),
            confirmations: try answer.integer("confirmations"),
            time: try answer.integer("time"),
            medianTime: try answer.integer("mediantime"),
            transactionCount: try answer.integer("nTx"),
            previousBlockHash: try answer.optional("previousblockhash")?.bitcoinHash(),
            nextBlockHash: try answer.optional("nextblockhash")?.bitcoinHash())
        guard header.hash == hash else { throw answer.bad("the header of \(header.hash.hex), not of \(hash.hex)") }
        return header
    }

    // MARK: Transactions

    /// `getrawtransaction <txid> false`: the serialised transaction, from the mempool or (with
    /// `-txindex`) the chain; nil when the node knows no such transaction.
    public func rawTransaction(_ txid: BitcoinHash) async throws(NodeError) -> [UInt8]? {
        // -5: "No such mempool or blockchain transaction".
        guard let answer = try await lookup("getrawtransaction", [.string(txid.hex), .bool(false)], absentOn: [-5]) else { return nil }
        return try answer.hexBytes()
    }

    /// `getrawtransaction <txid> true`: the transaction with where the node found it; nil when
    /// the node knows no such transaction.
    public func transaction(_ txid: BitcoinHash) async throws(NodeError) -> BitcoinTransactionInfo? {
        guard let answer = try await lookup("getrawtransaction", [.string(txid.hex), .bool(true)], absentOn: [-5]) else { return nil }
        let bytes = try answer.member("hex").hexBytes()
        let decoded = try Self.decodeTransaction(bytes, expected: txid, context: answer.context)
        return BitcoinTransactionInfo(
            txid: txid,
            wtxid: try answer.member("hash").bitcoinHash(),
            transaction: decoded,
            serialized: bytes,
            blockHash: try answer.optional("blockhash")?.bitcoinHash(),
            confirmations: try answer.optional("confirmations")?.integer(),
            blockTime: try answer.optional("blocktime")?.integer())
    }

    /// `gettxout <txid> <index> <include_mempool>`: whether the output exists and is unspent (in
    /// the best chain, and with `includingMempool` not spent by a mempool transaction either).
    public func isUnspent(_ txid: BitcoinHash, index: UInt32, includingMempool: Bool) async throws(NodeError) -> Bool {
        // An unspent output is an object; a spent or unknown one is null.
        let answer = try await call("gettxout", [.string(txid.hex), .integer(index), .bool(includingMempool)])
        return answer.optional("value") != nil
    }

    /// `getrawmempool`: the txids waiting in the mempool, in the node's order.
    public func rawMempool() async throws(NodeError) -> [BitcoinHash] {
        var txids: [BitcoinHash] = []
        for item in try await call("getrawmempool", [.bool(false)]).array() {
            txids.append(try item.bitcoinHash())
        }
        return txids
    }

    /// `getmempoolentry <txid>`: the transaction's mempool data; nil when it is not in the mempool.
    public func mempoolEntry(_ txid: BitcoinHash) async throws(NodeError) -> BitcoinMempoolEntry? {
        // -5: "Transaction not in mempool".
        guard let answer = try await lookup("getmempoolentry", [.string(txid.hex)], absentOn: [-5]) else { return nil }
        // `fees.base` since 0.19; the top-level `fee` before (and deprecated after).
        let fee: UInt64
        if let fees = answer.optional("fees") { fee = try fees.amount("base") } else { fee = try answer.amount("fee") }
        var depends: [BitcoinHash] = []
        for item in try answer.optional("depends")?.array() ?? [] { depends.append(try item.bitcoinHash()) }
        var spentBy: [BitcoinHash] = []
        for item in try answer.optional("spentby")?.array() ?? [] { spentBy.append(try item.bitcoinHash()) }
        return BitcoinMempoolEntry(
            txid: txid,
            virtualSize: try answer.integer("vsize"),
            fee: fee,
            time: try answer.integer("time"),
            height: try answer.integer("height"),
            replaceable: try answer.optional("bip125-replaceable")?.bool() ?? false,
            depends: depends,
            spentBy: spentBy)
    }

    /// `sendrawtransaction`: hands the transaction to the node for its mempool and peers, and
    /// returns its txid. A transaction the node already has (in the mempool or a block) is
    /// success, so a broadcast can be repeated. `maximumFeeRate` (smallest units per 1,000
    /// virtual bytes) overrides the node's guard against absurd fees; 0 turns it off.
    public func sendRawTransaction(_ transaction: [UInt8], maximumFeeRate: UInt64? = nil) async throws(NodeError) -> BitcoinHash {
        let decoded = try Self.decodeOwn(transaction)
        var params: [JSONValue] = [.string(Hex.encode(transaction))]
        if let maximumFeeRate { params.append(BitcoinAmount.literal(maximumFeeRate)) }
        // -27: "Transaction already in block chain" (RPC_VERIFY_ALREADY_IN_CHAIN).
        guard let answer = try await lookup("sendrawtransaction", params, absentOn: [-27]) else { return decoded.txid }
        let txid = try answer.bitcoinHash()
        guard txid == decoded.txid else { throw answer.bad("the node names txid \(txid.hex), the transaction's is \(decoded.txid.hex)") }
        return txid
    }

    /// `testmempoolaccept`: whether the node would accept each transaction now, without sending
    /// any. Bitcoin Core 0.21 takes exactly one transaction per call; later versions a package.
    public func testMempoolAccept(_ transactions: [[UInt8]], maximumFeeRate: UInt64? = nil) async throws(NodeError) -> [BitcoinMempoolAcceptance] {
        var params: [JSONValue] = [.array(transactions.map { .string(Hex.encode($0)) })]
        if let maximumFeeRate { params.append(BitcoinAmount.literal(maximumFeeRate)) }
        let items = try await call("testmempoolaccept", params).array()
        guard items.count == transactions.count else {
            throw NodeError.garbage("testmempoolaccept on \(client.displayURL): \(items.count) answers for \(transactions.count) transactions")
        }
        var results: [BitcoinMempoolAcceptance] = []
        for item in items {
            let allowed = try item.bool("allowed")
            results.append(BitcoinMempoolAcceptance(
                txid: try item.member("txid").bitcoinHash(),
                allowed: allowed,
                rejectReason: try item.optional("reject-reason")?.string(),
                virtualSize: try item.optional("vsize")?.integer(),
                fee: try item.optional("fees")?.amount("base")))
        }
        return results
    }

    // MARK: Fees

    public enum FeeEstimateMode: String, Sendable {
        case conservative = "CONSERVATIVE", economical = "ECONOMICAL"
    }

    /// `estimatesmartfee`: the fee rate (smallest units per 1,000 virtual bytes) expected to
    /// confirm within `blocks`; nil when the node has no estimate yet (a new node, regtest).
    public func estimateSmartFee(blocks: Int, mode: FeeEstimateMode = .conservative) async throws(NodeError) -> BitcoinFeeEstimate? {
        let answer = try await call("estimatesmartfee", [.integer(blocks), .string(mode.rawValue)])
        // Without data the node answers {"errors": ["Insufficient data or no feerate found"], "blocks": 0}.
        guard let rate = answer.optional("feerate") else { return nil }
        return BitcoinFeeEstimate(ratePerKilovbyte: try rate.amount(), blocks: try answer.integer("blocks"))
    }

    // MARK: Calls

    /// `scantxoutset start`: the unspent outputs paying `addresses` in the node's UTXO set at its
    /// best block (mined outputs only), with the block the scan saw. The node runs one scan at a
    /// time: another one in progress (RPC code -8) is a retryable `node-busy`.
    public func scanUnspent(addresses: [String]) async throws(NodeError) -> BitcoinUTXOScan {
        let descriptors = addresses.map { JSONValue.string("addr(\($0))") }
        let answer: NodeAnswer
        do throws(NodeError) {
            answer = try await call("scantxoutset", [.string("start"), .array(descriptors)])
        } catch {
            if error.rpcCode == -8, error.description.contains("in progress") {
                throw NodeError(.unavailable, "node-busy", "\(client.displayURL) is already scanning its UTXO set; try again shortly")
            }
            throw error
        }
        guard try answer.bool("success") else { throw answer.bad("the scan did not succeed") }
        let outputs = try answer.array("unspents").map { item throws(NodeError) in
            BitcoinUTXOScan.Output(
                txid: try item.member("txid").bitcoinHash(), index: try item.integer("vout"), scriptPubKey: try item.member("scriptPubKey").hexBytes(),
                amount: try item.amount("amount"), height: try item.integer("height"))
        }
        return BitcoinUTXOScan(height: try answer.integer("height"), bestBlock: try answer.member("bestblock").bitcoinHash(), outputs: outputs)
    }

    /// `method`'s answer; nil when the node refuses with one of the RPC codes in `absentOn`
    /// (how Bitcoin Core says "no such thing").
    func lookup(_ method: String, _ params: [JSONValue], absentOn codes: Set<Int>) async throws(NodeError) -> NodeAnswer? {
        do throws(NodeError) {
            return NodeAnswer(try await client.call(method, params), context: "\(method) on \(client.displayURL)")
        } catch {
            if let code = error.rpcCode, codes.contains(code) { return nil }
            throw error
        }
    }

    func call(_ method: String, _ params: [JSONValue] = []) async throws(NodeError) -> NodeAnswer {
        NodeAnswer(try await client.call(method, params), context: "\(method) on \(client.displayURL)")
    }

    /// Decodes a transaction from the node and checks it is the one asked for.
    static func decodeTransaction(_ bytes: [UInt8], expected txid: BitcoinHash, context: String) throws(NodeError) -> BitcoinBlock.Transaction {
        let decoded: BitcoinBlock.Transaction
        do {
            decoded = try BitcoinBlock.Transaction(serialized: bytes)
        } catch {
            throw NodeError.garbage("\(context): transaction \(txid.hex): \(error)")
        }
        guard decoded.txid == txid else { throw NodeError.garbage("\(context): asked for \(txid.hex), got \(decoded.txid.hex)") }
        return decoded
    }

    /// Decodes a transaction the caller wants to send: bytes that are not one are the caller's mistake.
    private static func decodeOwn(_ bytes: [UInt8]) throws(NodeError) -> BitcoinBlock.Transaction {
        do {
            return try BitcoinBlock.Transaction(serialized: bytes)
        } catch {
            throw NodeError(.invalidInput, "invalid-transaction", "not a serialised transaction: \(error)")
        }
    }
}

extension NodeError {
    /// The JSON-RPC error code the node refused with (`node-refused`), e.g. -5 for "not found".
    public var rpcCode: Int? {
        guard case .number(let literal)? = members["rpc_code"] else { return nil }
        return Int(literal)
    }
}

extension NodeAnswer {
    /// A block hash or txid as 64 hex digits.
    public func bitcoinHash() throws(NodeError) -> BitcoinHash {
        let text = try string()
        guard let hash = BitcoinHash(hex: text) else { throw bad("expected 64 hex digits, got \"\(text.prefix(70))\"") }
        return hash
    }
}

// MARK: Answers

/// `getblockchaininfo`, the parts Coffer reads.
/// What `scantxoutset` found: the unspent outputs of some addresses at one block.
public struct BitcoinUTXOScan: Sendable, Equatable {
    public struct Output: Sendable, Equatable {
        public let txid: BitcoinHash
        public let index: UInt32
        public let scriptPubKey: [UInt8]
        /// In smallest units.
        public let amount: UInt64
        /// The height of the block that created the output.
        public let height: UInt64
    }

    public let height: UInt64
    public let bestBlock: BitcoinHash
    public let outputs: [Output]
}

public struct BitcoinBlockchainInfo: Sendable, Equatable {
    /// "main", "test", "regtest", "signet".
    public let chain: String
    /// Height of the best validated block.
    public let blocks: UInt64
    /// Height of the best known header (ahead of `blocks` while syncing).
    public let headers: UInt64
    public let bestBlockHash: BitcoinHash
    public let medianTime: UInt64
    public let initialBlockDownload: Bool
    public let pruned: Bool
}

/// `getblockheader <hash> true`, the parts Coffer reads.
public struct BitcoinBlockHeaderInfo: Sendable, Equatable {
    public let hash: BitcoinHash
    public let height: UInt64
    /// 1 for the tip, more below it; -1 for a block that is not on the best chain (reorganised
    /// away or never on it).
    public let confirmations: Int64
    public let time: UInt64
    public let medianTime: UInt64
    public let transactionCount: Int
    /// Nil for the genesis block.
    public let previousBlockHash: BitcoinHash?
    /// The best chain's next block; nil at the tip and off the best chain.
    public let nextBlockHash: BitcoinHash?

    /// Whether the block is on the node's best chain.
    public var isOnBestChain: Bool { confirmations >= 1 }
}

/// `getrawtransaction <txid> true`, the parts Coffer reads.
public struct BitcoinTransactionInfo: Sendable {
    public let txid: BitcoinHash
    public let wtxid: BitcoinHash
    public let transaction: BitcoinBlock.Transaction
    public let serialized: [UInt8]
    /// The block the node's transaction index puts it in; nil while it waits in the mempool.
    /// After a reorganisation this may still name the block that was reorganised away: ask
    /// `blockHeader` whether that block is on the best chain.
    public let blockHash: BitcoinHash?
    /// Bitcoin Core: confirmations of `blockHash` when it is on the best chain, 0 when it is not.
    public let confirmations: Int64?
    public let blockTime: UInt64?
}

/// `getmempoolentry`, the parts Coffer reads.
public struct BitcoinMempoolEntry: Sendable, Equatable {
    public let txid: BitcoinHash
    public let virtualSize: Int
    /// In smallest units.
    public let fee: UInt64
    /// When it entered the mempool (seconds since 1970).
    public let time: UInt64
    /// The chain height when it entered.
    public let height: UInt64
    /// BIP125: replaceable by a transaction paying more (signalled, or inheriting it).
    public let replaceable: Bool
    /// Unconfirmed transactions it spends from.
    public let depends: [BitcoinHash]
    /// Unconfirmed transactions spending from it.
    public let spentBy: [BitcoinHash]
}

/// `testmempoolaccept`, one transaction's verdict.
public struct BitcoinMempoolAcceptance: Sendable, Equatable {
    public let txid: BitcoinHash
    public let allowed: Bool
    /// Why not, in the node's words (e.g. "min relay fee not met"); nil when allowed.
    public let rejectReason: String?
    public let virtualSize: Int?
    /// In smallest units; given when allowed (Bitcoin Core 22 and later).
    public let fee: UInt64?
}

/// `estimatesmartfee`: a fee rate and the confirmation target it was estimated for.
public struct BitcoinFeeEstimate: Sendable, Equatable {
    /// Smallest units per 1,000 virtual bytes.
    public let ratePerKilovbyte: UInt64
    /// The target the estimate is for (may be above the one asked).
    public let blocks: Int
}
