import CofferBase
import Testing
import WalletCore

@Suite("ABI: events and logs")
struct ABIEventTests {
    static let from = "0x" + String(repeating: "0", count: 24) + "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"
    static let to = "0x" + String(repeating: "0", count: 24) + "fb6916095ca1df60bb79ce92ce3ea74c37c5d359"
    static func word(_ last: String) -> String { "0x" + String(repeating: "0", count: 64 - last.count) + last }

    @Test("an ERC-20 Transfer log decodes to lower-case addresses and the exact amount")
    func erc20Transfer() throws {
        let amount = "0de0b6b3a7640000"  // 10^18
        let upper = { (text: String) in "0x" + text.dropFirst(2).uppercased() }
        let transfer = try ERC20.decodeTransfer(topics: [upper(ERC20.transferTopic), Self.from, upper(Self.to)], data: Self.word(amount))
        #expect(transfer.from == "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
        #expect(transfer.to == "0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359")
        #expect(transfer.value.description == "1000000000000000000")
        #expect(transfer.value.uint128 == 1_000_000_000_000_000_000)
        let big = try ERC20.decodeTransfer(topics: [ERC20.transferTopic, Self.from, Self.to], data: "0x01" + String(repeating: "0", count: 62))
        #expect(big.value.uint128 == nil)
        #expect(big.value.description == "452312848583266388373324160190187140051835877600158453279131187530910662656")
    }

