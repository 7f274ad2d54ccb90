import Foundation
import Testing
import CofferTestSupport

/// `coffer sign bitcoin-psbt` against the embit-generated PSBTs (Tests/Vectors/generated).
struct BitcoinPSBTCLITests {
    static var vectors: [String: Any] {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/generated/bitcoin-psbt-embit.json")
        return (try? JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any]) ?? [:]
    }

    static func psbt(_ name: String) throws -> String { try #require(try testCase(name)["psbt"] as? String) }

    static func testCase(_ name: String) throws -> [String: Any] {
        let cases = try #require(vectors["cases"] as? [[String: Any]])
        return try #require(cases.first { $0["name"] as? String == name })
    }

    static func key(_ field: String) throws -> String { try #require(vectors[field] as? String) }

    static func json(_ result: CofferProcess.Result) throws -> [String: Any] {
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdoutLines.count == 1)
        return try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
    }

    @Test func masterKeySignsAndFinalises() throws {
        for name in ["p2wpkh-two-inputs", "p2tr-key-path"] {
            let test = try Self.testCase(name)
            let file = try temporaryFile(try Self.psbt(name) + "\n")
            let output = try Self.json(try CofferProcess.run(["sign", "bitcoin-psbt", "--psbt-file", file, "--finalize"], stdin: try Self.key("xprv")))
            #expect((output["signed_inputs"] as? [[String: Any]])?.compactMap { $0["index"] as? Int } == [0, 1])
            #expect((output["txid"] as? String) == test["txid"] as? String, "\(name)")
            // p2wpkh (ECDSA, RFC 6979) is byte-identical to embit; p2tr uses fresh aux randomness here.
            if name == "p2wpkh-two-inputs" { #expect((output["tx"] as? String) == test["tx"] as? String) }
            #expect((output["tx"] as? String)?.isEmpty == false)
            #expect((output["psbt"] as? String)?.hasPrefix("cHNidP8") == true)
        }
    }

    @Test func accountKeyAndBinaryFileWithoutFinalising() throws {
        let test = try Self.testCase("p2wpkh-two-inputs")
        let binary = try #require(Data(base64Encoded: try Self.psbt("p2wpkh-two-inputs")))
        let url = TemporaryPaths.make("coffer-test", suffix: ".psbt")
        try binary.write(to: url)
        let output = try Self.json(try CofferProcess.run(
            ["sign", "bitcoin-psbt", "--psbt-file", url.path, "--master-fingerprint", "73c5da0a"], stdin: try Self.key("account_zprv_84")))
        let signed = try #require(output["signed_inputs"] as? [[String: Any]])
        #expect(signed.map { $0["type"] as? String } == ["p2wpkh", "p2wpkh"])
        #expect(signed.map { $0["sighash"] as? String } == ["ALL", "ALL"])
        #expect(output["tx"] == nil && output["txid"] == nil)
        let inputs = try #require(test["inputs"] as? [[String: Any]])
        let signedBase64 = try #require(output["psbt"] as? String)
        let psbt = try #require(Data(base64Encoded: signedBase64))
        for input in inputs {
            // The partial signature is embedded verbatim in the signed PSBT.
            let signature = try #require(input["signature"] as? String)
            #expect(psbt.map { String(format: "%02x", $0) }.joined().contains(signature))
        }
    }

    @Test func wifSignsOnlyItsInput() throws {
        let file = try temporaryFile(try Self.psbt("p2wpkh-two-inputs"))
        let output = try Self.json(try CofferProcess.run(["sign", "bitcoin-psbt", "--psbt-file", file], stdin: try Self.key("wif_84_0_0") + "\n"))
        #expect((output["signed_inputs"] as? [[String: Any]])?.compactMap { $0["index"] as? Int } == [0])
        let skipped = try #require(output["skipped_inputs"] as? [[String: Any]])
        #expect(skipped.first?["index"] as? Int == 1)
        #expect(skipped.first?["reason"] as? String == "no key matches this input")
    }

    @Test func nonDefaultSighashNeedsTheFlag() throws {
        let test = try Self.testCase("non-default-sighash")
        let file = try temporaryFile(try Self.psbt("non-default-sighash"))
        let strict = try Self.json(try CofferProcess.run(["sign", "bitcoin-psbt", "--psbt-file", file], stdin: try Self.key("xprv")))
        #expect((strict["signed_inputs"] as? [Any])?.count == 1)
        let permissive = try Self.json(try CofferProcess.run(["sign", "bitcoin-psbt", "--psbt-file", file, "--allow-any-sighash", "--finalize"], stdin: try Self.key("xprv")))
        #expect((permissive["signed_inputs"] as? [[String: Any]])?.compactMap { $0["sighash"] as? String } == ["SINGLE|ANYONECANPAY", "ALL"])
        #expect(permissive["txid"] as? String == test["txid"] as? String)
    }

    @Test func rejectedInput() throws {
        let mixed = try temporaryFile(try Self.psbt("mixed-with-foreign-input"))
        let good = try temporaryFile(try Self.psbt("p2wpkh-two-inputs"))
        let xprv = try Self.key("xprv")
        let wif = try Self.key("wif_84_0_0")
        try CofferProcess.expectRejected(["sign", "bitcoin-psbt", "--psbt-file", mixed, "--finalize"], stdin: xprv, status: 1, mentioning: ["input 2"])
        try CofferProcess.expectRejected(["sign", "bitcoin-psbt", "--psbt-file", "/nonexistent/psbt"], stdin: xprv, status: 1, mentioning: ["cannot read"])
        try CofferProcess.expectRejected(["sign", "bitcoin-psbt", "--psbt-file", try temporaryFile("not a psbt")], stdin: xprv, status: 1, mentioning: ["base64"])
        try CofferProcess.expectRejected(["sign", "bitcoin-psbt", "--psbt-file", try temporaryFile("cHNidP8BAA==")], stdin: xprv, status: 1, mentioning: ["PSBT"])
        try CofferProcess.expectRejected(["sign", "bitcoin-psbt", "--psbt-file", good], stdin: "", status: 1, mentioning: ["no private key"])
        try CofferProcess.expectRejected(["sign", "bitcoin-psbt", "--psbt-file", good, "--master-fingerprint", "xyz"], stdin: xprv, status: 2)
        try CofferProcess.expectRejected(["sign", "bitcoin-psbt", "--psbt-file", good, "--master-fingerprint", "73c5da0a"], stdin: wif, status: 2)
        try CofferProcess.expectRejected(["sign", "bitcoin-psbt"], stdin: xprv, status: 2)
        let xpub = "xpub661MyMwAqRbcFkPHucMnrGNzDwb6teAX1RbKQmqtEF8kK3Z7LZ59qafCjB9eCRLiTVG3uxBxgKvRgbubRhqSKXnGGb1aoaqLrpMBDrVxga8"
        try CofferProcess.expectRejected(["sign", "bitcoin-psbt", "--psbt-file", good], stdin: xpub, status: 1, mentioning: ["extended public key"])
        // A mistyped key is refused without echoing it.
        for secret in [String(wif.dropLast()) + "x", String(xprv.dropLast()) + "1", "L1nothingLikeAKeyAtAll"] {
            let result = try CofferProcess.run(["sign", "bitcoin-psbt", "--psbt-file", good], stdin: secret)
            #expect(result.status == 1)
            #expect(result.stderrLines.count == 1)
            #expect(!result.stderr.contains(secret) && !result.stderr.contains(String(secret.dropLast())))
            #expect(result.stdout.isEmpty)
        }
    }
}
