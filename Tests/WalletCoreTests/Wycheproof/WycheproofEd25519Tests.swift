import Crypto
import Foundation
import Testing

/// Wycheproof Ed25519 through swift-crypto's verifier (the one Solana signing relies on): every
/// valid signature accepted, every invalid one (malleable S, wrong length, bad encodings,
/// garbage) rejected.
struct WycheproofEd25519Tests {
    @Test func verify() throws {
        let root = try #require(try TestVectors.json("wycheproof/ed25519_test.json") as? [String: Any])
        var valid = 0, invalid = 0
        var failures: [String] = []
        for group in try #require(root["testGroups"] as? [[String: Any]]) {
            let publicKey = try #require(group["publicKey"] as? [String: Any])
            let key = try Curve25519.Signing.PublicKey(rawRepresentation: hex(try #require(publicKey["pk"] as? String)))
            for test in try #require(group["tests"] as? [[String: Any]]) {
                let accepted = key.isValidSignature(
                    hex(try #require(test["sig"] as? String)), for: hex(try #require(test["msg"] as? String)))
                let expected = try #require(test["result"] as? String)
                #expect(expected != "acceptable", "this file has no acceptable cases")
                if expected == "valid" { valid += 1 } else { invalid += 1 }
                if accepted != (expected == "valid") {
                    failures.append("tcId \(test["tcId"] ?? "?"): expected \(expected), accepted \(accepted)")
                }
            }
        }
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(valid == 88 && invalid == 63)
    }
}
