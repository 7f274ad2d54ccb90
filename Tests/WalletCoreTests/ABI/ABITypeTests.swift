import CofferBase
import Testing
import WalletCore

@Suite("ABI: types and signatures")
struct ABITypeTests {
    @Test("canonical type strings parse and print back", arguments: [
        "uint8", "uint256", "int8", "int256", "address", "bool", "bytes1", "bytes32", "bytes", "string",
        "uint256[2]", "uint8[]", "bytes3[2][]", "string[][3]", "(uint256,bool)", "(address,(bytes,string[])[2])[]",
        "((uint8))",
    ])
    func roundTrip(text: String) throws {
        #expect(try ABIType(parsing: text).description == text)
    }

    @Test("array suffixes apply innermost first")
    func arrayOrder() throws {
        #expect(try ABIType(parsing: "uint8[2][]") == .dynamicArray(.array(.uint(bits: 8), length: 2)))
        #expect(try ABIType(parsing: "(bool,string)[3]") == .array(.tuple([.bool, .string]), length: 3))
    }

    @Test("dynamic types and head sizes")
    func dynamism() throws {
        #expect(try ABIType(parsing: "uint256[3]").isDynamic == false)
        #expect(try ABIType(parsing: "(uint8,bytes32)[2]").isDynamic == false)
        #expect(try ABIType(parsing: "(uint8,bytes)").isDynamic)
        #expect(try ABIType(parsing: "string[2]").isDynamic)
        #expect(try ABIType(parsing: "uint8[]").isDynamic)
    }

    @Test("malformed types are refused, saying what and where", arguments: [
        ("uint7", "uint7 is not a type"),
        ("uint264", "uint264 is not a type"),
        ("int0", "not an ABI type"),
        ("uint08", "not an ABI type"),
        ("bytes33", "bytes33 is not a type"),
        ("bytes0", "not an ABI type"),
        ("uint", "write uint256"),
        ("int", "write int256"),
        ("fixed128x18", "fixed-point"),
        ("ufixed", "fixed-point"),
        ("function", "not supported"),
        ("tuple", "components"),
        ("uint256[0]", "at least 1"),
        ("uint256[01]", "not an array length"),
        ("uint256[x]", "not an array length"),
        ("uint256[", "expected ']'"),
        ("()", "empty tuple"),
        ("(uint256", "expected ')'"),
        ("(uint256,)", "expected a type"),
        ("uint256 ", "unexpected"),
        ("", "expected a type"),
        ("Foo", "not an ABI type"),
        (String(repeating: "(", count: 40) + "bool" + String(repeating: ")", count: 40), "nest more than 32"),
        ("bool" + String(repeating: "[]", count: 33), "nest more than 32"),
    ])
    func refuses(text: String, fragment: String) {
        #expect {
            try ABIType(parsing: text)
        } throws: { error in
            let error = error as? ABIError
            return error?.code == "invalid-abi" && error?.category == .invalidInput
                && error?.description.contains(fragment) == true && error?.description.contains("at character") == true
        }
    }

    @Test("signatures: names, indexed, returns and modifiers")
    func signatures() throws {
        let function = try ABIFunction(signature: "function balanceOf(address owner) external view returns (uint256)")
        #expect(function.name == "balanceOf" && function.signature == "balanceOf(address)")
        #expect(function.inputs == [ABIParameter("owner", .address)])
        #expect(function.outputs == [ABIParameter("", .uint256)])
        #expect(function.stateMutability == "view")
        let event = try ABIEvent(signature: "event Transfer(address indexed from, address indexed to, uint256 value)")
        #expect(event == ERC20.transfer)
        let anonymous = try ABIEvent(signature: "Log(bytes32 indexed a, bytes32 indexed b, bytes32 indexed c, bytes32 indexed d) anonymous")
        #expect(anonymous.anonymous && anonymous.topicCount == 4)
        #expect(try ABIFunction(signature: "f( (uint256,bool)[] memory items , string calldata )").signature == "f((uint256,bool)[],string)")
    }

    @Test("malformed signatures are refused", arguments: [
        ("transfer(address,uint256", "expected ')'"),
        ("(address)", "expected a name"),
        ("1f(address)", "expected a name"),
        ("f(address a b)", "unexpected \"b\""),
        ("f(uint)", "write uint256"),
        ("f(address indexed a)", "only event parameters"),
        ("f() returns", "expected '('"),
        ("f() sometimes", "unexpected \"sometimes\""),
        ("event E(uint256)", "declares an event"),
    ])
    func refusesSignature(text: String, fragment: String) {
        #expect {
            try ABIFunction(signature: text)
        } throws: { error in
            (error as? ABIError)?.description.contains(fragment) == true
        }
    }

    @Test("an event has at most 3 indexed parameters (4 when anonymous)")
    func indexedLimit() {
        #expect(throws: ABIError.self) {
            try ABIEvent(signature: "E(uint8 indexed a, uint8 indexed b, uint8 indexed c, uint8 indexed d)")
        }
        #expect(throws: ABIError.self) { try ABIEvent(signature: "f() returns (uint8)") }
    }
}
