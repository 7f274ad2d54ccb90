internal import CSecp256k1

extension Secp256k1.PrivateKey {
    /// BIP340 Schnorr signature over a message (32 bytes in Bitcoin; BIP340 allows any length).
    /// `auxiliaryRandomness` (32 bytes) is mixed into the nonce as BIP340 recommends; nil draws
    /// it from the system CSPRNG.
    public func signSchnorr(message: [UInt8], auxiliaryRandomness: [UInt8]? = nil) throws(Secp256k1Error) -> [UInt8] {
        var aux = auxiliaryRandomness ?? (0..<32).map { _ in UInt8.random(in: 0...255) }
        guard aux.count == 32 else { throw .wrongLength("auxiliary randomness", expected: "32", got: aux.count) }
        defer { aux.withUnsafeMutableBytes { SecretBytes.wipe($0) } }
        var keypair = secp256k1_keypair()
        defer { withUnsafeMutableBytes(of: &keypair) { SecretBytes.wipe($0) } }
        let created = secret.withUnsafeBytes {
            secp256k1_keypair_create(Secp256k1.context, &keypair, $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard created == 1 else { throw .invalidPrivateKey }
        var signature = [UInt8](repeating: 0, count: 64)
        let signed = aux.withUnsafeMutableBytes { auxBytes in
            var parameters = secp256k1_schnorrsig_extraparams()
            parameters.magic = (0xDA, 0x6F, 0xB3, 0x8C)  // SECP256K1_SCHNORRSIG_EXTRAPARAMS_INIT
            parameters.noncefp = nil
            parameters.ndata = auxBytes.baseAddress
            let buffer = message + [0]  // non-null even when the message is empty
            return secp256k1_schnorrsig_sign_custom(Secp256k1.context, &signature, buffer, message.count, &keypair, &parameters)
        }
        guard signed == 1 else { throw Secp256k1Error("schnorr signing failed") }
        return signature
    }

    /// The BIP341 key-path signing key: this key tweaked by `H_TapTweak(P || merkleRoot)`,
    /// negated as needed so its public key has an even y.
    public func taprootTweaked(merkleRoot: [UInt8]? = nil) throws(Secp256k1Error) -> Secp256k1.PrivateKey {
        var keypair = secp256k1_keypair()
        defer { withUnsafeMutableBytes(of: &keypair) { SecretBytes.wipe($0) } }
        let created = secret.withUnsafeBytes {
            secp256k1_keypair_create(Secp256k1.context, &keypair, $0.baseAddress!.assumingMemoryBound(to: UInt8.self))
        }
        guard created == 1 else { throw .invalidPrivateKey }
        let tweak = TaggedHash.sha256(tag: "TapTweak", publicKey.xOnly + (merkleRoot ?? []))
        guard secp256k1_keypair_xonly_tweak_add(Secp256k1.context, &keypair, tweak) == 1 else { throw .invalidTweak }
        let tweaked = SecretBytes(count: 32) { out in
            _ = secp256k1_keypair_sec(Secp256k1.context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &keypair)
        }
        return try Secp256k1.PrivateKey(secret: tweaked)
    }
}

extension Secp256k1 {
    /// Verifies a BIP340 signature against a 32-byte x-only public key.
    public static func isValidSchnorrSignature(_ signature: [UInt8], message: [UInt8], xOnlyPublicKey: [UInt8]) -> Bool {
        guard signature.count == 64, xOnlyPublicKey.count == 32 else { return false }
        var key = secp256k1_xonly_pubkey()
        guard secp256k1_xonly_pubkey_parse(Secp256k1.context, &key, xOnlyPublicKey) == 1 else { return false }
        // A non-null pointer even for an empty message, which BIP340 allows.
        let buffer = message + [0]
        return secp256k1_schnorrsig_verify(Secp256k1.context, signature, buffer, message.count, &key) == 1
    }
}
