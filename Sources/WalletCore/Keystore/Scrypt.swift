import Crypto
import CryptoExtras
internal import CSodium

/// scrypt (RFC 7914) from vetted libraries, for every parameter set real keystores use.
///
/// swift-crypto's `KDF.Scrypt` (BoringSSL) is the first choice. BoringSSL enforces RFC 7914's
/// `n < 2^(16·r)` and sizes its memory budget so that `r > 16` fails when `p == 1`; geth's scrypt
/// enforces neither, and published keystores use `n = 2^18, r = 1` (ethereum/tests'
/// KeyStoreTests). Those parameter sets go to libsodium's scrypt, which computes the same function.
/// Callers bound `n`, `r` and `p` first: neither library is asked for more than the caller allows.
public enum Scrypt {
    /// Which library computes the function.
    public enum Backend: Sendable, Equatable {
        /// swift-crypto where it accepts the parameters, else libsodium.
        case automatic
        /// swift-crypto `KDF.Scrypt` only.
        case swiftCrypto
        /// libsodium `crypto_pwhash_scryptsalsa208sha256_ll` only.
        case libsodium
    }

    /// Derives `byteCount` bytes into wiped memory. Throws `ScryptError` when the chosen library
    /// refuses the parameters or cannot allocate.
    public static func deriveKey(
        password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int, byteCount: Int, backend: Backend = .automatic
    ) throws(ScryptError) -> SecretBytes {
        guard n >= 2, n & (n - 1) == 0, r >= 1, p >= 1, byteCount >= 1 else {
            throw ScryptError("scrypt needs n a power of two >= 2 and r, p, output length >= 1")
        }
        switch backend {
        case .swiftCrypto:
            return try swiftCrypto(password: password, salt: salt, n: n, r: r, p: p, byteCount: byteCount)
        case .libsodium:
            return try libsodium(password: password, salt: salt, n: n, r: r, p: p, byteCount: byteCount)
        case .automatic:
            if swiftCryptoAccepts(n: n, r: r, p: p),
                let key = try? swiftCrypto(password: password, salt: salt, n: n, r: r, p: p, byteCount: byteCount)
            {
                return key
            }
            return try libsodium(password: password, salt: salt, n: n, r: r, p: p, byteCount: byteCount)
        }
    }

    /// BoringSSL's parameter rule (RFC 7914: n < 2^(16·r)); its memory rule is left to the call.
    static func swiftCryptoAccepts(n: Int, r: Int, p: Int) -> Bool {
        16 * r > 62 || n < (1 << (16 * r))
    }

    private static func swiftCrypto(
        password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int, byteCount: Int
    ) throws(ScryptError) -> SecretBytes {
        let key: SymmetricKey
        do {
            key = try KDF.Scrypt.deriveKey(
                from: password, salt: salt, outputByteCount: byteCount, rounds: n, blockSize: r, parallelism: p)
        } catch {
            throw ScryptError("swift-crypto scrypt refused n=\(n), r=\(r), p=\(p)")
        }
        return key.withUnsafeBytes { SecretBytes($0) }
    }

    private static let sodiumReady: Bool = sodium_init() >= 0

    private static func libsodium(
        password: [UInt8], salt: [UInt8], n: Int, r: Int, p: Int, byteCount: Int
    ) throws(ScryptError) -> SecretBytes {
        guard sodiumReady else { throw ScryptError("libsodium could not be initialised") }
        guard let r32 = UInt32(exactly: r), let p32 = UInt32(exactly: p) else {
            throw ScryptError("scrypt r and p must fit in 32 bits")
        }
        // libsodium wants non-null pointers even for empty inputs; the lengths passed stay the real ones.
        // (The caller owns wiping `password`; these share its storage unless it is empty.)
        let passwordBytes = password.isEmpty ? [0] : password
        let saltBytes = salt.isEmpty ? [0] : salt
        return try SecretBytes(count: byteCount) { (out: UnsafeMutableRawBufferPointer) throws(ScryptError) in
            let status = passwordBytes.withUnsafeBufferPointer { passwordBuffer in
                saltBytes.withUnsafeBufferPointer { saltBuffer in
                    crypto_pwhash_scryptsalsa208sha256_ll(
                        passwordBuffer.baseAddress!, password.count, saltBuffer.baseAddress!, salt.count,
                        UInt64(n), r32, p32, out.baseAddress!.assumingMemoryBound(to: UInt8.self), byteCount)
                }
            }
            guard status == 0 else { throw ScryptError("libsodium scrypt refused n=\(n), r=\(r), p=\(p) or ran out of memory") }
        }
    }
}

/// Why scrypt did not run. Never contains the password or the salt.
public struct ScryptError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
