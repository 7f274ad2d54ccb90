import CofferBase
import Testing
import WalletCore

/// Every check of the strict decoder, each with data that decodes when the check is left out.
@Suite("ABI: strict decoding")
struct ABIStrictDecodingTests {
    static func word(_ last: String, fill: Character = "0") -> String {
        String(repeating: fill, count: 64 - last.count) + last
    }

    static let zero = word("")

    @Test("what is refused, and the message says what and where", arguments: [
        // Static values: high bits, sign extension, address bytes, bool, bytesN padding, short data.
        ("uint8", word("0100"), "value 0: uint8 at byte 0 has bits set above its 8 bits"),
        ("uint128", "01" + String(repeating: "0", count: 62), "uint128 at byte 0 has bits set above its 128 bits"),
        ("int8", word("ff"), "int8 at byte 0 is not sign-extended"),
        ("int8", word("7f", fill: "f"), "int8 at byte 0 is not sign-extended"),
        ("int16", word("ff80"), "int16 at byte 0 is not sign-extended"),
        ("address", word("01" + String(repeating: "0", count: 40)), "address at byte 0 has non-zero bytes before its 20 bytes"),
        ("bool", word("02"), "bool at byte 0 is neither 0 nor 1"),
        ("bool", "01" + String(repeating: "0", count: 60) + "01", "bool at byte 0 is neither 0 nor 1"),
        ("bytes2", "616263" + String(repeating: "0", count: 58), "bytes2 at byte 0 has non-zero padding after its 2 bytes"),
        ("uint256", String(repeating: "0", count: 62), "(uint256) needs 32 bytes at byte 0, but the data ends at byte 31"),
        ("(uint256,uint256)", zero, "needs 64 bytes at byte 0, but the data ends at byte 32"),
        // Offsets: beyond the data, into the head, over the value before.
        ("string", word("20"), "value 0: offset 32 at byte 0 points beyond the data (32 bytes)"),
        ("string", word("ff", fill: "f") + zero, "points beyond the data"),
        ("string", zero + zero, "offset 0 at byte 0 points into the head, which ends at byte 32"),
        ("(string,string)", word("20") + word("40") + word("40") + zero, "value 0.1: offset 64 at byte 64 overlaps the value before it, which ends at byte 128"),
        // Lengths beyond the data, missing or dirty padding, invalid UTF-8.
        ("bytes", word("20") + word("21") + zero, "bytes at byte 32 has length 33, beyond the 32 bytes after it"),
        ("bytes", word("20") + word("01") + "ab", "bytes at byte 32 of length 1 lacks its padding to 32 bytes"),
        ("bytes", word("20") + word("01") + "ab" + String(repeating: "0", count: 60) + "01", "bytes at byte 32 has non-zero padding after its 1 bytes"),
        ("string", word("20") + word("02") + "c328" + String(repeating: "0", count: 60), "string at byte 32 is not valid UTF-8"),
        ("uint256[]", word("20") + word("02") + zero, "uint256[] at byte 32 has length 2, more elements than the 32 bytes after it hold"),
        ("uint256[]", word("20") + word("ff", fill: "f"), "more elements than"),
        ("bool[2]", word("01") + word("03"), "value 0[1]: bool at byte 32 is neither 0 nor 1"),
    ])
    func refuses(type: String, data: String, fragment: String) throws {
        let types = [try ABIType(parsing: type)]
        #expect {
            try ABIDecoder.decode(types, from: hex(data))
        } throws: { error in
            let error = error as? ABIError
            return error?.code == "invalid-abi-data" && error?.category == .invalidInput
                && error?.description.contains(fragment) == true && error?.description.contains("\n") == false
        }
    }

    @Test("the values around a refused one decode when it is fixed")
    func controls() throws {
        #expect(try ABIDecoder.decode([.uint(bits: 8)], from: hex(Self.word("ff"))) == [.uint(EthereumQuantity(255))])
        #expect(try ABIDecoder.decode([.int(bits: 8)], from: hex(Self.word("80", fill: "f"))) == [.int(-128)])
        #expect(try ABIDecoder.decode([.int(bits: 8)], from: hex(Self.word("7f"))) == [.int(127)])
        #expect(try ABIDecoder.decode([.string], from: hex(Self.word("20") + Self.zero)) == [.string("")])
        #expect(try ABIDecoder.decode([.tuple([.string, .string])], from: hex(Self.word("20") + Self.word("40") + Self.word("60") + Self.zero + Self.zero))
            == [.tuple([.string(""), .string("")])])
        // Bytes after the last value are ignored, as the EVM ignores them.
        #expect(try ABIDecoder.decode([.bool], from: hex(Self.word("01") + "ff")) == [.bool(true)])
    }

    @Test("call data positions count the selector; the selector must match")
    func callData() throws {
        let function = try ABIFunction(signature: "transfer(address to,uint256 amount)")
        let bad = hex("a9059cbb") + hex(Self.word("01") + Self.word("02", fill: "0")).prefix(40)
        #expect {
            try function.decodeCall(bad)
        } throws: { error in
            "\(error)".contains("(address,uint256) needs 64 bytes at byte 4, but the data ends at byte 44")
        }
        #expect(throws: ABIError.invalidData("call data starts with selector 0x095ea7b3, not 0xa9059cbb of transfer(address,uint256)")) {
            try function.decodeCall(hex("095ea7b3") + hex(Self.word("01") + Self.word("02")))
        }
        #expect(throws: ABIError.self) { try function.decodeCall(hex("a905")) }
    }

    @Test("types built by hand are checked, not trusted")
    func invalidTypes() {
        for type in [ABIType.uint(bits: 7), .int(bits: 264), .fixedBytes(0), .array(.bool, length: 0), .tuple([])] {
            #expect(throws: ABIError.self) { try ABIDecoder.decode([type], from: [UInt8](repeating: 0, count: 64)) }
            #expect(throws: ABIError.self) { try ABIEncoder.encode([.bool(false)], as: [type]) }
        }
        // An absurd fixed array is refused for want of data, without overflowing.
        let huge = ABIType.array(.array(.uint256, length: Int.max / 2), length: 3)
        #expect(throws: ABIError.self) { try ABIDecoder.decode([huge, huge], from: [UInt8](repeating: 0, count: 64)) }
        #expect(throws: ABIError.self) { try ABIEncoder.encode([.array([]), .array([])], as: [huge, huge]) }
    }
}
