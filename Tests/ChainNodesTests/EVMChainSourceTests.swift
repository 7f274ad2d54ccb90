import ChainNodes
import Chains
import CofferBase
import CofferTestSupport
import Testing

extension EVMSharedChain {
    /// `EVMChainSource` against a real EVM (eth-tester over py-evm): blocks, native payments, failed
    /// transactions and ERC-20 transfers from a token compiled from Vyper source.
    @Suite struct ChainSource {
        let fixture: EVMFixture
        let node: EthereumRPCNode
        let source: EVMChainSource

        init() throws {
            fixture = try SharedEVMFixture.fixture()
            node = try EthereumRPCNode(url: fixture.url)
            source = EVMChainSource(node: node)
        }

        /// The block the transaction `id` was mined in.
        func minedBlock(_ id: String, tokens: Set<String> = []) async throws -> ChainBlock {
            guard case .mined(let ref) = try await source.transactionState(id) else {
                Issue.record("\(id) is not mined")
                throw EVMFixtureError("\(id) is not mined")
            }
            let block = try await source.block(at: ref.height, tokens: tokens)
            #expect(block.ref == ref)
            return block
        }

        /// Holdings at one block: native value and a token's `balanceOf` summed over the
        /// addresses, the same whether the calls fit one JSON-RPC batch or span several, read at a
        /// block of the best chain.
        @Test func holdingsSumNativeAndTokenBalancesAtOneBlock() async throws {
            let token = try await fixture.deployToken(decimals: 6)
            let owners = [EVMFixture.randomAddress(), EVMFixture.randomAddress(), EVMFixture.randomAddress()]
            for (index, owner) in owners.enumerated() {
                _ = try await fixture.send(to: owner, value: UInt128(1_000 + index))
                _ = try await fixture.tokenTransfer(token: token, to: owner, amount: UInt128(10 * (index + 1)))
            }
            _ = try await fixture.mine(1)
            for batch in [500, 4, 1] {
                let batched = EVMChainSource(node: node, holdingsBatch: batch)
                let holdings = try await batched.holdings(of: owners, tokens: [token])
                #expect(holdings.native == 3_003 && holdings.tokens == [token: 60], "batches of \(batch)")
                #expect(try await source.blockHash(at: holdings.at.height) == holdings.at.hash)
            }
            let empty = try await source.holdings(of: [EVMFixture.randomAddress()], tokens: [token])
            #expect(empty.native == 0 && empty.tokens == [token: 0])
        }

        @Test func chainIDTipAndBlocks() async throws {
            #expect(try await node.chainID() == 1337)
            try await source.checkChainID(1337)
            await #expect(throws: NodeError.self) { try await source.checkChainID(1) }

            let hashes = try await fixture.mine(2)
            let tip = try await source.tip()
            #expect(tip == BlockRef(height: try await node.blockNumber(), hash: hashes[1]))
            #expect(try await source.blockHash(at: tip.height) == tip.hash)
            #expect(try await source.blockHash(at: tip.height - 1) == hashes[0])
            #expect(try await source.blockHash(at: tip.height + 1_000) == nil)

            let block = try await source.block(at: tip.height, tokens: [])
            let header = try #require(try await node.block(hash: tip.hash))
            let parent = try #require(try await node.block(.number(tip.height - 1)))
            #expect(block.ref == tip)
            #expect(block.parentHash == parent.hash && header.parentHash == parent.hash)
            #expect(block.time == header.timestamp && header.timestamp >= parent.timestamp)
            #expect(block.transactionCount == 0 && block.payments.isEmpty)
            #expect(header.baseFeePerGas != nil && header.gasLimit > 0)
            #expect(header.transactions == nil)  // read with hashes only
            let full = try #require(try await node.block(.latest, fullTransactions: true))
            #expect(full.hash == tip.hash && full.transactions == [])
            await #expect(throws: NodeError.self) { try await source.block(at: tip.height + 1_000, tokens: []) }
        }

