import ChainNodes
import Chains
import CofferBase
import CofferTestSupport
import Testing
import WalletCore

extension EVMSharedChain {
    /// `EthereumRPCNode`'s methods against a real EVM, and a transaction Coffer signs itself
    /// (WalletCore) accepted and executed by py-evm.
    @Suite struct RPCNode {
        let fixture: EVMFixture
        let node: EthereumRPCNode

        init() throws {
            fixture = try SharedEVMFixture.fixture()
            node = try EthereumRPCNode(url: fixture.url)
        }

        @Test func aTransactionSignedByCofferIsAcceptedAndMined() async throws {
            let key = try Secp256k1.PrivateKey(EVMFixture.privateKey(ofAccount: 9))
            let sender = EthereumAddress.encode(key.publicKey).lowercased()
            #expect(try await fixture.accounts()[9] == sender)
            let recipient = EVMFixture.randomAddress()

            let nonce = try await node.nonce(of: sender)
            #expect(try await node.nonce(of: sender, at: .latest) == nonce)
            let tip = try await node.maxPriorityFeePerGas()
            let fees = try await node.feeHistory(blockCount: 4, rewardPercentiles: [25, 75])
            #expect(fees.baseFeePerGas.count == fees.gasUsedRatio.count + 1 && fees.reward.count == fees.gasUsedRatio.count)
            #expect(fees.reward.allSatisfy { $0.count == 2 } && fees.gasUsedRatio.allSatisfy { (0...1_000_000).contains($0) })
            let nextBaseFee = try #require(fees.baseFeePerGas.last)
            #expect(try await node.gasPrice() == nextBaseFee + tip)
            let gas = try await node.estimateGas(EthereumCall(from: sender, to: recipient, value: 1))
            #expect(gas == 21_000)

            let maxFee = nextBaseFee * 2 + tip
            let transaction = try EthereumTransaction(
                chainID: EthereumQuantity(try await node.chainID()), nonce: EthereumQuantity(nonce),
                fees: .dynamic(maxPriorityFeePerGas: try Self.quantity(tip), maxFeePerGas: try Self.quantity(maxFee)),
                gasLimit: EthereumQuantity(gas), to: try EthereumAddress.decode(recipient), value: EthereumQuantity(123_456_789), data: [])
            let signed = try transaction.signed(with: key)
            let hash = try await node.sendRawTransaction(signed.raw)
            #expect(hash == "0x" + Hex.encode(signed.hash))

            let pending = try #require(try await node.transaction(hash: hash))
            #expect(pending.blockNumber == nil && pending.blockHash == nil)
            #expect(try await node.receipt(hash: hash) == nil)
            #expect(try await node.nonce(of: sender) == nonce + 1)
            #expect(try await node.nonce(of: sender, at: .latest) == nonce)
            // The same bytes again: the node refuses them on their merits (not retryable).
            do {
                _ = try await node.sendRawTransaction(signed.raw)
                Issue.record("a transaction was accepted twice")
            } catch {
                #expect(error.code == "node-refused" && !error.isRetryable)
            }

            try await fixture.mine()
            let mined = try #require(try await node.transaction(hash: hash))
            #expect(mined.from == sender && mined.to == recipient && mined.value == 123_456_789 && mined.nonce == nonce)
            #expect(mined.type == 2 && mined.input.isEmpty && mined.maxFeePerGas == maxFee && mined.maxPriorityFeePerGas == tip)
            let receipt = try #require(try await node.receipt(hash: hash))
            #expect(receipt.succeeded && receipt.gasUsed == 21_000 && receipt.blockHash == mined.blockHash)
            #expect(try #require(receipt.effectiveGasPrice) <= maxFee)
            #expect(try await node.balance(of: recipient) == 123_456_789)
            #expect(try await node.rawTransaction(hash: hash) == signed.raw)
        }

        @Test func callsLogsAndRefusals() async throws {
            let token = try await fixture.deployToken()
            let holder = EVMFixture.randomAddress()
            let minted = try await fixture.tokenTransfer(token: token, to: holder, amount: 777)
            try await fixture.mine()

            // balanceOf(holder) through eth_call: the uint256 777 as one word.
            let balanceOf = Array(Keccak256.hash(Array("balanceOf(address)".utf8)).prefix(4))
            let output = try await node.call(EthereumCall(to: token, input: balanceOf + Self.word(holder)))
            #expect(output == [UInt8](repeating: 0, count: 30) + [0x03, 0x09])

            // A call that reverts is refused with the node's code (3) and reason.
            let mint = Array(Keccak256.hash(Array("mint(address,uint256)".utf8)).prefix(4)) + Self.word(holder) + [UInt8](repeating: 1, count: 32)
            let stranger = try await fixture.accounts()[4]
            do {
                _ = try await node.call(EthereumCall(from: stranger, to: token, input: mint))
                Issue.record("a reverting call succeeded")
            } catch {
                #expect(error.code == "node-refused" && error.members["rpc_code"] == .integer(3))
                #expect(error.description.contains("only the deployer mints"))
            }

            let receipt = try #require(try await node.receipt(hash: minted))
            let logs = try await node.logs(EthereumLogFilter(blocks: .hash(receipt.blockHash), addresses: [token]))
            #expect(logs == receipt.logs && logs.count == 1)
            let transfer = try #require(try ERC20TransferLog.decode(logs[0]))
            #expect(transfer.to == holder && transfer.amount == 777)
            #expect(transfer.from == "0x" + String(repeating: "0", count: 40))

            // Unknown methods and malformed parameters are JSON-RPC errors; the server lives on.
            do {
                _ = try await node.client.call("eth_noSuchMethod")
                Issue.record("an unknown method succeeded")
            } catch {
                #expect(error.members["rpc_code"] == .integer(-32601))
            }
            do {
                _ = try await node.client.call("eth_getBlockByNumber", [.string("0xzz"), .bool(false)])
                Issue.record("a malformed block number was accepted")
            } catch {
                #expect(error.members["rpc_code"] == .integer(-32602))
            }
            #expect(try await node.blockNumber() == receipt.blockNumber)
            #expect(fixture.isRunning)
        }

        static func quantity(_ value: UInt128) throws -> EthereumQuantity {
            try EthereumQuantity(decimal: String(value))
        }

        /// An address as one ABI word.
        static func word(_ address: String) -> [UInt8] {
            [UInt8](repeating: 0, count: 12) + ((try? Hex.decode(address)) ?? [])
        }
    }
}
