import Chains
import CofferCore
import Foundation
import Synchronization

/// A node whose chain the test writes: blocks from height 0, each paying the addresses it is
/// given, and an empty mempool. `sources` hands it to every chain after checking the chain's URL
/// as the real node readers do, so a bad URL is refused exactly as it would be.
final class ScriptedChain: Sendable {
    private let blocks = Mutex<[ChainBlock]>([])

    /// Appends a block with one transaction per payment (output 0 of each).
    func mine(_ payments: [(address: String, amount: UInt128)]) {
        blocks.withLock { blocks in
            let height = UInt64(blocks.count)
            let parent = blocks.last?.ref.hash ?? Self.hex(0, prefix: "0")
            let paid = payments.enumerated().map { index, payment in
                ChainPayment(transactionID: Self.hex(height * 1_000 + UInt64(index), prefix: "a"), index: 0, address: payment.address, token: nil,
                             amount: payment.amount)
            }
            blocks.append(ChainBlock(ref: BlockRef(height: height, hash: Self.hex(height, prefix: "b")), parentHash: parent,
                                     time: UInt64(Date().timeIntervalSince1970), transactionCount: paid.count, payments: paid))
        }
    }

    var sources: ChainSourceFactory {
        { config in
            _ = try ChainSources.make(config)
            return Source(chain: self)
        }
    }

    /// 64 hex digits: `prefix`, zeros, then `value`.
    static func hex(_ value: UInt64, prefix: String) -> String {
        let digits = String(value, radix: 16)
        return prefix + String(repeating: "0", count: 63 - digits.count) + digits
    }

    struct Source: ChainSource {
        let chain: ScriptedChain

        var blocks: [ChainBlock] { chain.blocks.withLock { $0 } }

        func tip() async throws(NodeError) -> BlockRef {
            guard let last = blocks.last else { throw NodeError.unreachable("the scripted chain has no block yet") }
            return last.ref
        }

        func blockHash(at height: UInt64) async throws(NodeError) -> String? {
            let blocks = blocks
            return height < blocks.count ? blocks[Int(height)].ref.hash : nil
        }

        func block(at height: UInt64, tokens: Set<String>) async throws(NodeError) -> ChainBlock {
            let blocks = blocks
            guard height < blocks.count else { throw NodeError.unreachable("no block at height \(height)") }
            return blocks[Int(height)]
        }

        func transactionState(_ id: String) async throws(NodeError) -> TransactionState {
            for block in blocks where block.payments.contains(where: { $0.transactionID == id }) { return .mined(block.ref) }
            return .unknown
        }

        func mempoolPayments() async throws(NodeError) -> [ChainPayment] { [] }

        /// Nothing is ever spent on the scripted chain: what an address holds is what was paid to it.
        func holdings(of addresses: [String], tokens: Set<String>) async throws(NodeError) -> ChainHoldings {
            let asked = Set(addresses)
            let blocks = blocks
            guard let tip = blocks.last?.ref else { throw NodeError.unreachable("the scripted chain has no block yet") }
            let native = blocks.flatMap(\.payments).filter { $0.token == nil && asked.contains($0.address) }.reduce(UInt128(0)) { $0 + $1.amount }
            return ChainHoldings(at: tip, native: native, tokens: [:])
        }
    }
}
