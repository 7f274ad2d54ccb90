@testable import ChainNodes
import Chains
import CofferBase
import Testing

/// Decoding ERC-20 `Transfer` logs, the shapes a node can hand over without a fixture.
@Suite struct EVMTransferLogTests {
    static let from = "0x" + String(repeating: "0", count: 24) + "7e5f4552091a69125d5dfcb7b8c2659029395bdf"
    static let to = "0x" + String(repeating: "0", count: 24) + "2B5AD5C4795C026514F8317C7A215E218DCCD6CF"

    static func log(topics: [String], data: String) throws -> EthereumLog {
        let json = try JSONValue(parsing: """
            {"address":"0xF2E246BB76DF876Cef8b38ae84130F4F55De395b","topics":[\(topics.map { "\"\($0)\"" }.joined(separator: ","))],
             "data":"\(data)","blockNumber":"0x2","blockHash":"0x\(String(repeating: "ab", count: 32))",
             "transactionHash":"0x\(String(repeating: "cd", count: 32))","transactionIndex":"0x1","logIndex":"0x7","removed":false}
            """)
        return try EthereumLog(json, context: "test")
    }

    static func word(_ hex: String) -> String { "0x" + String(repeating: "0", count: 64 - hex.count) + hex }

    @Test func aTransferDecodesToLowercaseAddressesAndTheExactAmount() throws {
        let log = try Self.log(topics: [ERC20TransferLog.topic, Self.from, Self.to], data: Self.word("ffffffffffffffffffffffffffffffff"))
        #expect(log.address == "0xf2e246bb76df876cef8b38ae84130f4f55de395b" && log.logIndex == 7)
        #expect(log.topics[2] == Self.to.lowercased())
        #expect(try ERC20TransferLog.decode(log) == ERC20TransferLog(
            from: "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf", to: "0x2b5ad5c4795c026514f8317c7a215e218dccd6cf", amount: .max))
        let small = try Self.log(topics: [ERC20TransferLog.topic, Self.from, Self.to], data: Self.word("2540be400"))
        #expect(try ERC20TransferLog.decode(small)?.amount == 10_000_000_000)
    }

    @Test func otherEventsAndERC721TransfersAreNotTokenPayments() throws {
        let approval = "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925"
        #expect(try ERC20TransferLog.decode(Self.log(topics: [approval, Self.from, Self.to], data: Self.word("1"))) == nil)
        // ERC-721: the token id is a fourth, indexed topic and there is no data.
        #expect(try ERC20TransferLog.decode(Self.log(topics: [ERC20TransferLog.topic, Self.from, Self.to, Self.word("5")], data: "0x")) == nil)
        #expect(try ERC20TransferLog.decode(Self.log(topics: [], data: "0x")) == nil)
    }

    @Test func malformedTransfersAreGarbageAnswers() throws {
        let cases: [(topics: [String], data: String, message: String)] = [
            ([ERC20TransferLog.topic, Self.from, Self.to], Self.word("1" + String(repeating: "0", count: 32)), "2^128 - 1"),
            ([ERC20TransferLog.topic, Self.from, Self.to], "0x" + String(repeating: "0", count: 62), "not one 32-byte uint256"),
            ([ERC20TransferLog.topic, Self.from, Self.to], Self.word("1") + "00", "not one 32-byte uint256"),
            ([ERC20TransferLog.topic, "0x01" + Self.from.dropFirst(4), Self.to], Self.word("1"), "non-zero bytes before its 20 bytes"),
        ]
        for (topics, data, message) in cases {
            do {
                _ = try ERC20TransferLog.decode(Self.log(topics: topics, data: data))
                Issue.record("decoded \(data)")
            } catch let error as NodeError {
                #expect(error.code == "node-bad-answer" && error.isRetryable)
                #expect(error.description.contains(message), "\(error.description)")
            }
        }
    }

    @Test func answersWithMalformedQuantitiesAreRefusedExactly() throws {
        #expect(throws: NodeError.self) { try EthereumLog(JSONValue(parsing: #"{"address":"0x12","topics":[],"data":"0x"}"#), context: "t") }
        #expect(throws: NodeError.self) {
            try EthereumLog(JSONValue(parsing: #"{"address":"0xf2e246bb76df876cef8b38ae84130f4f55de395b","topics":[],"data":"0x","logIndex":7}"#), context: "t")
        }
        #expect(try EthereumAnswer.uint128(.string("0xffffffffffffffffffffffffffffffff"), "v") == .max)
        #expect(throws: NodeError.self) { try EthereumAnswer.uint128(.string("0x100000000000000000000000000000000"), "v") }
        #expect(throws: NodeError.self) { try EthereumAnswer.uint64(.string("0x10000000000000000"), "v") }
        #expect(throws: NodeError.self) { try EthereumAnswer.uint64(.string("12"), "v") }
    }
}
