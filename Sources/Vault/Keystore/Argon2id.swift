import CofferBase
internal import CSodium
public import WalletCore

/// Argon2id parameters, stored beside every vault so they can be raised later without
/// breaking existing vaults.
public struct Argon2idParameters: Sendable, Equatable, Codable {
    /// Memory in bytes (libsodium's `memlimit`).
    public var memoryBytes: UInt64
    /// Passes over memory (libsodium's `opslimit`, Argon2's t).
    public var iterations: UInt64
    /// Lanes. libsodium implements p = 1 only.
    public var parallelism: UInt32

    public init(memoryBytes: UInt64, iterations: UInt64, parallelism: UInt32 = 1) {
        self.memoryBytes = memoryBytes
        self.iterations = iterations
        self.parallelism = parallelism
    }

    /// m = 64 MiB, t = 3, p = 1 (OWASP's and RFC 9106's second recommended profile).
    public static let `default` = Argon2idParameters(memoryBytes: 64 << 20, iterations: 3)

    /// For tests only: fast, and far too weak for a real vault.
    public static let insecureTesting = Argon2idParameters(memoryBytes: 8 << 10, iterations: 1)

    public func validate() throws(VaultError) {
        guard parallelism == 1 else { throw VaultError("Argon2id parallelism must be 1 (libsodium implements one lane)") }
        guard memoryBytes >= 8 << 10, memoryBytes <= 4 << 30 else {
            throw VaultError("Argon2id memory must be between 8 KiB and 4 GiB, got \(memoryBytes) bytes")
        }
        guard iterations >= 1, iterations <= 100 else {
            throw VaultError("Argon2id iterations must be between 1 and 100, got \(iterations)")
        }
    }
}

/// Argon2id from libsodium: the key-encryption key of the vault from the operator's passphrase.
public enum Argon2id {
    public static let saltLength = 16

    private static let initialized: Bool = sodium_init() >= 0

    /// Derives `length` bytes. Fails only if libsodium cannot allocate the memory asked for.
    public static func deriveKey(
        passphrase: SecretBytes, salt: [UInt8], parameters: Argon2idParameters, length: Int = 32
    ) throws(VaultError) -> SecretBytes {
        try parameters.validate()
        guard initialized else { throw VaultError.failure("libsodium failed to initialise") }
        guard salt.count == saltLength else { throw VaultError("Argon2id salt must be \(saltLength) bytes, got \(salt.count)") }
        return try SecretBytes(count: length) { (out: UnsafeMutableRawBufferPointer) throws(VaultError) in
            let status = passphrase.withUnsafeBytes { password in
                // libsodium requires non-null pointers even for an empty password.
                let passwordPointer = password.baseAddress ?? UnsafeRawPointer(out.baseAddress!)
                return crypto_pwhash(
                    out.baseAddress!.assumingMemoryBound(to: UInt8.self), UInt64(length),
                    passwordPointer.assumingMemoryBound(to: CChar.self), UInt64(password.count),
                    salt, parameters.iterations, Int(parameters.memoryBytes), crypto_pwhash_ALG_ARGON2ID13)
            }
            guard status == 0 else {
                throw VaultError.failure("Argon2id could not allocate \(parameters.memoryBytes >> 20) MiB; lower the memory parameter or free memory")
            }
        }
    }
}
