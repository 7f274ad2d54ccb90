import Crypto

/// A BIP32 extended public key: enough to derive every non-hardened child address without
/// the seed, which is how a deposit-address service stays watch-only.
public struct ExtendedPublicKey: Sendable, Equatable {
    public let publicKey: Secp256k1.PublicKey
    /// 32 bytes.
    public let chainCode: [UInt8]
    public let depth: UInt8
    public let parentFingerprint: UInt32
    public let childIndex: ChildIndex

    public init(publicKey: Secp256k1.PublicKey, chainCode: [UInt8], depth: UInt8, parentFingerprint: UInt32, childIndex: ChildIndex) {
        self.publicKey = publicKey
        self.chainCode = chainCode
        self.depth = depth
        self.parentFingerprint = parentFingerprint
        self.childIndex = childIndex
    }

    /// CKDpub. Hardened indices need the private key and are refused.
    public func derive(_ index: ChildIndex) throws(BIP32Error) -> ExtendedPublicKey {
        guard depth < UInt8.max else { throw .tooDeep }
        return try childDeriver().derive(index)
    }

    /// Derives every component of `path`; all must be non-hardened.
    public func derive(path: DerivationPath) throws(BIP32Error) -> ExtendedPublicKey {
        var key = self
        for component in path.components { key = try key.derive(component) }
        return key
    }

    /// A deriver for many children of this key: the HMAC key schedule and the parent's
    /// serialisation are computed once, so each child costs one HMAC and one tweak-add.
    public func childDeriver() -> ChildDeriver { ChildDeriver(parent: self) }

    /// Base58Check serialisation with the public version of `version` (xpub, ypub, zpub, tpub...).
    public func serialized(version: KeyVersion = .xpub) -> String {
        Base58.encodeCheck(serializedBytes(version: version))
    }

    /// The 78 bytes the Base58Check text encodes.
    public func serializedBytes(version: KeyVersion = .xpub) -> [UInt8] {
        var payload = [UInt8]()
        payload.reserveCapacity(78)
        payload.appendBigEndian(version.publicVersion)
        payload.append(depth)
        payload.appendBigEndian(parentFingerprint)
        payload.appendBigEndian(childIndex.rawValue)
        payload.append(contentsOf: chainCode)
        payload.append(contentsOf: publicKey.compressed)
        return payload
    }

    /// Derives many non-hardened children of one parent cheaply. A value type: copy one per thread.
    public struct ChildDeriver: Sendable {
        private let parent: ExtendedPublicKey
        private let keyedHMAC: HMAC<SHA512>
        private let parentBytes: [UInt8]
        private let parentFingerprint: UInt32

        init(parent: ExtendedPublicKey) {
            self.parent = parent
            keyedHMAC = HMAC<SHA512>(key: SymmetricKey(data: parent.chainCode))
            parentBytes = parent.publicKey.compressed
            parentFingerprint = parent.publicKey.fingerprint
        }

        /// Many consecutive children, in two passes (every HMAC first, then every tweak-add) so
        /// libsecp256k1's precomputed tables stay in cache between its calls.
        public func publicKeys(_ indices: Range<UInt32>) throws(BIP32Error) -> [Secp256k1.PublicKey] {
            guard let last = indices.last else { return [] }
            guard last < ChildIndex.hardenedOffset else { throw .hardenedFromPublic(ChildIndex(rawValue: last)) }
            // Public-derivation tweaks follow from the xpub: nothing secret to wipe here.
            var tweaks = [UInt8](repeating: 0, count: indices.count * 32)
            for (offset, index) in indices.enumerated() {
                try withTweak(ChildIndex(rawValue: index)) { tweak, _ throws(BIP32Error) in
                    tweaks.withUnsafeMutableBytes { UnsafeMutableRawBufferPointer(rebasing: $0[offset * 32..<offset * 32 + 32]).copyMemory(from: tweak) }
                }
            }
            var keys: [Secp256k1.PublicKey] = []
            keys.reserveCapacity(indices.count)
            let failed: UInt32? = tweaks.withUnsafeBytes { all in
                for (offset, index) in indices.enumerated() {
                    guard let key = try? parent.publicKey.adding(tweak: UnsafeRawBufferPointer(rebasing: all[offset * 32..<offset * 32 + 32])) else {
                        return index
                    }
                    keys.append(key)
                }
                return nil
            }
            if let failed { throw .invalidChild(ChildIndex(rawValue: failed)) }
            return keys
        }

        /// The full child extended key.
        public func derive(_ index: ChildIndex) throws(BIP32Error) -> ExtendedPublicKey {
            try withTweak(index) { tweak, chainCode throws(BIP32Error) in
                let key: Secp256k1.PublicKey
                do { key = try parent.publicKey.adding(tweak: tweak) } catch { throw .invalidChild(index) }
                return ExtendedPublicKey(
                    publicKey: key, chainCode: Array(chainCode), depth: parent.depth + 1,
                    parentFingerprint: parentFingerprint, childIndex: index)
            }
        }

        private func withTweak<R>(
            _ index: ChildIndex,
            _ body: (UnsafeRawBufferPointer, UnsafeRawBufferPointer) throws(BIP32Error) -> R
        ) throws(BIP32Error) -> R {
            guard !index.isHardened else { throw .hardenedFromPublic(index) }
            var hmac = keyedHMAC
            hmac.update(data: parentBytes)
            let raw = index.rawValue
            let indexBytes: (UInt8, UInt8, UInt8, UInt8) = (
                UInt8(truncatingIfNeeded: raw >> 24), UInt8(truncatingIfNeeded: raw >> 16),
                UInt8(truncatingIfNeeded: raw >> 8), UInt8(truncatingIfNeeded: raw))
            withUnsafeBytes(of: indexBytes) { hmac.update(data: $0) }
            let mac = hmac.finalize()
            var output = (
                UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0), UInt64(0)
            )
            withUnsafeMutableBytes(of: &output) { out in mac.withUnsafeBytes { out.copyMemory(from: $0) } }
            defer { withUnsafeMutableBytes(of: &output) { SecretBytes.wipe($0) } }
            return try withUnsafeBytes(of: &output) { (bytes: UnsafeRawBufferPointer) throws(BIP32Error) -> R in
                try body(UnsafeRawBufferPointer(rebasing: bytes[0..<32]), UnsafeRawBufferPointer(rebasing: bytes[32..<64]))
            }
        }
    }
}
