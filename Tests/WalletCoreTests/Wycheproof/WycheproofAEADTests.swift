import Crypto
import Foundation
import Testing

/// Wycheproof AES-GCM and ChaCha20-Poly1305 through swift-crypto, the calls the vault will make:
/// every valid case opens to the plaintext (and seals to the same ciphertext and tag), every
/// invalid case fails to open. Only nonce sizes swift-crypto's API cannot take are skipped, and
/// the counts are asserted so a skipped or missing group shows up.
struct WycheproofAEADTests {
    struct Counts: Equatable {
        var validRun = 0
        var invalidRun = 0
        var skipped = 0
    }

    struct Case {
        let tcId: Int
        let key: [UInt8], iv: [UInt8], aad: [UInt8], msg: [UInt8], ct: [UInt8], tag: [UInt8]
        let valid: Bool
    }

    static func cases(_ file: String) throws -> [(ivSize: Int, test: Case)] {
        let root = try #require(try TestVectors.json(file) as? [String: Any])
        var out: [(Int, Case)] = []
        for group in try #require(root["testGroups"] as? [[String: Any]]) {
            let ivSize = try #require(group["ivSize"] as? Int)
            #expect(group["tagSize"] as? Int == 128)
            for test in try #require(group["tests"] as? [[String: Any]]) {
                func field(_ name: String) throws -> [UInt8] { hex(try #require(test[name] as? String)) }
                let result = try #require(test["result"] as? String)
                out.append((ivSize, Case(
                    tcId: try #require(test["tcId"] as? Int), key: try field("key"), iv: try field("iv"), aad: try field("aad"),
                    msg: try field("msg"), ct: try field("ct"), tag: try field("tag"), valid: result == "valid")))
            }
        }
        return out
    }

    /// Runs every case of `file` whose IV size `runs` accepts: valid cases must open to `msg` and
    /// seal to `ct` and `tag`, invalid ones must not open.
    static func run(
        _ file: String, runs: (Int) -> Bool,
        open: (Case) throws -> [UInt8], seal: (Case) throws -> (ciphertext: [UInt8], tag: [UInt8])
    ) throws -> (Counts, failures: [String]) {
        var counts = Counts()
        var failures: [String] = []
        for (ivSize, test) in try cases(file) {
            guard runs(ivSize) else { counts.skipped += 1; continue }
            let opened = try? open(test)
            if test.valid {
                counts.validRun += 1
                if opened != test.msg { failures.append("tcId \(test.tcId): valid case did not open to msg") }
                let sealed = try seal(test)
                if sealed.ciphertext != test.ct || sealed.tag != test.tag { failures.append("tcId \(test.tcId): seal differs") }
            } else {
                counts.invalidRun += 1
                if opened != nil { failures.append("tcId \(test.tcId): invalid case opened") }
            }
        }
        return (counts, failures)
    }

    @Test func aesGCM() throws {
        // AES.GCM.Nonce takes 12 bytes or more; shorter IVs (legal in GCM, never used by us) are skipped.
        let (counts, failures) = try Self.run(
            "wycheproof/aes_gcm_test.json", runs: { $0 >= 96 },
            open: { test in
                let box = try AES.GCM.SealedBox(nonce: AES.GCM.Nonce(data: test.iv), ciphertext: test.ct, tag: test.tag)
                return [UInt8](try AES.GCM.open(box, using: SymmetricKey(data: test.key), authenticating: test.aad))
            },
            seal: { test in
                let box = try AES.GCM.seal(
                    test.msg, using: SymmetricKey(data: test.key), nonce: AES.GCM.Nonce(data: test.iv), authenticating: test.aad)
                return ([UInt8](box.ciphertext), [UInt8](box.tag))
            })
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(counts == Counts(validRun: 192, invalidRun: 81, skipped: 43))
    }

    @Test func chaCha20Poly1305() throws {
        // ChaChaPoly.Nonce is exactly 12 bytes; the other sizes are all invalid cases.
        let (counts, failures) = try Self.run(
            "wycheproof/chacha20_poly1305_test.json", runs: { $0 == 96 },
            open: { test in
                let box = try ChaChaPoly.SealedBox(nonce: ChaChaPoly.Nonce(data: test.iv), ciphertext: test.ct, tag: test.tag)
                return [UInt8](try ChaChaPoly.open(box, using: SymmetricKey(data: test.key), authenticating: test.aad))
            },
            seal: { test in
                let box = try ChaChaPoly.seal(
                    test.msg, using: SymmetricKey(data: test.key), nonce: ChaChaPoly.Nonce(data: test.iv), authenticating: test.aad)
                return ([UInt8](box.ciphertext), [UInt8](box.tag))
            })
        #expect(failures.isEmpty, "\(failures.prefix(5))")
        #expect(counts == Counts(validRun: 256, invalidRun: 60, skipped: 9))
    }
}
