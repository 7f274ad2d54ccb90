internal import CSecp256k1

extension Secp256k1 {
    /// A validated point on secp256k1, kept in libsecp256k1's internal form so repeated
    /// tweaks (BIP32 public derivation) never re-parse it.
    public struct PublicKey: Sendable, Equatable {
        var raw: secp256k1_pubkey

        init(raw: secp256k1_pubkey) { self.raw = raw }

        /// Parses a 33-byte compressed or 65-byte uncompressed SEC1 encoding.
        public init<Bytes: Collection>(_ bytes: Bytes) throws(Secp256k1Error) where Bytes.Element == UInt8 {
            guard bytes.count == 33 || bytes.count == 65 else {
                throw .wrongLength("public key", expected: "33 or 65", got: bytes.count)
            }
            var raw = secp256k1_pubkey()
            let ok = Array(bytes).withUnsafeBufferPointer {
                secp256k1_ec_pubkey_parse(Secp256k1.context, &raw, $0.baseAddress!, $0.count)
            }
            guard ok == 1 else { throw .invalidPublicKey }
            self.raw = raw
        }

        /// 33-byte SEC1 compressed encoding.
        public var compressed: [UInt8] {
            var out = [UInt8](repeating: 0, count: 33)
            out.withUnsafeMutableBytes { writeCompressed(into: $0) }
            return out
        }

        /// 65-byte SEC1 uncompressed encoding (0x04 || X || Y).
        public var uncompressed: [UInt8] {
            var out = [UInt8](repeating: 0, count: 65)
            out.withUnsafeMutableBytes { writeUncompressed(into: $0) }
            return out
        }

        /// Allocation-free serialisation for hot loops; `out` must hold 33 bytes.
        public func writeCompressed(into out: UnsafeMutableRawBufferPointer) {
            var length = 33
            var key = raw
            _ = secp256k1_ec_pubkey_serialize(
                Secp256k1.context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, &key,
                UInt32(SECP256K1_EC_COMPRESSED))
        }

        /// Allocation-free serialisation for hot loops; `out` must hold 65 bytes.
        public func writeUncompressed(into out: UnsafeMutableRawBufferPointer) {
            var length = 65
            var key = raw
            _ = secp256k1_ec_pubkey_serialize(
                Secp256k1.context, out.baseAddress!.assumingMemoryBound(to: UInt8.self), &length, &key,
                UInt32(SECP256K1_EC_UNCOMPRESSED))
        }

        /// `self + tweak·G`, the step of BIP32 public derivation. `tweak` is 32 bytes big-endian.
        public func adding(tweak: UnsafeRawBufferPointer) throws(Secp256k1Error) -> PublicKey {
            guard tweak.count == 32 else { throw .wrongLength("tweak", expected: "32", got: tweak.count) }
            var result = raw
            guard secp256k1_ec_pubkey_tweak_add(
                Secp256k1.context, &result, tweak.baseAddress!.assumingMemoryBound(to: UInt8.self)) == 1
            else { throw .invalidTweak }
            return PublicKey(raw: result)
        }

        /// The 32-byte x coordinate used by BIP340/BIP341 (the parity is dropped).
        public var xOnly: [UInt8] {
            var xonly = secp256k1_xonly_pubkey()
            var key = raw
            _ = secp256k1_xonly_pubkey_from_pubkey(Secp256k1.context, &xonly, nil, &key)
            var out = [UInt8](repeating: 0, count: 32)
            _ = secp256k1_xonly_pubkey_serialize(Secp256k1.context, &out, &xonly)
            return out
        }

        /// BIP341 output key for a key-path-only spend (BIP86): the x-only key
        /// `P + H_TapTweak(P)·G`, with `merkleRoot` appended to the tweak input when given.
        public func taprootOutputKey(merkleRoot: [UInt8]? = nil) throws(Secp256k1Error) -> [UInt8] {
            var internalKey = secp256k1_xonly_pubkey()
            var key = raw
            _ = secp256k1_xonly_pubkey_from_pubkey(Secp256k1.context, &internalKey, nil, &key)
            var internalBytes = [UInt8](repeating: 0, count: 32)
            _ = secp256k1_xonly_pubkey_serialize(Secp256k1.context, &internalBytes, &internalKey)
            let tweak = TaggedHash.sha256(tag: "TapTweak", internalBytes + (merkleRoot ?? []))
            var output = secp256k1_pubkey()
            guard secp256k1_xonly_pubkey_tweak_add(Secp256k1.context, &output, &internalKey, tweak) == 1 else {
                throw .invalidTweak
            }
            var outputXOnly = secp256k1_xonly_pubkey()
            _ = secp256k1_xonly_pubkey_from_pubkey(Secp256k1.context, &outputXOnly, nil, &output)
            var out = [UInt8](repeating: 0, count: 32)
            _ = secp256k1_xonly_pubkey_serialize(Secp256k1.context, &out, &outputXOnly)
            return out
        }

        public static func == (lhs: PublicKey, rhs: PublicKey) -> Bool {
            lhs.compressed == rhs.compressed
        }
    }
}
