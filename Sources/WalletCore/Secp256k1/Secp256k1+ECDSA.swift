internal import CSecp256k1

extension Secp256k1 {
    /// A recoverable ECDSA signature: 64 bytes r||s (s always in the low half) and the recovery id.
    public struct RecoverableSignature: Sendable, Equatable {
        /// r (32 bytes) || s (32 bytes), big-endian.
        public let compact: [UInt8]
        /// 0 or 1 (2 and 3 cannot occur with libsecp256k1's nonces in practice but are representable).
        public let recoveryID: UInt8

        public init(compact: [UInt8], recoveryID: UInt8) throws(Secp256k1Error) {
            guard compact.count == 64 else { throw .wrongLength("signature", expected: "64", got: compact.count) }
            guard recoveryID < 4 else { throw Secp256k1Error("recovery id must be 0...3, got \(recoveryID)") }
            self.compact = compact
            self.recoveryID = recoveryID
        }

        public var r: ArraySlice<UInt8> { compact[0..<32] }
        public var s: ArraySlice<UInt8> { compact[32..<64] }

        /// DER encoding of (r, s), as Bitcoin scripts carry it.
        public var der: [UInt8] {
            var signature = secp256k1_ecdsa_signature()
            _ = secp256k1_ecdsa_signature_parse_compact(Secp256k1.context, &signature, compact)
            var out = [UInt8](repeating: 0, count: 72)
            var length = 72
            _ = secp256k1_ecdsa_signature_serialize_der(Secp256k1.context, &out, &length, &signature)
            return Array(out[0..<length])
        }

        /// The public key that produced this signature over `digest`.
        public func recoverPublicKey(digest: [UInt8]) throws(Secp256k1Error) -> PublicKey {
            guard digest.count == 32 else { throw .wrongLength("digest", expected: "32", got: digest.count) }
            var signature = secp256k1_ecdsa_recoverable_signature()
            guard secp256k1_ecdsa_recoverable_signature_parse_compact(Secp256k1.context, &signature, compact, Int32(recoveryID)) == 1 else {
                throw Secp256k1Error("signature is not a valid (r, s) pair")
            }
            var key = secp256k1_pubkey()
            guard secp256k1_ecdsa_recover(Secp256k1.context, &key, &signature, digest) == 1 else {
                throw Secp256k1Error("no public key can be recovered from this signature")
            }
            return PublicKey(raw: key)
        }
    }
}

extension Secp256k1.PrivateKey {
    /// ECDSA over a 32-byte digest with RFC 6979 deterministic nonces (libsecp256k1's default);
    /// libsecp256k1 always produces low-S signatures.
    public func signRecoverable(digest: [UInt8]) throws(Secp256k1Error) -> Secp256k1.RecoverableSignature {
        guard digest.count == 32 else { throw .wrongLength("digest", expected: "32", got: digest.count) }
        var signature = secp256k1_ecdsa_recoverable_signature()
        let ok = secret.withUnsafeBytes { key in
            secp256k1_ecdsa_sign_recoverable(
                Secp256k1.context, &signature, digest, key.baseAddress!.assumingMemoryBound(to: UInt8.self), nil, nil)
        }
        guard ok == 1 else { throw Secp256k1Error("signing failed") }
        var compact = [UInt8](repeating: 0, count: 64)
        var recoveryID: Int32 = 0
        _ = secp256k1_ecdsa_recoverable_signature_serialize_compact(Secp256k1.context, &compact, &recoveryID, &signature)
        return try Secp256k1.RecoverableSignature(compact: compact, recoveryID: UInt8(recoveryID))
    }
}

extension Secp256k1.PublicKey {
    /// Verifies a DER-encoded ECDSA signature over a 32-byte digest. With `requireLowS` (Bitcoin's
    /// standardness rule) a high-S signature is rejected; otherwise it is normalised first.
    public func isValidSignature(der: [UInt8], digest: [UInt8], requireLowS: Bool = true) -> Bool {
        guard digest.count == 32, !der.isEmpty else { return false }
        var signature = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_der(Secp256k1.context, &signature, der, der.count) == 1 else { return false }
        var normalized = secp256k1_ecdsa_signature()
        let wasHighS = secp256k1_ecdsa_signature_normalize(Secp256k1.context, &normalized, &signature) == 1
        if wasHighS && requireLowS { return false }
        var key = raw
        return secp256k1_ecdsa_verify(Secp256k1.context, &normalized, digest, &key) == 1
    }

    /// Verifies a 64-byte compact (r||s) signature; high-S is rejected.
    public func isValidSignature(compact: [UInt8], digest: [UInt8]) -> Bool {
        guard digest.count == 32, compact.count == 64 else { return false }
        var signature = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_compact(Secp256k1.context, &signature, compact) == 1 else { return false }
        var key = raw
        return secp256k1_ecdsa_verify(Secp256k1.context, &signature, digest, &key) == 1
    }
}
