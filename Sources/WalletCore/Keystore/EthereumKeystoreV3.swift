import Crypto
import CryptoExtras
import Foundation

/// Ethereum's Web3 Secret Storage (V3 keystore) files, as geth, eth-account and most wallets
/// write them: a private key encrypted with AES-128-CTR under a key stretched from a password
/// by scrypt or PBKDF2-HMAC-SHA256, authenticated by Keccak-256(derivedKey[16..<32] || ciphertext).
///
/// Decryption bounds the KDF parameters before running anything, so a hostile file cannot make
/// the process allocate gigabytes or spin for hours (see ``Limits``).
public enum EthereumKeystoreV3 {
    /// How the password is stretched into the 32-byte derived key.
    public enum KeyDerivation: Sendable, Equatable {
        /// scrypt with cost `n` (a power of two), block size `r` and parallelism `p`.
        case scrypt(n: Int, r: Int, p: Int)
        /// PBKDF2-HMAC-SHA256 with `iterations` rounds.
        case pbkdf2(iterations: Int)

        /// geth's standard parameters (`StandardScryptN`, `StandardScryptP`): ~256 MiB, about a
        /// second per attempt. The default for keys worth protecting.
        public static let standard = KeyDerivation.scrypt(n: 1 << 18, r: 8, p: 1)
        /// geth's `--lightkdf` parameters (`LightScryptN`, `LightScryptP`): ~4 MiB, for tests and
        /// constrained devices; much cheaper to brute-force.
        public static let light = KeyDerivation.scrypt(n: 1 << 12, r: 8, p: 6)
    }

    /// The most a keystore may ask for. geth's standard scrypt uses n = 2^18, r = 8, p = 1
    /// (256 MiB, 2^21 block mixes); these limits allow 4x its memory and 16x its work.
    public enum Limits {
        /// Largest scrypt `n`.
        public static let maxScryptN = 1 << 22
        /// Largest scrypt `r * p`.
        public static let maxScryptRP = 256
        /// Largest scrypt working memory, 128 * n * r bytes.
        public static let maxScryptMemoryBytes = 1 << 30
        /// Largest scrypt work, n * r * p (in units of 128-byte block mixes).
        public static let maxScryptWork = 1 << 25
        /// Largest PBKDF2 iteration count.
        public static let maxPBKDF2Iterations = 1 << 24
    }

    /// Decrypts a V3 keystore with `password` (its UTF-8 bytes, unnormalised, as geth uses them)
    /// and returns the 32-byte secp256k1 private key.
    ///
    /// Throws ``EthereumKeystoreError/wrongPassword`` when the MAC does not match (compared in
    /// constant time), and a specific error for a malformed or unsupported file, parameters over
    /// ``Limits``, or an `address` field that is not the key's address.
    public static func decrypt(json: [UInt8], password: String) throws(EthereumKeystoreError) -> SecretBytes {
        let keystore = try ParsedKeystore(json: json)
        var passwordBytes = Array(password.utf8)
        defer { SecretBytes.wipe(&passwordBytes) }
        let derivedKey = try deriveKey(password: passwordBytes, salt: keystore.salt, kdf: keystore.kdf)
        let expectedMAC = mac(derivedKey: derivedKey, ciphertext: keystore.ciphertext)
        guard ConstantTime.equals(expectedMAC, keystore.mac) else { throw .wrongPassword }
        let privateKey = try aes128CTR(keystore.ciphertext, derivedKey: derivedKey, iv: keystore.iv)
        let key: Secp256k1.PrivateKey
        do { key = try Secp256k1.PrivateKey(secret: privateKey) } catch { throw .invalidKey }
        if let stored = keystore.address {
            let actual = EthereumAddress.addressBytes(key.publicKey)
            guard stored == actual else {
                throw .addressMismatch(stored: Hex.encode(stored), actual: Hex.encode(actual))
            }
        }
        return privateKey
    }

    /// Encrypts a 32-byte secp256k1 private key into a V3 keystore, laid out exactly as geth
    /// writes it (`address`, `crypto`, `id`, `version`; kdfparams keys in sorted order), as
    /// UTF-8 JSON bytes without a trailing newline.
    ///
    /// `salt` (default 32 random bytes), `iv` (default 16 random bytes) and `id` (default a random
    /// UUID v4) are parameters only so tests can reproduce known files; leave them out otherwise.
    public static func encrypt(
        privateKey: SecretBytes, password: String, kdf: KeyDerivation = .standard,
        salt: [UInt8]? = nil, iv: [UInt8]? = nil, id: UUID? = nil
    ) throws(EthereumKeystoreError) -> [UInt8] {
        let key: Secp256k1.PrivateKey
        do { key = try Secp256k1.PrivateKey(secret: privateKey) } catch {
            throw EthereumKeystoreError("cannot encrypt: \(error)")
        }
        try validate(kdf)
        let salt = salt ?? randomBytes(32)
        let iv = iv ?? randomBytes(16)
        guard !salt.isEmpty, salt.count <= maxSaltByteCount else {
            throw .wrongLength("crypto.kdfparams.salt", expected: "1 to \(maxSaltByteCount)", got: salt.count)
        }
        guard iv.count == 16 else { throw .wrongLength("crypto.cipherparams.iv", expected: "16", got: iv.count) }
        var passwordBytes = Array(password.utf8)
        defer { SecretBytes.wipe(&passwordBytes) }
        let derivedKey = try deriveKey(password: passwordBytes, salt: salt, kdf: kdf)
        let ciphertext = try aes128CTR(privateKey, derivedKey: derivedKey, iv: iv)
        let ciphertextBytes = ciphertext.copyBytes()  // encrypted: not secret
        let fields = ParsedKeystore(
            kdf: kdf, salt: salt, iv: iv, ciphertext: ciphertextBytes,
            mac: mac(derivedKey: derivedKey, ciphertext: ciphertextBytes),
            address: EthereumAddress.addressBytes(key.publicKey))
        return Array(fields.gethJSON(id: (id ?? UUID()).uuidString.lowercased()).utf8)
    }

