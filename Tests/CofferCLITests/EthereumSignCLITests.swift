import Foundation
import Testing
import CofferTestSupport

/// `coffer sign ethereum-tx | ethereum-message | ethereum-typed-data`, run as a user would.
struct EthereumSignCLITests {
    /// Published with EIP-155 (its signing example).
    static let eip155Key = String(repeating: "46", count: 32)
    static let eip155Raw = "0xf86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83"
    /// keccak256("cow"), the key of the EIP-712 Mail example.
    static let cowKey = "c85ef7d79691fe79573b1a7064c19c1a9819ebdbd1faaab1a8ec92344438aaf4"
    static let validType2 = #"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"to":"0x3535353535353535353535353535353535353535","value":"0"}"#

    /// A section of Tests/Vectors/generated/ethereum-signing.json (eth-account's outputs).
    static func vectorCases(_ section: String) throws -> [[String: String]] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/generated/ethereum-signing.json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        return try #require(document[section] as? [[String: Any]]).map { $0.compactMapValues { $0 as? String } }
    }

    static func json(_ text: String) throws -> [String: String] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: String])
    }

    @Test func legacyEIP155Example() throws {
        let file = try temporaryFile(#"{"type":0,"nonce":9,"gas_price":"20000000000","gas":21000,"to":"0x3535353535353535353535353535353535353535","value":"1000000000000000000","data":"0x"}"#)
        let result = try CofferProcess.run(["sign", "ethereum-tx", "--chain-id", "1", "--tx-file", file], stdin: "0x\(Self.eip155Key)\n")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == #"{"raw":"\#(Self.eip155Raw)","hash":"0x33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788","from":"0x9d8A62f656a8d1615C1294fd71e9CFb3E4855A4F"}"# + "\n")
        #expect(result.stderr.isEmpty)
    }

    @Test("every eth-account transaction vector, through the binary")
    func transactionVectors() throws {
        for entry in try Self.vectorCases("transactions") {
            let file = try temporaryFile(try #require(entry["request"]))
            let key: String = try #require(entry["key"])
            let result = try CofferProcess.run(
                ["sign", "ethereum-tx", "--chain-id", try #require(entry["chain_id"]), "--tx-file", file], stdin: "  \(key)  \n")
            #expect(result.status == 0, "\(entry["description"] ?? ""): \(result.stderr)")
            #expect(try Self.json(result.stdout) == ["raw": entry["raw"], "hash": entry["hash"], "from": entry["from"]], "\(entry["description"] ?? "")")
            #expect(result.stdoutLines.count == 1)
        }
    }

    @Test("personal_sign signs the file's exact bytes")
    func messageVectors() throws {
        for entry in try Self.vectorCases("messages") {
            let url = TemporaryPaths.make("coffer-test")
            try Data(Self.bytes(try #require(entry["message"]))).write(to: url)
            let key: String = try #require(entry["key"])
            let result = try CofferProcess.run(["sign", "ethereum-message", "--message-file", url.path], stdin: key)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Self.json(result.stdout) == ["signature": entry["signature"], "address": entry["address"]], "\(entry["description"] ?? "")")
        }
    }

    @Test func typedDataVectors() throws {
        for entry in try Self.vectorCases("typed_data") {
            let file = try temporaryFile(try #require(entry["json"]))
            let key: String = try #require(entry["key"])
            let result = try CofferProcess.run(["sign", "ethereum-typed-data", "--file", file], stdin: key)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(try Self.json(result.stdout) == ["signature": entry["signature"], "hash": entry["hash"]], "\(entry["description"] ?? "")")
        }
    }

    static func bytes(_ hex: String) -> [UInt8] {
        let digits = Array(hex.utf8.dropFirst(2))
        return stride(from: 0, to: digits.count, by: 2).map { UInt8(String(decoding: digits[$0..<$0 + 2], as: UTF8.self), radix: 16) ?? 0 }
    }

    @Test("transaction requests that are wrong are refused with one line naming the field", arguments: [
        (#"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"value":"0","gas_price":"1"}"#, "unknown field gas_price"),
        (#"{"type":2,"nonce":"zero","max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"value":"0"}"#, "nonce"),
        (#"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":-5,"value":"0"}"#, "gas: -5 is negative"),
        (#"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"value":"0.5"}"#, "value: 0.5 is not a whole number"),
        (#"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000}"#, "missing required field value"),
        (#"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"value":"0","data":"0xzz"}"#, "data: invalid hex"),
        (#"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"value":"0","to":"0x5AAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}"#, "checksum"),
        (#"{"type":0,"nonce":0,"gas_price":"1","gas":21000,"value":"0","access_list":[]}"#, "unknown field access_list"),
        (#"{"type":1,"nonce":0,"gas_price":"1","gas":21000,"value":"0","access_list":[{"address":"0x3535353535353535353535353535353535353535","storage_keys":["0x00"]}]}"#, "access_list[0].storage_keys[0] must be 32 bytes"),
        (#"{"type":"2","nonce":0}"#, "missing required field"),
        (#"{"type":2"#, "invalid JSON"),
        (#"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"value":"115792089237316195423570985008687907853269984665640564039457584007913129639936"}"#, "larger than 2^256 - 1"),
    ])
    func rejectedTransactions(json: String, fragment: String) throws {
        let file = try temporaryFile(json)
        try CofferProcess.expectRejected(
            ["sign", "ethereum-tx", "--chain-id", "1", "--tx-file", file], stdin: Self.eip155Key, status: 1, mentioning: [fragment])
    }

    @Test("a chain id whose EIP-155 v overflows 256 bits is refused for legacy transactions")
    func legacyChainIDTooLarge() throws {
        let file = try temporaryFile(#"{"type":0,"nonce":0,"gas_price":"1","gas":21000,"value":"0"}"#)
        try CofferProcess.expectRejected(
            ["sign", "ethereum-tx", "--chain-id", "115792089237316195423570985008687907853269984665640564039457584007913129639935", "--tx-file", file],
            stdin: Self.eip155Key, status: 1, mentioning: ["too large for a legacy transaction"])
    }

    @Test("bad private keys are refused without echoing them", arguments: [
        ("", "no private key"),
        ("0x1234", "64 hex digits"),
        (String(repeating: "g", count: 64), "64 hex digits"),
        (String(repeating: "0", count: 64), "not a valid secp256k1 key"),
        ("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", "not a valid secp256k1 key"),
        (String(repeating: "46", count: 32) + " extra", "64 hex digits"),
    ])
    func rejectedKeys(key: String, fragment: String) throws {
        let file = try temporaryFile(Self.validType2)
        let arguments = ["sign", "ethereum-tx", "--chain-id", "1", "--tx-file", file]
        try CofferProcess.expectRejected(arguments, stdin: key, status: 1, mentioning: [fragment])
        let result = try CofferProcess.run(arguments, stdin: key)
        if key.count >= 8 { #expect(!result.stderr.contains(String(key.prefix(8)))) }
    }

    @Test("usage errors exit 2", arguments: [
        ["sign", "ethereum-tx", "--chain-id", "0", "--tx-file", "x"],
        ["sign", "ethereum-tx", "--chain-id", "-1", "--tx-file", "x"],
        ["sign", "ethereum-tx", "--chain-id", "1.5", "--tx-file", "x"],
        ["sign", "ethereum-tx", "--tx-file", "x"],
        ["sign", "ethereum-tx", "--chain-id", "1"],
        ["sign", "ethereum-message"],
        ["sign", "ethereum-typed-data"],
        ["sign", "ethereum-tx", "--chain-id", "1", "--tx-file", "x", "--private-key", "46"],
        ["sign", "bitcoin-tx"],
    ])
    func usageErrors(arguments: [String]) throws {
        try CofferProcess.expectRejected(arguments, stdin: Self.eip155Key, status: 2)
    }

    @Test func missingFilesAreNamed() throws {
        try CofferProcess.expectRejected(
            ["sign", "ethereum-tx", "--chain-id", "1", "--tx-file", "/nonexistent/tx.json"], stdin: Self.eip155Key, status: 1,
            mentioning: ["transaction file /nonexistent/tx.json", "no such file"])
        try CofferProcess.expectRejected(
            ["sign", "ethereum-message", "--message-file", "/nonexistent/m"], stdin: Self.eip155Key, status: 1, mentioning: ["message file"])
        try CofferProcess.expectRejected(
            ["sign", "ethereum-typed-data", "--file", "/nonexistent/t.json"], stdin: Self.eip155Key, status: 1, mentioning: ["typed data file"])
    }

    @Test("the message file is signed byte for byte, trailing newline included")
    func messageBytesAreExact() throws {
        let withNewline = try CofferProcess.run(["sign", "ethereum-message", "--message-file", try temporaryFile("hi\n")], stdin: Self.cowKey)
        let without = try CofferProcess.run(["sign", "ethereum-message", "--message-file", try temporaryFile("hi")], stdin: Self.cowKey)
        #expect(withNewline.status == 0 && without.status == 0)
        #expect(withNewline.stdout != without.stdout)
        #expect(try Self.json(without.stdout)["address"] == "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826")
    }

    @Test("typed data that is wrong is refused with one line naming the place", arguments: [
        (#"{"types":{"EIP712Domain":[],"M":[{"name":"n","type":"uint8"}]},"primaryType":"M","domain":{},"message":{"n":256}}"#, "message.n = 256 does not fit in uint8"),
        (#"{"types":{"EIP712Domain":[],"M":[{"name":"n","type":"int8"}]},"primaryType":"M","domain":{},"message":{"n":-129}}"#, "does not fit in int8"),
        (#"{"types":{"EIP712Domain":[],"M":[{"name":"n","type":"uint8"}]},"primaryType":"M","domain":{},"message":{}}"#, "message.n is missing"),
        (#"{"types":{"EIP712Domain":[],"M":[{"name":"n","type":"uint8"}]},"primaryType":"M","domain":{},"message":{"n":1,"m":2}}"#, "message.m is not a field"),
        (#"{"types":{"EIP712Domain":[],"M":[{"name":"a","type":"address"}]},"primaryType":"M","domain":{},"message":{"a":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD827"}}"#, "checksum"),
        (#"{"types":{"EIP712Domain":[],"M":[{"name":"b","type":"bytes"}]},"primaryType":"M","domain":{},"message":{"b":"0x1"}}"#, "message.b: invalid hex"),
        (#"{"types":{"EIP712Domain":[],"M":[{"name":"p","type":"Person"}]},"primaryType":"M","domain":{},"message":{"p":{}}}"#, "type Person is not defined"),
        (#"{"types":{"EIP712Domain":[],"M":[]},"primaryType":"X","domain":{},"message":{}}"#, "primaryType X is not defined"),
        (#"{"types":{"EIP712Domain":[],"M":[]},"primaryType":"M","domain":{},"message":{},"x":1}"#, "unknown field x"),
        (#"not json"#, "invalid JSON"),
    ])
    func rejectedTypedData(json: String, fragment: String) throws {
        try CofferProcess.expectRejected(
            ["sign", "ethereum-typed-data", "--file", try temporaryFile(json)], stdin: Self.cowKey, status: 1, mentioning: [fragment])
    }
}
