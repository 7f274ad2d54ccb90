import Crypto
import CryptoExtras

/// SLIP-39's encryption of the master secret: a 4-round Feistel network whose round function
/// is PBKDF2-HMAC-SHA256 keyed by the round number and the passphrase.
///
/// Round i computes F(i, R) = PBKDF2(password: [i] + passphrase, salt: saltPrefix + R,
/// iterations: 2500 << e, length: n / 2). The salt prefix is "shamir" + the identifier (2 bytes,
/// big-endian) for non-extendable backups and empty for extendable ones. Every passphrase
/// decrypts to some secret: there is no way to tell a wrong one.
enum SLIP39Cipher {
    static let roundCount = 4
    static let baseIterationsPerRound = 2500

    /// The encrypted master secret (EMS) of `masterSecret`, whose length is even.
    static func encrypt(_ masterSecret: [UInt8], passphrase: [UInt8], iterationExponent: Int,
                        identifier: Int, extendable: Bool) -> [UInt8] {
        feistel(masterSecret, rounds: Array(0..<roundCount), passphrase: passphrase,
                iterationExponent: iterationExponent, identifier: identifier, extendable: extendable)
    }

    /// The master secret of `encrypted` (the inverse of `encrypt`).
    static func decrypt(_ encrypted: [UInt8], passphrase: [UInt8], iterationExponent: Int,
                        identifier: Int, extendable: Bool) -> [UInt8] {
        feistel(encrypted, rounds: (0..<roundCount).reversed(), passphrase: passphrase,
                iterationExponent: iterationExponent, identifier: identifier, extendable: extendable)
    }

    /// L, R = halves of `input`; for each round (L, R) = (R, L xor F(round, R)); output R || L.
    private static func feistel(_ input: [UInt8], rounds: [Int], passphrase: [UInt8], iterationExponent: Int,
                                identifier: Int, extendable: Bool) -> [UInt8] {
        precondition(input.count % 2 == 0 && (0...15).contains(iterationExponent), "invalid SLIP-39 cipher input")
        let half = input.count / 2
        var left = Array(input[..<half])
        var right = Array(input[half...])
        let saltPrefix = extendable ? [] : Array("shamir".utf8) + [UInt8(identifier >> 8), UInt8(identifier & 0xFF)]
        let iterations = baseIterationsPerRound << iterationExponent
        var password = [0] + passphrase
        defer { SecretBytes.wipe(&password) }
        for round in rounds {
            password[0] = UInt8(round)
            var mixed = roundFunction(password: password, salt: saltPrefix + right, iterations: iterations, length: half)
            for k in 0..<half { mixed[k] ^= left[k] }
            SecretBytes.wipe(&left)
            (left, right) = (right, mixed)
        }
        defer {
            SecretBytes.wipe(&left)
            SecretBytes.wipe(&right)
        }
        return right + left
    }

    private static func roundFunction(password: [UInt8], salt: [UInt8], iterations: Int, length: Int) -> [UInt8] {
        var salt = salt
        defer { SecretBytes.wipe(&salt) }
        do {
            // SLIP-39 fixes 2500 << e rounds; the checked `rounds:` variant rejects < 210,000.
            let key = try KDF.Insecure.PBKDF2.deriveKey(
                from: password, salt: salt, using: .sha256, outputByteCount: length,
                unsafeUncheckedRounds: iterations)
            return key.withUnsafeBytes { Array($0) }
        } catch {
            // Only BoringSSL failing internally (out of memory) can get here: the parameters are valid.
            preconditionFailure("PBKDF2-HMAC-SHA256 failed: \(error)")
        }
    }
}
