import ChainNodes
import Chains
import CofferBase
import CofferTestSupport
import Testing
import WalletCore

/// `BitcoinChainSource` against a real Litecoin Core node in regtest: blocks and payments compared
/// with the node's own decoding (`getblock <hash> 2`), and where transactions are through a
/// reorganisation and a double spend.
@Suite struct BitcoinChainSourceTests {
    /// A taproot address the node's legacy wallet cannot make: BIP86 output key of a fixed key.
    static func taprootAddress() throws -> String {
        let key = try Secp256k1.PrivateKey(Array(repeating: 0x42, count: 32))
        return try SegwitAddress.encode(hrp: "rltc", version: 1, program: key.publicKey.taprootOutputKey())
    }

    static func source(_ node: Litecoind) throws -> BitcoinChainSource {
        BitcoinChainSource(node: try node.rpcNode(), addresses: .litecoinRegtest)
    }

    /// The output script a Litecoin regtest address stands for.
    static func scriptPubKey(_ address: String) throws -> [UInt8] {
        if address.hasPrefix("rltc1") {
            let (_, version, program) = try SegwitAddress.decode(address, expectedHRP: "rltc")
            return [version == 0 ? 0x00 : 0x50 + version, UInt8(program.count)] + program
        }
        let payload = try Base58.decodeCheck(address)
        switch payload.first {
        case 0x6F: return [0x76, 0xA9, 0x14] + payload.dropFirst() + [0x88, 0xAC]
        case 0x3A, 0xC4: return [0xA9, 0x14] + payload.dropFirst() + [0x87]
        default: throw HarnessError("\(address) is not a Litecoin regtest address")
        }
    }

    /// One litecoin amount literal in litoshi.
    static func litoshi(_ value: JSONValue?) -> UInt64? {
        guard case .number(let literal)? = value else { return nil }
        return BitcoinAmount.units(literal: literal)
    }

    /// Every field `decodedBlock`/`block` read, compared with `getblock <hash> 2` at `height`;
    /// returns the addresses the node listed and ours matched.
    @discardableResult
    static func expectBlockMatchesNode(_ node: Litecoind, _ source: BitcoinChainSource, height: UInt64) async throws -> Set<String> {
        let decoded = try await source.decodedBlock(at: height)
        let chainBlock = try await source.block(at: height, tokens: [])
        let verbose = try await node.cli("getblock", [.string(decoded.hash.hex), .integer(2)])
        #expect(verbose["height"] == .integer(height))
        #expect(verbose["hash"] == .string(decoded.hash.hex))
        #expect(verbose["previousblockhash"] == .string(decoded.header.previousBlockHash.hex) || height == 0)
        #expect(verbose["merkleroot"] == .string(decoded.header.merkleRoot.hex))
        #expect(verbose["time"] == .integer(decoded.header.time))
        #expect(verbose["nonce"] == .integer(decoded.header.nonce))
        #expect(verbose["size"] == .integer(decoded.size))
        #expect(chainBlock.ref == BlockRef(height: height, hash: decoded.hash.hex))
        #expect(chainBlock.parentHash == decoded.header.previousBlockHash.hex)
        #expect(chainBlock.time == UInt64(decoded.header.time))
        guard case .array(let transactions)? = verbose["tx"] else {
            Issue.record("getblock 2 has no tx list")
            return []
        }
        var compared: Set<String> = []
        #expect(transactions.count == decoded.transactions.count && chainBlock.transactionCount == transactions.count)
        var expectedPayments: [ChainPayment] = []
        for (json, transaction) in zip(transactions, decoded.transactions) {
            #expect(json["txid"] == .string(transaction.txid.hex))
            #expect(json["size"] == .integer(transaction.size))
            #expect(json["locktime"] == .integer(transaction.lockTime))
            guard case .array(let inputs)? = json["vin"], case .array(let outputs)? = json["vout"] else {
                Issue.record("transaction without vin or vout")
                continue
            }
            #expect(inputs.count == transaction.inputs.count)
            for (input, decodedInput) in zip(inputs, transaction.inputs) {
                if input["coinbase"] != nil {
                    #expect(decodedInput.previousOutput.isNull)
                } else {
                    #expect(input["txid"] == .string(decodedInput.previousOutput.txid.hex))
                    #expect(input["vout"] == .integer(decodedInput.previousOutput.index))
                }
                #expect(input["sequence"] == .integer(decodedInput.sequence))
            }
            #expect(outputs.count == transaction.outputs.count)
            for (index, (output, decodedOutput)) in zip(outputs, transaction.outputs).enumerated() {
                #expect(output["n"] == .integer(index))
                #expect(litoshi(output["value"]) == decodedOutput.value)
                #expect(output["scriptPubKey"]?["hex"] == .string(Hex.encode(decodedOutput.scriptPubKey)))
                let ours = BitcoinAddressEncoding.litecoinRegtest.address(of: decodedOutput.scriptPubKey)
                // Litecoin 0.21 lists an output's addresses (one for every standard type).
                if case .array(let addresses)? = output["scriptPubKey"]?["addresses"] {
                    #expect(addresses == [.string(ours ?? "nil")], "output \(index) of \(transaction.txid)")
                    if let ours { compared.insert(ours) }
                }
                if let ours {
                    expectedPayments.append(ChainPayment(
                        transactionID: transaction.txid.hex, index: UInt32(index), address: ours, token: nil, amount: UInt128(decodedOutput.value)))
                }
            }
        }
        #expect(chainBlock.payments == expectedPayments)
        return compared
    }

