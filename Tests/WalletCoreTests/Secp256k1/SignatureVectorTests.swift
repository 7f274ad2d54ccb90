import Crypto
import Foundation
import Testing
import WalletCore

/// Wycheproof ECDSA secp256k1 (plain and Bitcoin low-S) and the BIP340 Schnorr vectors.
struct SignatureVectorTests {
    struct Outcome { var passed = 0; var failures: [String] = [] }

    static func runWycheproof(_ file: String, requireLowS: Bool) throws -> Outcome {
        let root = try #require(try TestVectors.json(file) as? [String: Any])
        let groups = try #require(root["testGroups"] as? [[String: Any]])
        var outcome = Outcome()
        for group in groups {
            let publicKey = try #require(group["publicKey"] as? [String: Any])
            let key = try Secp256k1.PublicKey(hex(publicKey["uncompressed"] as! String))
            for test in try #require(group["tests"] as? [[String: Any]]) {
                let digest = Array(SHA256.hash(data: hex(test["msg"] as! String)))
                let valid = key.isValidSignature(der: hex(test["sig"] as! String), digest: digest, requireLowS: requireLowS)
                let expected = test["result"] as! String
                if (expected == "valid") == valid || expected == "acceptable" {
                    outcome.passed += 1
                } else {
                    outcome.failures.append("tcId \(test["tcId"]!): expected \(expected), got \(valid)")
                }
            }
        }
        return outcome
    }

    @Test func wycheproofECDSA() throws {
        let outcome = try Self.runWycheproof("wycheproof/ecdsa_secp256k1_sha256_test.json", requireLowS: false)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.prefix(5))")
        #expect(outcome.passed == 476)
    }

    @Test func wycheproofECDSABitcoinLowS() throws {
        let outcome = try Self.runWycheproof("wycheproof/ecdsa_secp256k1_sha256_bitcoin_test.json", requireLowS: true)
        #expect(outcome.failures.isEmpty, "\(outcome.failures.prefix(5))")
        #expect(outcome.passed == 463)
    }

    @Test func bip340Vectors() throws {
        let lines = try TestVectors.text("bip-0340-test-vectors.csv").split(whereSeparator: \.isNewline).dropFirst()
        #expect(lines.count >= 15)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            let (secret, publicKey, aux, message, signature) = (fields[1], fields[2], fields[3], hex(fields[4]), hex(fields[5]))
            let expected = fields[6] == "TRUE"
            if !secret.isEmpty {
                let key = try Secp256k1.PrivateKey(hex(secret))
                #expect(Hex.encode(key.publicKey.xOnly) == publicKey.lowercased(), "vector \(fields[0])")
                #expect(try key.signSchnorr(message: message, auxiliaryRandomness: hex(aux)) == signature, "vector \(fields[0])")
            }
            #expect(Secp256k1.isValidSchnorrSignature(signature, message: message, xOnlyPublicKey: hex(publicKey)) == expected, "vector \(fields[0]) \(fields[7])")
        }
    }

    /// The widely published RFC 6979 vector for secp256k1 (key 1, SHA-256 of "Satoshi Nakamoto").
    @Test func rfc6979KnownSignature() throws {
        let key = try Secp256k1.PrivateKey([UInt8](repeating: 0, count: 31) + [1])
        let signature = try key.signRecoverable(digest: Array(SHA256.hash(data: Array("Satoshi Nakamoto".utf8))))
        #expect(Hex.encode(signature.compact) == "934b1ea10a4b3c1757e2b0c017d0b6143ce3c9a7e6a4a49860d7a6ab210ee3d82442ce9d2b916064108014783e923ec36b49743e2ffa1c4496f01a512aafd9e5")
        #expect(signature.recoveryID == 1)
    }

    @Test func recoverableSignaturesAreLowSAndRecover() throws {
        for i in 1...50 {
            let key = try Secp256k1.PrivateKey(Array(SHA256.hash(data: Array("key \(i)".utf8))))
            let digest = Array(SHA256.hash(data: Array("message \(i)".utf8)))
            let signature = try key.signRecoverable(digest: digest)
            // RFC 6979: the same key and digest always give the same signature.
            #expect(try key.signRecoverable(digest: digest) == signature)
            #expect(signature.s.first! < 0x80, "s must be in the low half")
            #expect(try signature.recoverPublicKey(digest: digest) == key.publicKey)
            #expect(key.publicKey.isValidSignature(der: signature.der, digest: digest))
            #expect(key.publicKey.isValidSignature(compact: signature.compact, digest: digest))
        }
    }
}
