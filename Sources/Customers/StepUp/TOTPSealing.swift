public import WalletCore
import Vault

/// Seals a customer's TOTP secret under the vault's step-up service key with the vault's own
/// cipher (`Envelope`, AES-256-GCM), bound to the customer so a sealed secret moved to another
/// customer's row does not open. Stored as nonce ‖ ciphertext ‖ tag.
public enum TOTPSealing {
    static func associatedData(customer: String) -> [UInt8] {
        Array("coffer-totp-v1|secret|\(customer)|\(Envelope.algorithm)".utf8)
    }

    static let nonceLength = 12

    public static func seal(_ secret: [UInt8], under key: SecretBytes, customer: String) throws(TOTPError) -> [UInt8] {
        do {
            let sealed = try Envelope.seal(SecretBytes(secret), key: key, associatedData: associatedData(customer: customer))
            return sealed.nonce + sealed.ciphertext
        } catch {
            throw TOTPError("sealing a TOTP secret failed")
        }
    }

    /// Opens what `seal` made; any changed byte, another key or another customer fails.
    public static func open(_ sealed: [UInt8], under key: SecretBytes, customer: String) throws(TOTPError) -> SecretBytes {
        guard sealed.count > nonceLength,
              let secret = Envelope.open(Envelope.Sealed(nonce: Array(sealed.prefix(nonceLength)), ciphertext: Array(sealed.dropFirst(nonceLength))),
                                         key: key, associatedData: associatedData(customer: customer))
        else {
            throw TOTPError("the TOTP secret of customer \(customer) does not open with the vault's step-up key (altered, or from another vault); enrol again")
        }
        return secret
    }
}
