import CofferBase
import Testing
import WalletCore

/// The examples of the Solidity ABI specification ("Examples" and "Use of Dynamic Types"), and
/// well-known selectors and topics.
@Suite("ABI: published vectors")
struct ABIVectorTests {
    static func words(_ words: String...) -> [UInt8] { hex(words.joined()) }

    static func uint(_ value: UInt64) -> ABIValue { .uint(EthereumQuantity(value)) }

    @Test("baz(uint32,bool) with 69, true")
    func baz() throws {
        let function = try ABIFunction(signature: "function baz(uint32 x, bool y) public pure returns (bool r)")
        #expect(function.signature == "baz(uint32,bool)")
        #expect(function.selectorHex == "0xcdcd77c0")
        let call = hex("cdcd77c0")
            + Self.words("0000000000000000000000000000000000000000000000000000000000000045",
                         "0000000000000000000000000000000000000000000000000000000000000001")
        #expect(try function.encodeCall([Self.uint(69), .bool(true)]) == call)
        #expect(try function.decodeCall(call) == [Self.uint(69), .bool(true)])
        #expect(try function.decodeOutput(hex("0000000000000000000000000000000000000000000000000000000000000001")) == [.bool(true)])
    }

    @Test("bar(bytes3[2]) with [\"abc\", \"def\"]")
    func bar() throws {
        let function = try ABIFunction(signature: "bar(bytes3[2])")
        #expect(function.selectorHex == "0xfce353f6")
        let call = hex("fce353f6")
            + Self.words("6162630000000000000000000000000000000000000000000000000000000000",
                         "6465660000000000000000000000000000000000000000000000000000000000")
        let value = ABIValue.array([.fixedBytes(Array("abc".utf8)), .fixedBytes(Array("def".utf8))])
        #expect(try function.encodeCall([value]) == call)
        #expect(try function.decodeCall(call) == [value])
    }

    @Test("sam(bytes,bool,uint256[]) with \"dave\", true, [1,2,3]")
    func sam() throws {
        let function = try ABIFunction(signature: "sam(bytes,bool,uint256[])")
        #expect(function.selectorHex == "0xa5643bf2")
        let call = hex("a5643bf2")
            + Self.words("0000000000000000000000000000000000000000000000000000000000000060",
                         "0000000000000000000000000000000000000000000000000000000000000001",
                         "00000000000000000000000000000000000000000000000000000000000000a0",
                         "0000000000000000000000000000000000000000000000000000000000000004",
                         "6461766500000000000000000000000000000000000000000000000000000000",
                         "0000000000000000000000000000000000000000000000000000000000000003",
                         "0000000000000000000000000000000000000000000000000000000000000001",
                         "0000000000000000000000000000000000000000000000000000000000000002",
                         "0000000000000000000000000000000000000000000000000000000000000003")
        let values: [ABIValue] = [.bytes(Array("dave".utf8)), .bool(true), .array([Self.uint(1), Self.uint(2), Self.uint(3)])]
        #expect(try function.encodeCall(values) == call)
        #expect(try function.decodeCall(call) == values)
    }

    @Test("f(uint256,uint32[],bytes10,bytes) with 0x123, [0x456, 0x789], \"1234567890\", \"Hello, world!\"")
    func dynamicTypesF() throws {
        let function = try ABIFunction(signature: "f(uint256,uint32[],bytes10,bytes)")
        #expect(function.selectorHex == "0x8be65246")
        let call = hex("8be65246")
            + Self.words("0000000000000000000000000000000000000000000000000000000000000123",
                         "0000000000000000000000000000000000000000000000000000000000000080",
                         "3132333435363738393000000000000000000000000000000000000000000000",
                         "00000000000000000000000000000000000000000000000000000000000000e0",
                         "0000000000000000000000000000000000000000000000000000000000000002",
                         "0000000000000000000000000000000000000000000000000000000000000456",
                         "0000000000000000000000000000000000000000000000000000000000000789",
                         "000000000000000000000000000000000000000000000000000000000000000d",
                         "48656c6c6f2c20776f726c642100000000000000000000000000000000000000")
        let values: [ABIValue] = [
            Self.uint(0x123), .array([Self.uint(0x456), Self.uint(0x789)]),
            .fixedBytes(Array("1234567890".utf8)), .bytes(Array("Hello, world!".utf8)),
        ]
        #expect(try function.encodeCall(values) == call)
        #expect(try function.decodeCall(call) == values)
    }

