import Crypto

/// A BIP32 extended private key: a secp256k1 scalar with its chain code and position in the tree.
public struct ExtendedPrivateKey: Sendable {
    public let privateKey: Secp256k1.PrivateKey
    /// 32 bytes. Secret too: with a child private key it reveals siblings.
    public let chainCode: SecretBytes
    public let depth: UInt8
    public let parentFingerprint: UInt32
    public let childIndex: ChildIndex

    init(privateKey: Secp256k1.PrivateKey, chainCode: SecretBytes, depth: UInt8, parentFingerprint: UInt32, childIndex: ChildIndex) {
        self.privateKey = privateKey
        self.chainCode = chainCode
        self.depth = depth
        self.parentFingerprint = parentFingerprint
        self.childIndex = childIndex
    }

    /// The master key of BIP32: `HMAC-SHA512("Bitcoin seed", seed)`. Seeds are 16 to 64 bytes.
    public init(seed: SecretBytes) throws(BIP32Error) {
        guard (16...64).contains(seed.count) else { throw .seedLength(seed.count) }
        let (left, right) = seed.withUnsafeBytes { HMACSplit.compute(key: Array("Bitcoin seed".utf8), data: $0) }
        do {
            privateKey = try Secp256k1.PrivateKey(secret: left)
        } catch {
            throw .unusableSeed
        }
        chainCode = right
        depth = 0
        parentFingerprint = 0
        childIndex = ChildIndex(rawValue: 0)
    }

    /// CKDpriv. Throws for the ~2^-127 chance that the index yields no valid key.
    public func derive(_ index: ChildIndex) throws(BIP32Error) -> ExtendedPrivateKey {
        guard depth < UInt8.max else { throw .tooDeep }
        let publicKey = privateKey.publicKey
        var data = [UInt8]()
        data.reserveCapacity(37)
        if index.isHardened {
            data.append(0)
            privateKey.secret.withUnsafeBytes { data.append(contentsOf: $0) }
        } else {
            data.append(contentsOf: publicKey.compressed)
        }
        data.appendBigEndian(index.rawValue)
        defer { SecretBytes.wipe(&data) }
        let (left, right) = chainCode.withUnsafeBytes { key in
            data.withUnsafeBytes { HMACSplit.compute(key: Array(key), data: $0) }
        }
        let child: Secp256k1.PrivateKey
        do {
            child = try left.withUnsafeBytes { tweak throws(Secp256k1Error) in try privateKey.adding(tweak: tweak) }
        } catch {
            throw .invalidChild(index)
        }
        return ExtendedPrivateKey(
            privateKey: child, chainCode: right, depth: depth + 1,
            parentFingerprint: publicKey.fingerprint, childIndex: index)
    }

    /// Derives every component of `path` from this key.
    public func derive(path: DerivationPath) throws(BIP32Error) -> ExtendedPrivateKey {
        var key = self
        for component in path.components { key = try key.derive(component) }
        return key
    }

    /// The matching extended public key (BIP32's N()).
    public var extendedPublicKey: ExtendedPublicKey {
        ExtendedPublicKey(
            publicKey: privateKey.publicKey, chainCode: chainCode.copyBytes(), depth: depth,
            parentFingerprint: parentFingerprint, childIndex: childIndex)
    }

    /// Base58Check serialisation with the private version of `version` (xprv, yprv, zprv, tprv...).
    /// The result is a secret: print it only when the user asked for exactly that.
    public func serialized(version: KeyVersion = .xpub) -> String {
        var payload = [UInt8]()
        payload.reserveCapacity(78)
        payload.appendBigEndian(version.privateVersion)
        payload.append(depth)
        payload.appendBigEndian(parentFingerprint)
        payload.appendBigEndian(childIndex.rawValue)
        chainCode.withUnsafeBytes { payload.append(contentsOf: $0) }
        payload.append(0)
        privateKey.secret.withUnsafeBytes { payload.append(contentsOf: $0) }
        defer { SecretBytes.wipe(&payload) }
        return Base58.encodeCheck(payload)
    }
}

/// HMAC-SHA512 split into its two 32-byte halves, each in wiped memory.
enum HMACSplit {
    static func compute(key: [UInt8], data: UnsafeRawBufferPointer) -> (left: SecretBytes, right: SecretBytes) {
        let mac = HMAC<SHA512>.authenticationCode(for: data, using: SymmetricKey(data: key))
        return mac.withUnsafeBytes { bytes in
            (SecretBytes(bytes[0..<32]), SecretBytes(bytes[32..<64]))
        }
    }
}

extension Array where Element == UInt8 {
    mutating func appendBigEndian(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value >> 24))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value))
    }
}

extension Secp256k1.PublicKey {
    /// BIP32 key fingerprint: the first four bytes of HASH160 of the compressed key, big-endian.
    public var fingerprint: UInt32 {
        let hash = Hash160.hash(compressed)
        return hash[0..<4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
