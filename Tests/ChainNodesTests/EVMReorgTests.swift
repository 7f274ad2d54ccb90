import ChainNodes
import Chains
import CofferBase
import CofferTestSupport
import Testing

/// Where a transaction is as the chain changes under it: waiting, mined, reorganised away (the
/// fixture reverts to a snapshot and mines a different chain), mined again in another block.
/// A chain of its own: reverting a shared one would pull blocks from under other tests.
@Suite struct EVMReorgTests {
    @Test func transactionStateFollowsTheBestChainThroughAReorganisation() async throws {
        try await EVMFixture.run { fixture in
            let node = try EthereumRPCNode(url: fixture.url)
            let source = EVMChainSource(node: node)
            let watching = EVMChainSource(node: node, mempool: .pendingBlock)
            let recipient = EVMFixture.randomAddress()
            try await fixture.mine(3)
            let fork = try await source.tip()
            let snapshot = try await fixture.snapshot()

            let id = try await fixture.send(to: recipient, value: 250)
            #expect(try await source.transactionState(id) == .mempool)
            #expect(try await source.mempoolPayments() == [])  // not read unless asked for
            #expect(try await watching.mempoolPayments() == [ChainPayment(transactionID: id, index: 0, address: recipient, token: nil, amount: 250)])

            try await fixture.mine()
            let first = BlockRef(height: fork.height + 1, hash: try #require(try await source.blockHash(at: fork.height + 1)))
            #expect(try await source.transactionState(id) == .mined(first))
            #expect(try await source.block(at: first.height, tokens: []).payments.map(\.transactionID) == [id])
            #expect(try await watching.mempoolPayments() == [])
            let raw = try #require(try await node.rawTransaction(hash: id))

            // The block is reorganised away: two other blocks take its place.
            try await fixture.revert(to: snapshot)
            #expect(try await source.tip() == fork)
            try await fixture.mine(2)
            let replaced = try await source.block(at: first.height, tokens: [])
            #expect(replaced.ref.hash != first.hash && replaced.parentHash == fork.hash && replaced.payments.isEmpty)
            #expect(try await source.transactionState(id) == .unknown)
            #expect(try await node.balance(of: recipient) == 0)

            // Broadcast again, it waits and is mined in a block of the new chain.
            #expect(try await node.sendRawTransaction(raw) == id)
            #expect(try await source.transactionState(id) == .mempool)
            try await fixture.mine()
            let second = try await source.tip()
            #expect(second.height == first.height + 2)
            #expect(try await source.transactionState(id) == .mined(second))
            #expect(try await node.balance(of: recipient) == 250)
        }
    }
}