        @Test func nativePaymentsCarryExactWei() async throws {
            let alice = EVMFixture.randomAddress(), bob = EVMFixture.randomAddress()
            let large = UInt128(UInt64.max) + 12_345  // more than 64 bits of wei
            let one = try await fixture.send(to: alice, value: 1)
            let big = try await fixture.send(to: bob, value: large, from: 1)
            let odd = try await fixture.send(to: alice, value: 1_000_000_007, from: 1)
            let zero = try await fixture.send(to: bob, value: 0, from: 2)
            try await fixture.mine()

            let block = try await minedBlock(one)
            #expect(block.transactionCount == 4)
            #expect(block.payments == [
                ChainPayment(transactionID: one, index: 0, address: alice, token: nil, amount: 1),
                ChainPayment(transactionID: big, index: 0, address: bob, token: nil, amount: large),
                ChainPayment(transactionID: odd, index: 0, address: alice, token: nil, amount: 1_000_000_007),
            ])  // the zero-value transaction pays nothing
            #expect(try await source.transactionState(zero) == .mined(block.ref))
            #expect(try await node.balance(of: bob) == large)
            #expect(try await node.balance(of: alice) == 1_000_000_008)
            let transaction = try #require(try await node.transaction(hash: big))
            #expect(transaction.value == large && transaction.to == bob && transaction.blockHash == block.ref.hash)
            #expect(transaction.from == (try await fixture.accounts())[1] && transaction.type == 2 && transaction.gas == 21_000)
        }

        @Test func aRevertedValueTransferIsNotAPayment() async throws {
            let token = try await fixture.deployToken()
            let carol = EVMFixture.randomAddress()
            // The token has no default function: value sent to it reverts, and the sender pays the gas.
            let failed = try await fixture.send(to: token, value: 5_000, from: 2, gas: 100_000)
            let paid = try await fixture.send(to: carol, value: 7, from: 2)
            try await fixture.mine()

            let receipt = try #require(try await node.receipt(hash: failed))
            #expect(receipt.status == 0 && !receipt.succeeded && receipt.logs.isEmpty && receipt.gasUsed > 21_000)
            #expect(try #require(try await node.receipt(hash: paid)).succeeded)
            let block = try await minedBlock(failed, tokens: [token])
            #expect(block.transactionCount == 2)
            #expect(block.payments == [ChainPayment(transactionID: paid, index: 0, address: carol, token: nil, amount: 7)])
            #expect(try await node.balance(of: token) == 0)
        }

        @Test func erc20TransfersArePaymentsNamedByTheirBlockWideLogIndex() async throws {
            let token = try await fixture.deployToken(name: "Test Dollar", symbol: "TUSD", decimals: 6)
            let other = try await fixture.deployToken(name: "Other", symbol: "OTH")
            let accounts = try await fixture.accounts()
            let dave = EVMFixture.randomAddress(), erin = EVMFixture.randomAddress()
            let toDave = try await fixture.tokenTransfer(token: token, to: dave, amount: 1_500_000)
            let native = try await fixture.send(to: erin, value: 42, from: 3)
            let notFollowed = try await fixture.tokenTransfer(token: other, to: erin, amount: 9)
            let toErin = try await fixture.tokenTransfer(token: token, to: erin, amount: 2_250_001)
            let toHolder = try await fixture.tokenTransfer(token: token, to: accounts[3], amount: 10_000)
            try await fixture.mine()

            // Four logs in one block: geth numbers them 0...3 across the block (eth-tester would
            // restart at 0 in each receipt; the fixture renumbers them as geth does).
            let block = try await minedBlock(toDave, tokens: [token])
            #expect(block.payments == [
                ChainPayment(transactionID: toDave, index: 0, address: dave, token: token, amount: 1_500_000),
                ChainPayment(transactionID: native, index: 0, address: erin, token: nil, amount: 42),
                ChainPayment(transactionID: toErin, index: 2, address: erin, token: token, amount: 2_250_001),
                ChainPayment(transactionID: toHolder, index: 3, address: accounts[3], token: token, amount: 10_000),
            ])
            #expect(try #require(try await node.receipt(hash: notFollowed)).logs.map(\.logIndex) == [1])
            #expect(try #require(try await node.receipt(hash: toErin)).logs.map(\.logIndex) == [2])
            let both = try await source.block(at: block.ref.height, tokens: [token, "0x" + other.dropFirst(2).uppercased()])
            #expect(both.payments.map(\.index) == [0, 0, 1, 2, 3])
            #expect(try await source.block(at: block.ref.height, tokens: []).payments.map(\.transactionID) == [native])

            // A holder's own transfer, in the next block: the first log there is 0 again.
            let fromHolder = try await fixture.tokenTransfer(token: token, to: dave, amount: 333, from: 3)
            try await fixture.mine()
            #expect(try await minedBlock(fromHolder, tokens: [token]).payments == [
                ChainPayment(transactionID: fromHolder, index: 0, address: dave, token: token, amount: 333),
            ])
            let logs = try await node.logs(EthereumLogFilter(
                blocks: .range(from: .number(block.ref.height), to: .latest), addresses: [token],
                topics: [[ERC20TransferLog.topic], nil, [Self.padded(dave)]]))
            #expect(try logs.compactMap { try ERC20TransferLog.decode($0) }.map(\.amount) == [1_500_000, 333])
        }

        @Test func aTokenAmountAbove128BitsIsAGarbageAnswerNotACrash() async throws {
            let token = try await fixture.deployToken()
            let frank = EVMFixture.randomAddress(), grace = EVMFixture.randomAddress()
            let largest = try await fixture.tokenTransfer(token: token, to: frank, amount: .max)
            try await fixture.mine()
            #expect(try await minedBlock(largest, tokens: [token]).payments.map(\.amount) == [.max])

            // 2^128: a uint256 the token accepts and Coffer cannot hold.
            let tooLarge = try await fixture.call("fixture_tokenTransfer", [.object([
                ("token", .string(token)), ("to", .string(grace)), ("amount", .string("0x1" + String(repeating: "0", count: 32))),
            ])])
            guard case .string(let id) = tooLarge else { throw EVMFixtureError("fixture_tokenTransfer answered \(tooLarge.text)") }
            try await fixture.mine()
            guard case .mined(let ref) = try await source.transactionState(id) else { throw EVMFixtureError("\(id) is not mined") }
            do {
                _ = try await source.block(at: ref.height, tokens: [token])
                Issue.record("a transfer of 2^128 token units was read")
            } catch {
                #expect(error.code == "node-bad-answer" && error.isRetryable)
                #expect(error.description.contains("2^128 - 1"))
            }
            // Not following the token, the block reads as usual.
            #expect(try await source.block(at: ref.height, tokens: []).payments.isEmpty)
        }

        /// An address as an indexed event topic: 12 zero bytes, then the address.
        static func padded(_ address: String) -> String {
            "0x" + String(repeating: "0", count: 24) + address.dropFirst(2)
        }
    }
}