    @Test("ERC-20 and ERC-721 Transfer share topic 0 and are told apart by their topic count")
    func transferKinds() throws {
        let erc721Topics = [ERC20.transferTopic, Self.from, Self.to, Self.word("2a")]
        #expect {
            try ERC20.decodeTransfer(topics: erc721Topics, data: "0x")
        } throws: { error in
            "\(error)".contains("ERC-721 Transfer")
        }
        let nft = try #require(try TokenEvents.all.decode(topics: erc721Topics, data: "0x"))
        #expect(nft.event == ERC721.transfer)
        #expect(nft["tokenId"]?.value == .uint(EthereumQuantity(42)))
        #expect(nft["from"]?.value?.addressText == "0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed")
        let fungible = try #require(try TokenEvents.all.decode(topics: [ERC20.transferTopic, Self.from, Self.to], data: Self.word("05")))
        #expect(fungible.event == ERC20.transfer)
        #expect(fungible["value"]?.value == .uint(EthereumQuantity(5)))
        #expect(try TokenEvents.all.decode(topics: [ERC20.transferTopic, Self.from], data: "0x") == nil)
        #expect(try TokenEvents.all.decode(topics: [Self.word("01"), Self.from, Self.to], data: "0x") == nil)
        #expect(try TokenEvents.all.decode(topics: [], data: "0x") == nil)
        let approval = try #require(try TokenEvents.all.decode(topics: [ERC721.approvalForAll.topic0Hex, Self.from, Self.to], data: Self.word("01")))
        #expect(approval.event == ERC721.approvalForAll && approval["approved"]?.value == .bool(true))
    }

    @Test("ERC-1155 TransferBatch and URI encode and decode")
    func erc1155() throws {
        let operatorAddress = try ABIValue.address("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        let values: [ABIValue] = [
            operatorAddress, .address([UInt8](repeating: 0, count: 20)), .address([UInt8](repeating: 0xAB, count: 20)),
            .array([.uint(EthereumQuantity(1)), .uint(EthereumQuantity(2))]), .array([.uint(EthereumQuantity(10)), .uint(.max)]),
        ]
        let log = try ERC1155.transferBatch.encodeLog(values)
        #expect(log.topics.count == 4 && log.topics[0] == ERC1155.transferBatch.topic0)
        #expect(log.data.count == 32 * 8)
        let decoded = try #require(try TokenEvents.all.decode(topics: log.topics, data: log.data))
        #expect(decoded.event == ERC1155.transferBatch)
        #expect(decoded.arguments.compactMap(\.value) == values)

        let uri = try ERC1155.uri.encodeLog([.string("https://token/{id}.json"), .uint(EthereumQuantity(7))])
        #expect(uri.topics == [ERC1155.uri.topic0, hex(String(Self.word("07").dropFirst(2)))])
        let decodedURI = try ERC1155.uri.decodeLog(topics: uri.topics, data: uri.data)
        #expect(decodedURI["value"]?.value == .string("https://token/{id}.json"))
    }

    @Test("indexed dynamic parameters are topics of the hash of their in-place encoding")
    func indexedDynamic() throws {
        let w = { (n: String) in hex(String(Self.word(n).dropFirst(2))) }
        #expect(try ABIEvent.topic(for: .string("hello"), as: .string) == Keccak256.hash(Array("hello".utf8)))
        #expect(Hex.encode(try ABIEvent.topic(for: .bytes([]), as: .bytes)) == "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")
        let one = ABIValue.uint(EthereumQuantity(1))
        let two = ABIValue.uint(EthereumQuantity(2))
        #expect(try ABIEvent.topic(for: .array([one, two]), as: .dynamicArray(.uint256)) == Keccak256.hash(w("01") + w("02")))
        #expect(try ABIEvent.topic(for: .array([one, two]), as: .array(.uint(bits: 8), length: 2)) == Keccak256.hash(w("01") + w("02")))
        // Inside arrays and tuples, bytes and strings are padded to 32 bytes, without a length.
        let padded = Array("a".utf8) + [UInt8](repeating: 0, count: 31)
        #expect(try ABIEvent.topic(for: .array([.string("a"), .string("")]), as: .dynamicArray(.string)) == Keccak256.hash(padded))
        #expect(try ABIEvent.topic(for: .tuple([one, .bytes(Array("a".utf8))]), as: .tuple([.uint(bits: 8), .bytes])) == Keccak256.hash(w("01") + padded))
        // Word-sized values are their own topic, sign-extended or left-aligned as in the data.
        #expect(try ABIEvent.topic(for: .int(-1), as: .int(bits: 8)) == [UInt8](repeating: 0xFF, count: 32))
        #expect(try ABIEvent.topic(for: .fixedBytes([0xAB]), as: .fixedBytes(1)) == [0xAB] + [UInt8](repeating: 0, count: 31))
        #expect(throws: ABIError.self) { try ABIEvent.topic(for: .int(128), as: .int(bits: 8)) }

        let event = try ABIEvent(signature: "Named(string indexed name, uint256[] indexed ids, bool indexed flag, bytes data)")
        let log = try event.encodeLog([.string("alice"), .array([one]), .bool(true), .bytes([1, 2, 3])])
        #expect(log.topics[1] == Keccak256.hash(Array("alice".utf8)))
        let decoded = try event.decodeLog(topics: log.topics, data: log.data)
        #expect(decoded.arguments == [.hashed(log.topics[1]), .hashed(log.topics[2]), .value(.bool(true)), .value(.bytes([1, 2, 3]))])
        #expect(decoded["name"]?.value == nil)
    }

    @Test("anonymous events have no topic 0")
    func anonymous() throws {
        let event = try ABIEvent(signature: "event Note(address indexed who, uint8 indexed kind, string text) anonymous")
        let log = try event.encodeLog([.address([UInt8](repeating: 1, count: 20)), .uint(EthereumQuantity(3)), .string("x")])
        #expect(log.topics.count == 2)
        #expect(try event.decodeLog(topics: log.topics, data: log.data).arguments.compactMap(\.value).count == 3)
        #expect(ABIEventSet([event]).event(topics: log.topics) == nil)
    }

    @Test("malformed logs are refused, saying why", arguments: [
        ([ERC20.transferTopic, from, to, word("01")], "0x", "3 topics (2 indexed), the log has 4"),
        ([ERC20.approval.topic0Hex, from, to], word("01"), "topic 0 is 0x8c5be1e5"),
        ([ERC20.transferTopic, from, "0x1234"], word("01"), "topic 2 is 2 bytes, not 32"),
        ([ERC20.transferTopic, from, "0xzz"], word("01"), "topic 2: invalid hex"),
        ([ERC20.transferTopic, "0x01" + String(from.dropFirst(4)), to], word("01"), "from (topic 1): address at byte 0 has non-zero bytes"),
        ([ERC20.transferTopic, from, to], "0x01", "needs 32 bytes at byte 0, but the data ends at byte 1"),
        ([ERC20.transferTopic, from, to], "0x0", "log data: invalid hex"),
    ])
    func refuses(topics: [String], data: String, fragment: String) {
        #expect {
            try ERC20.transfer.decodeLog(topics: topics, data: data)
        } throws: { error in
            let error = error as? ABIError
            return error?.code == "invalid-abi-data" && error?.description.contains(fragment) == true
        }
    }
}
