import Foundation
import Testing
import WalletCore

/// SLIP-10 vectors for ed25519 and secp256k1, read from the SLIP's own text.
struct SLIP10VectorTests {
    struct Step { let path: String; var chainCode = ""; var privateKey = ""; var publicKey = "" }
    struct Vector { let curve: String; var seed: [UInt8] = []; var steps: [Step] = [] }

    static func vectors() throws -> [Vector] {
        var vectors: [Vector] = []
        for line in try TestVectors.text("slip-0010.md").split(separator: "\n").map(String.init) {
            if line.hasPrefix("### Test vector"), let curve = line.split(separator: " ").last {
                vectors.append(Vector(curve: String(curve)))
            } else if vectors.isEmpty || line.hasPrefix("## ") && !line.hasPrefix("## Test vectors") {
                continue
            } else if line.hasPrefix("Seed (hex): ") {
                vectors[vectors.count - 1].seed = hex(String(line.dropFirst(12)))
            } else if line.hasPrefix("* Chain ") {
                vectors[vectors.count - 1].steps.append(Step(path: TestVectors.path(fromSpec: String(line.dropFirst(8)))))
            } else if let range = line.range(of: "* chain code: ") {
                vectors[vectors.count - 1].steps[vectors[vectors.count - 1].steps.count - 1].chainCode = String(line[range.upperBound...])
            } else if let range = line.range(of: "* private: ") {
                vectors[vectors.count - 1].steps[vectors[vectors.count - 1].steps.count - 1].privateKey = String(line[range.upperBound...])
            } else if let range = line.range(of: "* public: ") {
                vectors[vectors.count - 1].steps[vectors[vectors.count - 1].steps.count - 1].publicKey = String(line[range.upperBound...])
            }
        }
        return vectors.filter { !$0.steps.isEmpty }
    }

    @Test func ed25519Vectors() throws {
        let vectors = try Self.vectors().filter { $0.curve == "ed25519" }
        #expect(vectors.count == 2)
        for vector in vectors {
            let master = try Ed25519HDKey(seed: SecretBytes(vector.seed))
            #expect(vector.steps.count == 6)
            for step in vector.steps {
                let key = try master.derive(path: DerivationPath(parsing: step.path))
                #expect(Hex.encode(key.chainCode.copyBytes()) == step.chainCode, "\(step.path)")
                #expect(Hex.encode(key.privateKey.copyBytes()) == step.privateKey, "\(step.path)")
                // SLIP-10 writes ed25519 public keys with a 0x00 prefix.
                #expect("00" + Hex.encode(key.publicKey) == step.publicKey, "\(step.path)")
            }
        }
    }

    @Test func secp256k1Vectors() throws {
        let vectors = try Self.vectors().filter { $0.curve == "secp256k1" }
        #expect(vectors.count == 2)
        for vector in vectors {
            let master = try ExtendedPrivateKey(seed: SecretBytes(vector.seed))
            for step in vector.steps {
                let key = try master.derive(path: DerivationPath(parsing: step.path))
                #expect(Hex.encode(key.chainCode.copyBytes()) == step.chainCode, "\(step.path)")
                #expect(Hex.encode(key.privateKey.secret.copyBytes()) == step.privateKey, "\(step.path)")
                #expect(Hex.encode(key.privateKey.publicKey.compressed) == step.publicKey, "\(step.path)")
            }
        }
    }

    @Test func ed25519RefusesNonHardenedSteps() throws {
        let master = try Ed25519HDKey(seed: SecretBytes(hex("000102030405060708090a0b0c0d0e0f")))
        #expect {
            try master.derive(.normal(1))
        } throws: { error in
            (error as? SLIP10Error)?.description.contains("hardened derivation only") == true
        }
    }
}
