internal import CSecp256k1

extension Secp256k1 {
    /// A secp256k1 secret scalar in 1..n-1, held in wiped memory.
    public struct PrivateKey: Sendable {
        /// The 32 big-endian bytes of the scalar.
        public let secret: SecretBytes

        /// Validates and copies a 32-byte scalar.
        public init<Bytes: Collection>(_ bytes: Bytes) throws(Secp256k1Error) where Bytes.Element == UInt8 {
            guard bytes.count == 32 else { throw .wrongLength("private key", expected: "32", got: bytes.count) }
            let secret = SecretBytes(bytes)
            try self.init(secret: secret)
        }

        /// Validates a scalar that already lives in wiped memory.
        public init(secret: SecretBytes) throws(Secp256k1Error) {
            guard secret.count == 32 else { throw .wrongLength("private key", expected: "32", got: secret.count) }
            let valid = secret.withUnsafeBytes {
                secp256k1_ec_seckey_verify(Secp256k1.context, $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            guard valid == 1 else { throw .invalidPrivateKey }
            self.secret = secret
        }

        /// The matching public key.
        public var publicKey: PublicKey {
            var raw = secp256k1_pubkey()
            _ = secret.withUnsafeBytes {
                secp256k1_ec_pubkey_create(Secp256k1.context, &raw, $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
            }
            return PublicKey(raw: raw)
        }

        /// `(self + tweak) mod n`, the step of BIP32 private derivation.
        public func adding(tweak: UnsafeRawBufferPointer) throws(Secp256k1Error) -> PrivateKey {
            guard tweak.count == 32 else { throw .wrongLength("tweak", expected: "32", got: tweak.count) }
            let result = try SecretBytes(count: 32) { (out: UnsafeMutableRawBufferPointer) throws(Secp256k1Error) in
                secret.withUnsafeBytes { out.copyMemory(from: $0) }
                guard secp256k1_ec_seckey_tweak_add(
                    Secp256k1.context, out.baseAddress!.assumingMemoryBound(to: UInt8.self),
                    tweak.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 1
                else { throw Secp256k1Error.invalidTweak }
            }
            return try PrivateKey(secret: result)
        }
    }
}
