/// A parsed extended key string (xprv/xpub and their SLIP-132 siblings) and the version it used.
public enum ExtendedKey: Sendable {
    case privateKey(ExtendedPrivateKey, version: KeyVersion)
    case publicKey(ExtendedPublicKey, version: KeyVersion)

    public var version: KeyVersion {
        switch self {
        case .privateKey(_, let version), .publicKey(_, let version): version
        }
    }

    /// The public half, whichever form was parsed.
    public var extendedPublicKey: ExtendedPublicKey {
        switch self {
        case .privateKey(let key, _): key.extendedPublicKey
        case .publicKey(let key, _): key
        }
    }

    /// Parses and fully validates a serialised extended key: checksum, version, depth rules,
    /// key prefix and that the key is a valid scalar or curve point.
    public init(parsing text: String) throws(ExtendedKeyError) {
        let payload: [UInt8]
        do {
            payload = try Base58.decodeCheck(text)
        } catch {
            throw ExtendedKeyError("extended key is not valid Base58Check: \(error)")
        }
        try self.init(serialized: payload)
    }

    /// Parses and validates the 78 bytes a serialised extended key encodes (version first).
    public init(serialized payload: [UInt8]) throws(ExtendedKeyError) {
        guard payload.count == 78 else {
            throw ExtendedKeyError("extended key must decode to 78 bytes, got \(payload.count)")
        }
        let rawVersion = payload.readBigEndianUInt32(at: 0)
        guard let (version, isPrivate) = KeyVersion.lookup(rawVersion) else {
            throw ExtendedKeyError("unknown extended key version 0x\(String(rawVersion, radix: 16, uppercase: false)); expected \(KeyVersion.all.map(\.publicPrefix).joined(separator: ", ")) or their private forms")
        }
        let depth = payload[4]
        let parentFingerprint = payload.readBigEndianUInt32(at: 5)
        let childIndex = ChildIndex(rawValue: payload.readBigEndianUInt32(at: 9))
        if depth == 0 && parentFingerprint != 0 {
            throw ExtendedKeyError("extended key has depth 0 (a master key) but a non-zero parent fingerprint")
        }
        if depth == 0 && childIndex.rawValue != 0 {
            throw ExtendedKeyError("extended key has depth 0 (a master key) but a non-zero child index")
        }
        let chainCode = Array(payload[13..<45])
        let keyData = payload[45..<78]
        let prefix = keyData.first!
        let name = isPrivate ? version.privatePrefix : version.publicPrefix
        if isPrivate {
            guard prefix == 0 else {
                throw ExtendedKeyError("\(name) key data must start with 0x00 (a private key), found 0x\(Hex.encode([prefix])): version and key type do not match")
            }
            let privateKey: Secp256k1.PrivateKey
            do {
                privateKey = try Secp256k1.PrivateKey(keyData.dropFirst())
            } catch {
                throw ExtendedKeyError("\(name) private key is not in the range 1..n-1 of secp256k1")
            }
            self = .privateKey(
                ExtendedPrivateKey(
                    privateKey: privateKey, chainCode: SecretBytes(chainCode), depth: depth,
                    parentFingerprint: parentFingerprint, childIndex: childIndex),
                version: version)
        } else {
            guard prefix == 2 || prefix == 3 else {
                throw ExtendedKeyError("\(name) key data must start with 0x02 or 0x03 (a compressed public key), found 0x\(Hex.encode([prefix]))\(prefix == 0 ? ": version and key type do not match" : "")")
            }
            let publicKey: Secp256k1.PublicKey
            do {
                publicKey = try Secp256k1.PublicKey(keyData)
            } catch {
                throw ExtendedKeyError("\(name) public key is not a point on secp256k1")
            }
            self = .publicKey(
                ExtendedPublicKey(
                    publicKey: publicKey, chainCode: chainCode, depth: depth,
                    parentFingerprint: parentFingerprint, childIndex: childIndex),
                version: version)
        }
    }
}

/// Why an extended key string was refused.
public struct ExtendedKeyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

extension Array where Element == UInt8 {
    func readBigEndianUInt32(at offset: Int) -> UInt32 {
        self[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}
