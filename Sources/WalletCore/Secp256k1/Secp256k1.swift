internal import CSecp256k1

/// Elliptic-curve operations on secp256k1, all delegated to Bitcoin Core's libsecp256k1.
///
/// Nothing here does curve arithmetic in Swift: the types are thin, safe wrappers that
/// validate inputs and keep the C calls in one place.
public enum Secp256k1 {
    /// One context for the process. libsecp256k1 contexts are safe to share between threads for
    /// every call except `context_randomize`, which runs once here before publication.
    nonisolated(unsafe) static let context: OpaquePointer = {
        guard let context = secp256k1_context_create(UInt32(SECP256K1_CONTEXT_NONE)) else {
            fatalError("libsecp256k1 could not create a context")
        }
        var seed = [UInt8](repeating: 0, count: 32)
        var generator = SystemRandomNumberGenerator()
        for i in seed.indices { seed[i] = generator.next() }
        // Blinding against side channels; failure would only mean no blinding.
        _ = secp256k1_context_randomize(context, seed)
        SecretBytes.wipe(&seed)
        return context
    }()

    /// The group order n, big-endian.
    public static let order: [UInt8] = [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
    ]
}

/// Why a secp256k1 value was refused.
public struct Secp256k1Error: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }

    public static let invalidPrivateKey = Secp256k1Error("private key is not in the range 1..n-1 of secp256k1")
    public static let invalidPublicKey = Secp256k1Error("public key is not a valid secp256k1 point")
    public static let invalidTweak = Secp256k1Error("tweak is out of range or produced the point at infinity")
    public static func wrongLength(_ what: String, expected: String, got: Int) -> Secp256k1Error {
        Secp256k1Error("\(what) must be \(expected) bytes, got \(got)")
    }
}
