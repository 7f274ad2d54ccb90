import CofferBase
import Crypto
import Foundation
public import WalletCore

/// AES-256-GCM sealing with associated data: the one cipher of the vault format (v1).
///
/// Each secret has its own random data key (DEK); DEKs are sealed under the key-encryption key
/// (KEK) from Argon2id. The associated data binds a ciphertext to the record it belongs to, so a
/// ciphertext moved to another wallet, version or algorithm fails authentication.
public enum Envelope {
    public static let algorithm = "AES-256-GCM"

    public struct Sealed: Sendable, Equatable {
        public let nonce: [UInt8]
        /// Ciphertext followed by the 16-byte tag.
        public let ciphertext: [UInt8]

        public init(nonce: [UInt8], ciphertext: [UInt8]) {
            self.nonce = nonce
            self.ciphertext = ciphertext
        }
    }

    public static func seal(_ plaintext: SecretBytes, key: SecretBytes, associatedData: [UInt8]) throws(VaultError) -> Sealed {
        do {
            let box = try plaintext.withUnsafeBytes { message in
                try key.withUnsafeBytes { keyBytes in
                    try AES.GCM.seal(message, using: SymmetricKey(data: keyBytes), nonce: AES.GCM.Nonce(), authenticating: associatedData)
                }
            }
            return Sealed(nonce: Array(box.nonce), ciphertext: Array(box.ciphertext) + Array(box.tag))
        } catch {
            throw VaultError.failure("encryption failed: \(error)")
        }
    }

    /// Opens a sealed value; any modified byte (nonce, ciphertext, tag or associated data) fails.
    public static func open(_ sealed: Sealed, key: SecretBytes, associatedData: [UInt8]) -> SecretBytes? {
        guard sealed.ciphertext.count >= 16, let nonce = try? AES.GCM.Nonce(data: sealed.nonce) else { return nil }
        let split = sealed.ciphertext.count - 16
        guard let box = try? AES.GCM.SealedBox(nonce: nonce, ciphertext: sealed.ciphertext[..<split], tag: sealed.ciphertext[split...]),
              var plaintext = try? key.withUnsafeBytes({ try AES.GCM.open(box, using: SymmetricKey(data: $0), authenticating: associatedData) })
        else { return nil }
        defer { plaintext.withUnsafeMutableBytes { SecretBytes.wipe($0) } }
        return SecretBytes(plaintext)
    }

    /// Fresh random key material from the system CSPRNG.
    public static func randomKey(length: Int = 32) -> SecretBytes {
        SecretBytes(count: length) { buffer in
            var generator = SystemRandomNumberGenerator()
            for i in 0..<length { buffer[i] = generator.next() }
        }
    }

    public static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in generator.next() }
    }
}
