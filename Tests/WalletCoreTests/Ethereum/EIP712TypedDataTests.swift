import Foundation
import Testing
import WalletCore

/// EIP-712 typed data: the specification's Mail example and eth-account vectors.
@Suite("EIP-712 typed data")
struct EIP712TypedDataTests {
    static let mail = #"""
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
        "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
        "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
        "primaryType":"Mail",
        "domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
        "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}
        """#

    /// Values published with the specification (assets/eip-712/Example.js), key keccak256("cow").
    @Test func specMailExample() throws {
        let typedData = try EIP712TypedData(json: Self.mail)
        #expect(try typedData.encodeType("Mail") == "Mail(Person from,Person to,string contents)Person(string name,address wallet)")
        #expect(Hex.encode(Keccak256.hash(Array(try typedData.encodeType("Mail").utf8))) == "a0cedeb2dc280ba39b857546d74f5549c3a1d7bdc2dd96bf881f76108e23dac2")
        #expect(Hex.encode(typedData.domainSeparator) == "f2cee375fa42b42143804025fc449deafd50cc031ca257e0b194a650a912090f")
        #expect(Hex.encode(typedData.messageHash) == "c52c0ee5d84264471806290a3f2c4cecfc5490626bf912d01f240d7a274b371e")
        #expect(Hex.encode(typedData.signingHash()) == "be609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2")
        let key = try Secp256k1.PrivateKey(Keccak256.hash(Array("cow".utf8)))
        #expect(EthereumAddress.encode(key.publicKey) == "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")
        let signature = try typedData.sign(with: key)
        #expect(signature.rsv[64] == 28)
        #expect(Hex.encode(signature.r) == "4355c47d63924e8a72e509b65029052eb6c299d53a04e167c5775fd466751c9d")
        #expect(Hex.encode(signature.s) == "07299936d304c153f6443dfa05f40ff007d72911b6f72307f996231605b91562")
    }

    @Test("eth-account vectors: hash and signature match exactly")
    func ethAccountVectors() throws {
        let cases = try EthereumVectors.cases("typed_data")
        #expect(cases.count >= 6)
        for entry in cases {
            let name = entry["description"] ?? "?"
            let typedData = try EIP712TypedData(json: try #require(entry["json"]))
            #expect("0x" + Hex.encode(typedData.signingHash()) == entry["hash"], "\(name)")
            let signature = try typedData.sign(with: try EthereumVectors.key(entry))
            #expect("0x" + Hex.encode(signature.rsv) == entry["signature"], "\(name)")
            #expect(try signature.recoverAddress(digest: typedData.signingHash()) == entry["address"], "\(name)")
        }
    }

    @Test func dependenciesAreSortedAndIncludedOnce() throws {
        let json = #"""
            {"types":{"EIP712Domain":[],"Z":[{"name":"b","type":"B[]"},{"name":"a","type":"A"},{"name":"a2","type":"A[2]"}],"B":[{"name":"a","type":"A"}],"A":[{"name":"x","type":"uint8"}]},
             "primaryType":"Z","domain":{},"message":{"b":[],"a":{"x":1},"a2":[{"x":2},{"x":3}]}}
            """#
        let typedData = try EIP712TypedData(json: json)
        #expect(try typedData.encodeType("Z") == "Z(B[] b,A a,A[2] a2)A(uint8 x)B(A a)")
    }

    /// A document that differs from a valid one in a single place.
    static func document(type: String, value: String, extraTypes: String = "") -> String {
        #"{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[{"name":"v","type":"\#(type)"}]\#(extraTypes)},"primaryType":"M","domain":{"name":"d"},"message":{"v":\#(value)}}"#
    }

    @Test("accepts every well-formed value", arguments: [
        ("uint8", "255"), ("uint8", "\"0xff\""), ("int8", "-128"), ("int8", "\"-128\""), ("int8", "127"),
        ("int256", "\"-57896044618658097711785492504343953926634992332820282019728792003956564819968\""),
        ("uint256", "\"115792089237316195423570985008687907853269984665640564039457584007913129639935\""),
        ("bytes1", "\"0x00\""), ("bytes32", "\"0x" + String(repeating: "ab", count: 32) + "\""), ("bytes", "\"0x\""),
        ("bool", "true"), ("string", "\"\""), ("address", "\"0xcd2a3d9f938e13cd947ec05abc7fe734df8dd826\""),
        ("uint8[]", "[]"), ("uint8[2][]", "[[1,2],[3,4]]"), ("string[1]", "[\"x\"]"),
    ])
    func accepts(type: String, value: String) throws {
        _ = try EIP712TypedData(json: Self.document(type: type, value: value))
    }

    @Test("refuses bad types and values with a one-line reason naming the place", arguments: [
        ("uint8", "256", "message.v = 256 does not fit in uint8"),
        ("uint8", "-1", "message.v: -1 is negative"),
        ("int8", "128", "does not fit in int8"),
        ("int8", "-129", "does not fit in int8"),
        ("int8", "\"-0x1\"", "negative integers in decimal"),
        ("uint256", "1.5", "not a whole number"),
        ("uint256", "\"abc\"", "not a decimal integer"),
        ("uint256", "true", "must be a non-negative integer"),
        ("bool", "1", "must be true or false"),
        ("bytes2", "\"0x01\"", "must be 2 bytes"),
        ("bytes", "\"hello\"", "0x-prefixed hex"),
        ("bytes", "\"0x0\"", "invalid hex"),
        ("string", "5", "must be a string"),
        ("address", "\"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827\"", "checksum"),
        ("uint8[2]", "[1]", "exactly 2 elements"),
        ("uint8[]", "1", "must be an array"),
        ("uint", "1", "not a valid EIP-712 type"),
        ("int7", "1", "not a valid EIP-712 type"),
        ("bytes33", "\"0x00\"", "not a valid EIP-712 type"),
        ("uint8[0]", "[]", "not a valid EIP-712 type"),
        ("Nope", "{}", "type Nope is not defined"),
        ("P", "{}", "message.v.x is missing"),
        ("P", "{\"x\":1,\"z\":2}", "message.v.z is not a field of type P"),
    ])
    func refuses(type: String, value: String, fragment: String) {
        let json = Self.document(type: type, value: value, extraTypes: #","P":[{"name":"x","type":"uint8"}]"#)
        #expect {
            try EIP712TypedData(json: json)
        } throws: { error in
            let message = "\(error)"
            return message.contains(fragment) && !message.contains("\n")
        }
    }

    @Test("refuses malformed documents", arguments: [
        (#"{"types":{"M":[]},"primaryType":"M","domain":{},"message":{}}"#, "EIP712Domain"),
        (#"{"types":{"EIP712Domain":[]},"primaryType":"M","domain":{},"message":{}}"#, "primaryType M is not defined"),
        (#"{"types":{"EIP712Domain":[]},"primaryType":"EIP712Domain","domain":{},"message":{}}"#, "not EIP712Domain"),
        (#"{"types":{"EIP712Domain":[],"M":[]},"primaryType":"M","domain":{},"message":{},"extra":1}"#, "unknown field extra"),
        (#"{"types":{"EIP712Domain":[],"M":[]},"primaryType":"M","domain":{}}"#, "missing required field message"),
        (#"{"types":{"EIP712Domain":[],"M":[{"name":"a","type":"uint8"},{"name":"a","type":"uint8"}]},"primaryType":"M","domain":{},"message":{}}"#, "declares field a twice"),
        (#"{"types":{"EIP712Domain":[],"M":[{"name":"a","type":"uint8","x":1}]},"primaryType":"M","domain":{},"message":{}}"#, "unknown field types.M[0].x"),
        (#"{"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[]},"primaryType":"M","domain":{"name":"a","version":"1"},"message":{}}"#, "domain.version is not a field"),
    ])
    func refusesDocuments(json: String, fragment: String) {
        #expect {
            try EIP712TypedData(json: json)
        } throws: { error in
            "\(error)".contains(fragment)
        }
    }
}