    // MARK: - Steps shared by both directions

    static let derivedKeyByteCount = 32
    static let maxSaltByteCount = 1024

    /// Rejects parameters outside ``Limits`` before any work is done.
    static func validate(_ kdf: KeyDerivation) throws(EthereumKeystoreError) {
        switch kdf {
        case .scrypt(let n, let r, let p):
            guard n >= 2, n <= Limits.maxScryptN, n & (n - 1) == 0 else {
                throw .outOfRange("crypto.kdfparams.n", n, allowed: "a power of two from 2 to 2^22 (4194304)")
            }
            guard r >= 1, r <= Limits.maxScryptRP else {
                throw .outOfRange("crypto.kdfparams.r", r, allowed: "1 to \(Limits.maxScryptRP)")
            }
            guard p >= 1, p <= Limits.maxScryptRP else {
                throw .outOfRange("crypto.kdfparams.p", p, allowed: "1 to \(Limits.maxScryptRP)")
            }
            // n <= 2^22 and r, p <= 2^8: none of these products can overflow.
            guard r * p <= Limits.maxScryptRP else {
                throw .tooCostly("r*p = \(r * p) exceeds \(Limits.maxScryptRP)")
            }
            guard 128 * n * r <= Limits.maxScryptMemoryBytes else {
                throw .tooCostly("128*n*r = \((128 * n * r) >> 20) MiB of memory exceeds \(Limits.maxScryptMemoryBytes >> 20) MiB")
            }
            guard n * r * p <= Limits.maxScryptWork else {
                throw .tooCostly("n*r*p = \(n * r * p) exceeds 2^25 (16 times geth's standard cost)")
            }
        case .pbkdf2(let iterations):
            guard iterations >= 1, iterations <= Limits.maxPBKDF2Iterations else {
                throw .outOfRange("crypto.kdfparams.c", iterations, allowed: "1 to 2^24 (16777216)")
            }
        }
    }

    static func deriveKey(password: [UInt8], salt: [UInt8], kdf: KeyDerivation) throws(EthereumKeystoreError) -> SecretBytes {
        switch kdf {
        case .scrypt(let n, let r, let p):
            do {
                return try Scrypt.deriveKey(password: password, salt: salt, n: n, r: r, p: p, byteCount: derivedKeyByteCount)
            } catch {
                throw EthereumKeystoreError("keystore scrypt failed: \(error)")
            }
        case .pbkdf2(let iterations):
            do {
                let key = try KDF.Insecure.PBKDF2.deriveKey(
                    from: password, salt: salt, using: .sha256, outputByteCount: derivedKeyByteCount,
                    unsafeUncheckedRounds: iterations)
                return key.withUnsafeBytes { SecretBytes($0) }
            } catch {
                throw .cryptoFailure("pbkdf2")
            }
        }
    }

    /// Keccak-256(derivedKey[16..<32] || ciphertext).
    static func mac(derivedKey: SecretBytes, ciphertext: [UInt8]) -> [UInt8] {
        var hasher = Keccak256.Hasher()
        derivedKey.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[16..<32])) }
        hasher.update(ciphertext)
        return hasher.finalize()
    }

    /// AES-128-CTR keyed by derivedKey[0..<16], the 16-byte IV as the initial 128-bit counter.
    static func aes128CTR(_ input: some DataProtocol, derivedKey: SecretBytes, iv: [UInt8]) throws(EthereumKeystoreError) -> SecretBytes {
        do {
            let key = derivedKey.withUnsafeBytes { SymmetricKey(data: UnsafeRawBufferPointer(rebasing: $0[0..<16])) }
            var output = try AES._CTR.encrypt(input, using: key, nonce: AES._CTR.Nonce(nonceBytes: iv))
            defer { output.withUnsafeMutableBytes { SecretBytes.wipe($0) } }
            return SecretBytes(output)
        } catch {
            throw .cryptoFailure("aes-128-ctr")
        }
    }

    static func aes128CTR(_ input: SecretBytes, derivedKey: SecretBytes, iv: [UInt8]) throws(EthereumKeystoreError) -> SecretBytes {
        var bytes = input.copyBytes()
        defer { SecretBytes.wipe(&bytes) }
        return try aes128CTR(bytes, derivedKey: derivedKey, iv: iv)
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
