import CofferBase
import Crypto
import Foundation
public import WalletCore

/// An endpoint's signing secret: 32 random bytes, shown once as `whsec_` followed by their
/// standard base64 (44 characters). The HMAC key is the 32 bytes, not the text.
public struct WebhookSecret: Sendable, Equatable {
    public let bytes: SecretBytes

    public static let prefix = "whsec_"
    public static let length = 32

    public init(bytes: SecretBytes) { self.bytes = bytes }

    /// Fresh random bytes from the system CSPRNG.
    public static func generate() -> WebhookSecret {
        WebhookSecret(bytes: SecretBytes(count: length) { buffer in
            var generator = SystemRandomNumberGenerator()
            for index in 0..<length { buffer[index] = generator.next() }
        })
    }

    /// Reads `whsec_<base64>` as `text` shows it. The message never repeats the text.
    public init(parsing text: String) throws(WebhookError) {
        guard text.hasPrefix(Self.prefix), var decoded = Data(base64Encoded: String(text.dropFirst(Self.prefix.count))), decoded.count == Self.length else {
            throw WebhookError(.invalidInput, "invalid-webhook-secret", "a webhook secret is whsec_ followed by the base64 of 32 bytes, as shown when it was made")
        }
        defer { decoded.withUnsafeMutableBytes { SecretBytes.wipe($0) } }
        bytes = SecretBytes(decoded)
    }

    /// `whsec_<base64>`: shown once, to the one who made or rotated the secret.
    public var text: String {
        var copy = bytes.copyBytes()
        defer { SecretBytes.wipe(&copy) }
        return Self.prefix + Data(copy).base64EncodedString()
    }

    /// HMAC-SHA256 of `message` under the secret's bytes.
    func authenticationCode(for message: [UInt8]) -> [UInt8] {
        bytes.withUnsafeBytes { key in Array(HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))) }
    }

    /// Whether `code` is the HMAC-SHA256 of `message`, compared in constant time.
    func isValid(_ code: [UInt8], for message: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { key in HMAC<SHA256>.isValidAuthenticationCode(code, authenticating: message, using: SymmetricKey(data: key)) }
    }

    // MARK: At rest

    /// The secret sealed with AES-256-GCM under `key` (the vault's `webhooks` service key),
    /// bound to its endpoint and slot (`current`, `previous`): nonce, ciphertext and tag in one
    /// value. A copy moved to another endpoint or slot does not open.
    public func sealed(under key: SecretBytes, endpoint: String, slot: String) throws(WebhookError) -> [UInt8] {
        do {
            let box = try bytes.withUnsafeBytes { plaintext in
                try key.withUnsafeBytes { keyBytes in
                    try AES.GCM.seal(plaintext, using: SymmetricKey(data: keyBytes), authenticating: Self.associatedData(endpoint: endpoint, slot: slot))
                }
            }
            guard let combined = box.combined else { throw WebhookError(.internal, "internal", "AES-GCM gave no combined box") }
            return Array(combined)
        } catch {
            throw WebhookError(.internal, "internal", "sealing a webhook secret failed")
        }
    }

    /// Opens what `sealed(under:endpoint:slot:)` made; any changed byte, another key or another
    /// endpoint fails with `webhook-secret-unreadable`.
    public static func open(_ sealed: [UInt8], under key: SecretBytes, endpoint: String, slot: String) throws(WebhookError) -> WebhookSecret {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              var plaintext = try? key.withUnsafeBytes({ try AES.GCM.open(box, using: SymmetricKey(data: $0), authenticating: associatedData(endpoint: endpoint, slot: slot)) }),
              plaintext.count == length
        else {
            throw WebhookError(.internal, "webhook-secret-unreadable",
                               "the signing secret of webhook endpoint \(endpoint) does not open with the vault's webhooks key (altered, or from another vault); rotate it")
        }
        defer { plaintext.withUnsafeMutableBytes { SecretBytes.wipe($0) } }
        return WebhookSecret(bytes: SecretBytes(plaintext))
    }

    static func associatedData(endpoint: String, slot: String) -> [UInt8] {
        Array("coffer-webhook-v1|secret|\(endpoint)|\(slot)|AES-256-GCM".utf8)
    }
}

/// The key that seals endpoint secrets at rest: the vault's `webhooks` service key, in memory
/// only while the vault is unlocked.
public struct WebhookSecretKey: Sendable {
    public let bytes: SecretBytes
    public init(_ bytes: SecretBytes) { self.bytes = bytes }
}
