import ChainNodes
import Chains
import CofferBase
import CofferTestSupport
import Foundation
import Testing
import WalletCore

/// `BitcoinRPCNode` against a real Litecoin Core node in regtest, and against nodes that are down,
/// refuse the credentials or answer garbage.
@Suite struct BitcoinRPCNodeTests {
    static let quick = RetryPolicy(attempts: 2, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(20))

    @Test func chainTransactionsAndFees() async throws {
        try await Litecoind.with { node in
            let rpc = try node.rpcNode()
            let info = try await rpc.blockchainInfo()
            #expect(info.chain == "regtest" && info.blocks == UInt64(Litecoind.maturingBlocks) && !info.pruned)
            #expect(try await rpc.blockCount() == info.blocks)
            #expect(try await rpc.bestBlockHash() == info.bestBlockHash)
            #expect(try await rpc.blockHash(at: info.blocks) == info.bestBlockHash)
            #expect(try await rpc.blockHash(at: info.blocks + 1) == nil)

            let header = try #require(try await rpc.blockHeader(info.bestBlockHash))
            #expect(header.height == info.blocks && header.confirmations == 1 && header.isOnBestChain && header.transactionCount == 1)
            #expect(header.previousBlockHash == (try await rpc.blockHash(at: info.blocks - 1)) && header.nextBlockHash == nil)
            #expect(try await rpc.blockHeader(.zero) == nil)
            #expect(try await rpc.rawBlock(.zero) == nil)
            #expect(try await rpc.block(info.bestBlockHash)?.hash == info.bestBlockHash)

            // Regtest has no fee data: no estimate, not an error.
            #expect(try await rpc.estimateSmartFee(blocks: 2) == nil)
            #expect(try await rpc.estimateSmartFee(blocks: 6, mode: .economical) == nil)

            // A wallet payment, signed but not sent: tested, sent, sent again.
            let address = try await node.newAddress(.bech32)
            let funded = try await node.cli("fundrawtransaction", [
                try await node.cli("createrawtransaction", [.array([]), .array([.object([(address, BitcoinAmount.literal(2_5000_0000))])])]),
            ])
            let signed = try await node.cli("signrawtransactionwithwallet", [try #require(funded["hex"])])
            guard case .string(let signedHex)? = signed["hex"] else { throw HarnessError("no signed hex: \(signed.text)") }
            let bytes = try Hex.decode(signedHex)
            let txid = try BitcoinBlock.Transaction(serialized: bytes).txid
            let verdicts = try await rpc.testMempoolAccept([bytes])
            #expect(verdicts.count == 1 && verdicts[0].txid == txid && verdicts[0].allowed && verdicts[0].rejectReason == nil)
            #expect(try await rpc.mempoolEntry(txid) == nil)
            #expect(try await rpc.sendRawTransaction(bytes) == txid)
            #expect(try await rpc.sendRawTransaction(bytes) == txid)
            #expect(try await rpc.rawMempool() == [txid])

            // Fee, exactly: what went in minus what came out.
            let entry = try #require(try await rpc.mempoolEntry(txid))
            let decoded = try BitcoinBlock.Transaction(serialized: bytes)
            var inputTotal: UInt64 = 0
            for input in decoded.inputs {
                let funding = try #require(try await rpc.rawTransaction(input.previousOutput.txid))
                inputTotal += try BitcoinBlock.Transaction(serialized: funding).outputs[Int(input.previousOutput.index)].value
            }
            #expect(entry.fee == inputTotal - decoded.outputs.reduce(0) { $0 + $1.value })
            #expect(entry.fee > 0 && entry.virtualSize > 0 && entry.height == info.blocks && entry.depends.isEmpty)
            #expect(try await rpc.rawTransaction(txid) == bytes)
            let pending = try #require(try await rpc.transaction(txid))
            #expect(pending.blockHash == nil && pending.confirmations == nil && pending.serialized == bytes && pending.transaction.txid == txid)

            // Mined: in the chain, and sending it again is still success.
            let block = try await node.mine(1)[0]
            let mined = try #require(try await rpc.transaction(txid))
            #expect(mined.blockHash?.hex == block && mined.confirmations == 1 && mined.blockTime != nil)
            #expect(try await rpc.sendRawTransaction(bytes) == txid)
            #expect(try await rpc.mempoolEntry(txid) == nil)

            // Refusals carry the node's reason and are not retryable: a spend of spent coins.
            let verdict = try await rpc.testMempoolAccept([bytes])
            #expect(verdict.count == 1 && !verdict[0].allowed && verdict[0].rejectReason != nil)
            do throws(NodeError) {
                _ = try await rpc.sendRawTransaction(Array(bytes.dropLast()))
                Issue.record("truncated bytes were sent")
            } catch {
                #expect(error.code == "invalid-transaction")
            }
            #expect(try await rpc.rawTransaction(.zero) == nil)
            #expect(try await rpc.transaction(.zero) == nil)
        }
    }

    @Test func batchesAnswerEachCall() async throws {
        try await Litecoind.with { node in
            let results = try await node.client.batchResults([
                ("getblockcount", []), ("getmempoolentry", [.string(String(repeating: "00", count: 32))]), ("getbestblockhash", []),
            ])
            #expect(try results[0].get() == .integer(Litecoind.maturingBlocks))
            #expect(throws: NodeError.self) { try results[1].get() }
            if case .failure(let error) = results[1] { #expect(error.rpcCode == -5 && error.code == "node-refused") }
            #expect(try results[2].get() == .string(try await node.rpcNode().bestBlockHash().hex))
            // `batch` fails as a whole on a refused call.
            await #expect(throws: NodeError.self) { try await node.client.batch([("getblockcount", []), ("nosuchmethod", [])]) }
        }
    }

    @Test func wrongCookieThenNodeDown() async throws {
        try await Litecoind.with { node in
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-cookie-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            let wrongCookie = directory.appendingPathComponent(".cookie").path
            try Data("__cookie__:\(String(repeating: "0", count: 64))".utf8).write(to: URL(fileURLWithPath: wrongCookie))
            let intruder = BitcoinChainSource(
                node: try BitcoinRPCNode(url: node.rpcURL, credentials: .cookieFile(path: wrongCookie), timeout: .seconds(10), retry: Self.quick),
                addresses: .litecoinRegtest)
            do throws(NodeError) {
                _ = try await intruder.tip()
                Issue.record("a wrong cookie was accepted")
            } catch {
                #expect(error.code == "node-unauthorized")
                #expect(!error.description.contains(String(repeating: "0", count: 64)))
            }

            // The node goes away: every call is a retryable `node-unavailable`. (A copy of the
            // cookie, since the node deletes its own when it stops.)
            let cookie = directory.appendingPathComponent("copied-cookie").path
            try FileManager.default.copyItem(atPath: node.cookiePath, toPath: cookie)
            let source = BitcoinChainSource(
                node: try BitcoinRPCNode(url: node.rpcURL, credentials: .cookieFile(path: cookie), timeout: .seconds(5), retry: Self.quick),
                addresses: .litecoinRegtest)
            _ = try await source.tip()
            await node.stop()
            #expect(!node.isRunning)
            let calls: [() async throws -> Any] = [{ try await source.tip() }, { try await source.block(at: 1, tokens: []) }, { try await source.mempoolPayments() }]
            for call in calls {
                do {
                    _ = try await call()
                    Issue.record("a stopped node answered")
                } catch let error as NodeError {
                    #expect(error.isRetryable && error.code == "node-unavailable", "\(error)")
                }
            }
        }
    }

    /// `holdings` believes a UTXO scan only about the addresses it asked: an output paying
    /// another address, or one output twice, is a bad answer, never a balance.
    @Test func aUTXOScanIsCheckedAgainstTheAddressesAskedAbout() async throws {
        let asked = try BitcoinChainSourceTests.taprootAddress()
        let askedScript = Hex.encode(try BitcoinChainSourceTests.scriptPubKey(asked))
        let other = "0014" + String(repeating: "00", count: 20)
        func scan(_ scripts: [String]) -> String {
            let outputs = scripts.enumerated().map { _, script in
                #"{"txid":"\#(String(repeating: "ab", count: 32))","vout":0,"scriptPubKey":"\#(script)","desc":"addr(x)","amount":1.25000000,"height":3}"#
            }
            return #"{"result":{"success":true,"txouts":9,"height":5,"bestblock":"\#(String(repeating: "cd", count: 32))","unspents":[\#(outputs.joined(separator: ","))],"total_amount":1},"error":null,"id":1}"#
        }
        let honest = try CannedHTTPServer(contentType: "application/json", body: scan([askedScript]))
        defer { honest.stop() }
        let good = BitcoinChainSource(node: try BitcoinRPCNode(url: honest.url, credentials: .none, timeout: .seconds(5), retry: Self.quick), addresses: .litecoinRegtest)
        let holdings = try await good.holdings(of: [asked], tokens: [])
        #expect(holdings.native == 125_000_000 && holdings.at == BlockRef(height: 5, hash: String(repeating: "cd", count: 32)))

        for answer in [scan([other]), scan([askedScript, askedScript])] {
            let server = try CannedHTTPServer(contentType: "application/json", body: answer)
            defer { server.stop() }
            let source = BitcoinChainSource(node: try BitcoinRPCNode(url: server.url, credentials: .none, timeout: .seconds(5), retry: Self.quick),
                                            addresses: .litecoinRegtest)
            await #expect { _ = try await source.holdings(of: [asked], tokens: []) } throws: { error in
                (error as? NodeError)?.code == "node-bad-answer"
            }
        }
    }

    @Test func aServerThatAnswersGarbage() async throws {
        let garbage = try CannedHTTPServer(body: "this is not JSON-RPC")
        defer { garbage.stop() }
        let source = BitcoinChainSource(node: try BitcoinRPCNode(url: garbage.url, credentials: .none, timeout: .seconds(5), retry: Self.quick), addresses: .litecoinRegtest)
        let calls: [() async throws -> Any] = [
            { try await source.tip() }, { try await source.block(at: 1, tokens: []) },
            { try await source.transactionState(String(repeating: "ab", count: 32)) }, { try await source.mempoolPayments() },
        ]
        for call in calls {
            do {
                _ = try await call()
                Issue.record("garbage was accepted")
            } catch let error as NodeError {
                #expect(error.code == "node-bad-answer" && error.isRetryable)
            }
        }

        // JSON-RPC answers of the wrong shape: a hash that is not one, a block that does not decode.
        let notAHash = try CannedHTTPServer(contentType: "application/json", body: #"{"result":"zz","error":null,"id":1}"#)
        defer { notAHash.stop() }
        let confused = try BitcoinRPCNode(url: notAHash.url, credentials: .none, timeout: .seconds(5), retry: Self.quick)
        do {
            _ = try await confused.bestBlockHash()
            Issue.record("a malformed hash was accepted")
        } catch {
            #expect(error.code == "node-bad-answer")
        }
        let notABlock = try CannedHTTPServer(contentType: "application/json", body: #"{"result":"0100","error":null,"id":1}"#)
        defer { notABlock.stop() }
        let broken = try BitcoinRPCNode(url: notABlock.url, credentials: .none, timeout: .seconds(5), retry: Self.quick)
        do {
            _ = try await broken.block(.zero)
            Issue.record("a broken block was accepted")
        } catch {
            #expect(error.code == "node-bad-answer")
        }
    }
}
