import Crypto
public import WalletCore

/// Seals a customer's TOTP secret under the vault's step-up service key (AES-256-GCM), bound to
/// the customer so a sealed secret moved to another customer's row does not open.
public enum TOTPSealing {
    static func associatedData(customer: String) -> [UInt8] {
        Array("coffer-totp-v1|secret|\(customer)|AES-256-GCM".utf8)
    }

    public static func seal(_ secret: [UInt8], under key: SecretBytes, customer: String) throws(TOTPError) -> [UInt8] {
        do {
            let box = try key.withUnsafeBytes { keyBytes in
                try AES.GCM.seal(secret, using: SymmetricKey(data: keyBytes), authenticating: associatedData(customer: customer))
            }
            guard let combined = box.combined else { throw TOTPError("AES-GCM gave no combined box") }
            return Array(combined)
        } catch {
            throw TOTPError("sealing a TOTP secret failed")
        }
    }

    /// Opens what `seal` made; any changed byte, another key or another customer fails.
    public static func open(_ sealed: [UInt8], under key: SecretBytes, customer: String) throws(TOTPError) -> SecretBytes {
        guard let box = try? AES.GCM.SealedBox(combined: sealed),
              let opened = try? key.withUnsafeBytes({ try AES.GCM.open(box, using: SymmetricKey(data: $0), authenticating: associatedData(customer: customer)) })
        else {
            throw TOTPError("the TOTP secret of customer \(customer) does not open with the vault's step-up key (altered, or from another vault); enrol again")
        }
        var plaintext = [UInt8](opened)
        defer { SecretBytes.wipe(&plaintext) }
        return SecretBytes(plaintext)
    }
}