    @Test("g(uint256[][],string[]) with [[1, 2], [3]], [\"one\", \"two\", \"three\"]")
    func dynamicTypesG() throws {
        let function = try ABIFunction(signature: "g(uint256[][],string[])")
        #expect(function.selectorHex == "0x2289b18c")
        let call = hex("2289b18c")
            + Self.words("0000000000000000000000000000000000000000000000000000000000000040",
                         "0000000000000000000000000000000000000000000000000000000000000140",
                         "0000000000000000000000000000000000000000000000000000000000000002",
                         "0000000000000000000000000000000000000000000000000000000000000040",
                         "00000000000000000000000000000000000000000000000000000000000000a0",
                         "0000000000000000000000000000000000000000000000000000000000000002",
                         "0000000000000000000000000000000000000000000000000000000000000001",
                         "0000000000000000000000000000000000000000000000000000000000000002",
                         "0000000000000000000000000000000000000000000000000000000000000001",
                         "0000000000000000000000000000000000000000000000000000000000000003",
                         "0000000000000000000000000000000000000000000000000000000000000003",
                         "0000000000000000000000000000000000000000000000000000000000000060",
                         "00000000000000000000000000000000000000000000000000000000000000a0",
                         "00000000000000000000000000000000000000000000000000000000000000e0",
                         "0000000000000000000000000000000000000000000000000000000000000003",
                         "6f6e650000000000000000000000000000000000000000000000000000000000",
                         "0000000000000000000000000000000000000000000000000000000000000003",
                         "74776f0000000000000000000000000000000000000000000000000000000000",
                         "0000000000000000000000000000000000000000000000000000000000000005",
                         "7468726565000000000000000000000000000000000000000000000000000000")
        let values: [ABIValue] = [
            .array([.array([Self.uint(1), Self.uint(2)]), .array([Self.uint(3)])]),
            .array([.string("one"), .string("two"), .string("three")]),
        ]
        #expect(try function.encodeCall(values) == call)
        #expect(try function.decodeCall(call) == values)
    }

    @Test("well-known selectors", arguments: [
        ("transfer(address,uint256)", "0xa9059cbb"),
        ("balanceOf(address)", "0x70a08231"),
        ("approve(address,uint256)", "0x095ea7b3"),
        ("transferFrom(address,address,uint256)", "0x23b872dd"),
        ("safeTransferFrom(address,address,uint256,uint256,bytes)", "0xf242432a"),
    ])
    func selectors(signature: String, selector: String) throws {
        #expect(try ABIFunction(signature: signature).selectorHex == selector)
    }

    @Test("well-known event topics")
    func topics() {
        #expect(ERC20.transferTopic == "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef")
        #expect(ERC721.transfer.topic0 == ERC20.transfer.topic0)
        #expect(ERC20.approval.topic0Hex == "0x8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925")
        #expect(ERC721.approvalForAll.topic0Hex == "0x17307eab39ab6107e8899845ad3d59bd9653f200f220920489ca2b5937696c31")
        #expect(ERC1155.transferSingle.topic0Hex == "0xc3d58168c5ae7397731d063d5bbf3d657854427343f4c083240f7aacaa2d0f62")
        #expect(ERC1155.transferBatch.topic0Hex == "0x4a39dc06d4c0dbc64b70af90fd698a233a518aa5d07e595d983b8c0526c8f7fb")
        #expect(ERC1155.uri.topic0Hex == "0x6bb7ff708619ba0610cba295a58592e0451dee2622938c8755667688daf3529b")
        #expect(ERC1155.transferBatch.signature == "TransferBatch(address,address,address,uint256[],uint256[])")
    }
}
