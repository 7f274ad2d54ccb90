import Foundation
import Testing

/// `coffer sign tron-tx` and `coffer sign solana-tx`, against the tronpy and solders fixtures.
struct SignCLITests {
    static let generated = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Vectors/generated")

    static func fixture(_ name: String) throws -> [[String: Any]] {
        let root = try JSONSerialization.jsonObject(with: Data(contentsOf: generated.appendingPathComponent(name))) as? [String: Any]
        return try #require(root?["cases"] as? [[String: Any]])
    }

    static func output(_ result: CofferProcess.Result) throws -> [String: String] {
        try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: String])
    }

    @Test func tronSignsLikeTronpy() throws {
        for test in try Self.fixture("tron_signing_tronpy.json").prefix(6) {
            let raw = try temporaryFile((test["raw_data_hex"] as! String) + "\n")
            let key = test["private_key"] as! String
            for stdin in [key + "\n", "0x" + key.uppercased() + "\r\n", "  \(key)  "] {
                let result = try CofferProcess.run(["sign", "tron-tx", "--raw-data-file", raw], stdin: stdin)
                #expect(result.status == 0, "\(result.stderr)")
                #expect(result.stderr.isEmpty)
                #expect(result.stdoutLines.count == 1)
                let fields = try Self.output(result)
                #expect(fields["txID"] == test["txID"] as? String)
                let tronpy = test["tronpy_signature"] as! String
                let v = tronpy.hasSuffix("00") ? "1b" : "1c"
                #expect(fields["signature"] == String(tronpy.dropLast(2)) + v)
                #expect(result.stdout.hasPrefix(#"{"txID":""#), "field order as documented")
            }
        }
    }

    @Test func tronRejectionsSayWhyWithoutEchoingTheKey() throws {
        let test = try #require(try Self.fixture("tron_signing_tronpy.json").first)
        let raw = try temporaryFile(test["raw_data_hex"] as! String)
        let key = "7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"
        let sign = ["sign", "tron-tx", "--raw-data-file"]
        try CofferProcess.expectRejected(sign + [raw], stdin: "", status: 1, mentioning: ["no private key"])
        try CofferProcess.expectRejected(sign + [raw], stdin: key + "\n" + key, status: 1, mentioning: ["one private key", "2 lines"])
        try CofferProcess.expectRejected(sign + [raw], stdin: String(key.dropLast(2)), status: 1, mentioning: ["64 hex digits", "62"])
        try CofferProcess.expectRejected(sign + [raw], stdin: "q" + key.dropFirst(), status: 1, mentioning: ["not hexadecimal"])
        try CofferProcess.expectRejected(sign + [raw], stdin: String(repeating: "0", count: 64), status: 1, mentioning: ["range"])
        try CofferProcess.expectRejected(sign + ["/nonexistent/raw"], stdin: key, status: 1, mentioning: ["/nonexistent/raw"])
        try CofferProcess.expectRejected(sign + [try temporaryFile(#"{"raw_data_hex":"0a02"}"#)], stdin: key, status: 1, mentioning: ["raw_data_hex"])
        try CofferProcess.expectRejected(sign + [try temporaryFile("0a0g")], stdin: key, status: 1, mentioning: ["invalid hex"])
        try CofferProcess.expectRejected(sign + [try temporaryFile("1234")], stdin: key, status: 1, mentioning: ["raw_data"])
        try CofferProcess.expectRejected(sign + [try temporaryFile(" \n")], stdin: key, status: 1, mentioning: ["empty"])
        try CofferProcess.expectRejected(["sign", "tron-tx"], stdin: key, status: 2)
        for stdin in [String(key.dropLast(2)), "q" + key.dropFirst(), key + "\n" + key] {
            let result = try CofferProcess.run(sign + [raw], stdin: stdin)
            #expect(!result.stderr.contains(String(key.dropFirst().prefix(16))), "key echoed: \(result.stderr)")
        }
    }

    @Test func solanaSignsLikeSolders() throws {
        for test in try Self.fixture("solana_transactions_solders.json") {
            let seeds = test["signer_seeds"] as! [String]
            let keypairs = test["signer_keypair_json"] as! [String]
            let fromTransaction = try CofferProcess.run(
                ["sign", "solana-tx", "--tx-file", try temporaryFile(test["unsigned_transaction"] as! String + "\n")],
                stdin: seeds.joined(separator: "\n") + "\n")
            let fromMessage = try CofferProcess.run(
                ["sign", "solana-tx", "--message-file", try temporaryFile(test["message"] as! String)],
                stdin: keypairs.reversed().joined(separator: "\n\n"))
            for result in [fromTransaction, fromMessage] {
                #expect(result.status == 0, "\(test["name"]!): \(result.stderr)")
                #expect(result.stderr.isEmpty)
                let fields = try Self.output(result)
                #expect(fields["signature"] == test["signature"] as? String)
                #if os(Linux)
                #expect(fields["transaction"] == test["signed_transaction"] as? String)
                #endif
                #expect(result.stdout.hasPrefix(#"{"transaction":""#))
            }
        }
    }

    @Test func solanaPartialSigningNotesWhoIsMissing() throws {
        let test = try #require(try Self.fixture("solana_transactions_solders.json").first { ($0["signer_seeds"] as! [String]).count == 2 })
        let seeds = test["signer_seeds"] as! [String]
        let addresses = test["signer_addresses"] as! [String]
        let first = try CofferProcess.run(
            ["sign", "solana-tx", "--tx-file", try temporaryFile(test["unsigned_transaction"] as! String)], stdin: seeds[1])
        #expect(first.status == 0)
        #expect(first.stderr.contains("still unsigned by \(addresses[0])"))
        let partial = try #require(try Self.output(first)["transaction"])
        let second = try CofferProcess.run(["sign", "solana-tx", "--tx-file", try temporaryFile(partial)], stdin: seeds[0])
        #expect(second.status == 0 && second.stderr.isEmpty)
        #expect(try Self.output(second)["signature"] == test["signature"] as? String)
    }

    @Test func solanaRejectionsSayWhy() throws {
        let test = try #require(try Self.fixture("solana_transactions_solders.json").first)
        let tx = try temporaryFile(test["unsigned_transaction"] as! String)
        let seed = (test["signer_seeds"] as! [String])[0]
        let stranger = String(repeating: "42", count: 32)
        let sign = ["sign", "solana-tx", "--tx-file"]
        try CofferProcess.expectRejected(sign + [tx], stdin: stranger, status: 1, mentioning: ["not a required signer"])
        try CofferProcess.expectRejected(sign + [tx], stdin: seed + "\nabc", status: 1, mentioning: ["stdin line 2", "64 hex digits"])
        try CofferProcess.expectRejected(sign + [tx], stdin: "[1,2,3]", status: 1, mentioning: ["stdin line 1", "64 numbers"])
        try CofferProcess.expectRejected(sign + [tx], stdin: "", status: 1, mentioning: ["no ed25519 private key"])
        try CofferProcess.expectRejected(sign + [try temporaryFile("%%%")], stdin: seed, status: 1, mentioning: ["base64"])
        try CofferProcess.expectRejected(sign + [try temporaryFile("AQID")], stdin: seed, status: 1, mentioning: ["truncated"])
        try CofferProcess.expectRejected(
            ["sign", "solana-tx", "--message-file", tx], stdin: seed, status: 1, mentioning: ["message"])
        try CofferProcess.expectRejected(["sign", "solana-tx"], stdin: seed, status: 2, mentioning: ["--tx-file", "--message-file"])
        try CofferProcess.expectRejected(["sign", "solana-tx", "--tx-file", tx, "--message-file", tx], stdin: seed, status: 2)
        let echoed = try CofferProcess.run(sign + [tx], stdin: stranger)
        #expect(!echoed.stderr.contains("4242424242"))
    }

    @Test func helpExitsZero() throws {
        for arguments in [["sign", "--help"], ["sign", "tron-tx", "--help"], ["sign", "solana-tx", "--help"], ["sign"]] {
            let result = try CofferProcess.run(arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            #expect(result.stdout.contains("USAGE"), "\(arguments)")
        }
    }
}