    @Test func blocksAndPaymentsMatchTheNode() async throws {
        try await Litecoind.with { node in
            let source = try Self.source(node)
            let taproot = try Self.taprootAddress()
            #expect(taproot.hasPrefix("rltc1p"))
            // One payment to each kind of address, with amounts down to the last litoshi.
            var sent: [(txid: String, address: String, amount: UInt64)] = []
            for (type, amount) in [(Litecoind.AddressType.legacy, UInt64(1_2345_6789)), (.p2shSegwit, 9_8765_4321), (.bech32, 3_000_000_1)] {
                let address = try await node.newAddress(type)
                sent.append((try await node.send(to: address, amount: amount), address, amount))
            }
            sent.append((try await node.send(to: taproot, amount: 7_777_777), taproot, 7_777_777))
            #expect(sent[0].address.hasPrefix("m") || sent[0].address.hasPrefix("n"))
            #expect(sent[1].address.hasPrefix("Q"))
            #expect(sent[2].address.hasPrefix("rltc1q"))

            // Seen in the mempool before any block, each at the output index the node gives it.
            let mempool = try await source.mempoolPayments()
            for payment in sent {
                let verbose = try await node.cli("getrawtransaction", [.string(payment.txid), .bool(true)])
                let script = JSONValue.string(Hex.encode(try Self.scriptPubKey(payment.address)))
                guard case .array(let outputs)? = verbose["vout"],
                      case .number(let index)? = outputs.first(where: { $0["scriptPubKey"]?["hex"] == script })?["n"]
                else {
                    Issue.record("the node does not show the payment to \(payment.address)")
                    continue
                }
                let expected = ChainPayment(transactionID: payment.txid, index: UInt32(index)!, address: payment.address, token: nil, amount: UInt128(payment.amount))
                #expect(mempool.contains(expected), "mempool payment to \(payment.address)")
            }

            let mined = try await node.mine(1)
            let tip = try await source.tip()
            #expect(tip == BlockRef(height: UInt64(Litecoind.maturingBlocks + 1), hash: mined[0]))
            #expect(try await source.blockHash(at: tip.height) == tip.hash)
            #expect(try await source.blockHash(at: tip.height + 1) == nil)
            let block = try await source.block(at: tip.height, tokens: [])
            #expect(block.transactionCount == 1 + sent.count)
            for payment in sent {
                #expect(block.payments.contains { $0.transactionID == payment.txid && $0.address == payment.address && $0.amount == UInt128(payment.amount) })
            }
            #expect(try await source.mempoolPayments().isEmpty)

            for height: UInt64 in [0, 1, 2, 100, tip.height - 1] {
                try await Self.expectBlockMatchesNode(node, source, height: height)
            }
            // The node lists an address for every kind paid, taproot included, and ours match.
            let compared = try await Self.expectBlockMatchesNode(node, source, height: tip.height)
            #expect(compared.isSuperset(of: sent.map(\.address)))
            do throws(NodeError) {
                _ = try await source.block(at: tip.height + 1, tokens: [])
                Issue.record("a block above the tip was returned")
            } catch {
                #expect(error.code == "node-no-block" && error.isRetryable)
            }
        }
    }

    @Test func transactionStateThroughReorgAndDoubleSpend() async throws {
        try await Litecoind.with { node in
            let source = try Self.source(node)
            let txid = try await node.send(to: try await node.newAddress(.bech32), amount: 1_0000_0000)
            #expect(try await source.transactionState(txid) == .mempool)

            let block = try await node.mine(1)[0]
            let height = UInt64(Litecoind.maturingBlocks + 1)
            #expect(try await source.transactionState(txid) == .mined(BlockRef(height: height, hash: block)))
            try await node.mine(2)
            #expect(try await source.transactionState(txid) == .mined(BlockRef(height: height, hash: block)))

            // Reorganised away (the blocks on top go with it): back in the mempool.
            try await node.invalidate(block)
            #expect(try await source.tip().height == height - 1)
            #expect(try await source.transactionState(txid) == .mempool)

            // Replaced by a conflicting spend of its inputs: gone.
            let conflicting = try await node.doubleSpend(txid)
            #expect(try await source.transactionState(txid) == .unknown)
            #expect(try await source.transactionState(conflicting) == .mempool)
            let replacement = try await node.mine(1)[0]
            #expect(try await source.transactionState(txid) == .unknown)
            #expect(try await source.transactionState(conflicting) == .mined(BlockRef(height: height, hash: replacement)))

            #expect(try await source.transactionState(String(repeating: "ab", count: 32)) == .unknown)
            do throws(NodeError) {
                _ = try await source.transactionState("not-a-txid")
                Issue.record("a malformed txid was looked up")
            } catch {
                #expect(error.code == "invalid-txid" && !error.isRetryable)
            }
        }
    }
}
