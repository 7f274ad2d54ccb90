/// Why a V3 keystore could not be read or written.
///
/// `description` is one line a user can act on. It names fields and limits, never the
/// password, the derived key or the private key.
public struct EthereumKeystoreError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }

    /// The MAC does not match: the usual cause is a wrong password; a damaged file looks the same.
    public static let wrongPassword = EthereumKeystoreError("wrong password or corrupted keystore (MAC mismatch)")

    static let notJSON = EthereumKeystoreError("keystore is not valid JSON")
    static let notAnInteger = EthereumKeystoreError("keystore has a number that is not an integer fitting in 64 bits (kdfparams and version must be integers)")
    static let notAnObject = EthereumKeystoreError("keystore must be a JSON object with crypto, id and version fields")

    static func missingField(_ path: String) -> EthereumKeystoreError {
        EthereumKeystoreError("keystore is missing the field \(path)")
    }
    static func wrongType(_ path: String, expected: String) -> EthereumKeystoreError {
        EthereumKeystoreError("keystore field \(path) must be \(expected)")
    }
    static func unsupportedVersion(_ version: Int) -> EthereumKeystoreError {
        EthereumKeystoreError("unsupported keystore version \(version); only version 3 (Web3 Secret Storage) is supported")
    }
    static func unsupportedKDF(_ name: String) -> EthereumKeystoreError {
        EthereumKeystoreError("unsupported keystore kdf \(quoted(name)); supported: scrypt, pbkdf2")
    }
    static func unsupportedCipher(_ name: String) -> EthereumKeystoreError {
        EthereumKeystoreError("unsupported keystore cipher \(quoted(name)); supported: aes-128-ctr")
    }
    static func unsupportedPRF(_ name: String) -> EthereumKeystoreError {
        EthereumKeystoreError("unsupported pbkdf2 prf \(quoted(name)); supported: hmac-sha256")
    }
    static func badHex(_ path: String, _ error: HexError) -> EthereumKeystoreError {
        EthereumKeystoreError("keystore field \(path): \(error)")
    }
    static func wrongLength(_ path: String, expected: String, got: Int) -> EthereumKeystoreError {
        EthereumKeystoreError("keystore field \(path) must be \(expected) bytes, got \(got)")
    }
    static func outOfRange(_ path: String, _ value: Int, allowed: String) -> EthereumKeystoreError {
        EthereumKeystoreError("keystore field \(path) is \(value); allowed: \(allowed)")
    }
    static func tooCostly(_ what: String) -> EthereumKeystoreError {
        EthereumKeystoreError("refusing scrypt parameters: \(what) (a hostile keystore could exhaust memory or CPU)")
    }
    static let invalidKey = EthereumKeystoreError("keystore decrypts to a value that is not a valid secp256k1 private key")
    static func addressMismatch(stored: String, actual: String) -> EthereumKeystoreError {
        EthereumKeystoreError("keystore address \(stored) does not match the decrypted key's address \(actual)")
    }
    static func cryptoFailure(_ step: String) -> EthereumKeystoreError {
        EthereumKeystoreError("keystore \(step) failed in the crypto library")
    }

    /// Attacker-controlled names are quoted and shortened so the message stays one readable line.
    private static func quoted(_ text: String) -> String {
        let printable = text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : String($0) }.joined()
        return "\"" + (printable.count > 40 ? String(printable.prefix(40)) + "…" : printable) + "\""
    }
}
