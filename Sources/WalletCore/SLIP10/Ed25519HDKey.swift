import Crypto

/// SLIP-10 derivation on ed25519: hardened children only, as the curve allows no public derivation.
/// Used for Solana (m/44'/501'/i'/0').
public struct Ed25519HDKey: Sendable {
    /// The 32-byte ed25519 private seed (RFC 8032's "private key").
    public let privateKey: SecretBytes
    public let chainCode: SecretBytes
    public let depth: UInt8

    /// The SLIP-10 master key: `HMAC-SHA512("ed25519 seed", seed)`.
    public init(seed: SecretBytes) throws(BIP32Error) {
        guard (16...64).contains(seed.count) else { throw .seedLength(seed.count) }
        (privateKey, chainCode) = seed.withUnsafeBytes { HMACSplit.compute(key: Array("ed25519 seed".utf8), data: $0) }
        depth = 0
    }

    private init(privateKey: SecretBytes, chainCode: SecretBytes, depth: UInt8) {
        self.privateKey = privateKey
        self.chainCode = chainCode
        self.depth = depth
    }

    /// Hardened child derivation; a non-hardened index is refused with a clear error.
    public func derive(_ index: ChildIndex) throws(SLIP10Error) -> Ed25519HDKey {
        guard index.isHardened else { throw .nonHardened(index) }
        guard depth < UInt8.max else { throw SLIP10Error("cannot derive below depth 255") }
        var data = [UInt8]()
        data.reserveCapacity(37)
        data.append(0)
        privateKey.withUnsafeBytes { data.append(contentsOf: $0) }
        data.appendBigEndian(index.rawValue)
        defer { SecretBytes.wipe(&data) }
        let (left, right) = chainCode.withUnsafeBytes { key in
            data.withUnsafeBytes { HMACSplit.compute(key: Array(key), data: $0) }
        }
        return Ed25519HDKey(privateKey: left, chainCode: right, depth: depth + 1)
    }

    public func derive(path: DerivationPath) throws(SLIP10Error) -> Ed25519HDKey {
        var key = self
        for component in path.components { key = try key.derive(component) }
        return key
    }

    /// The 32-byte ed25519 public key (swift-crypto's Curve25519).
    public var publicKey: [UInt8] {
        let key = privateKey.withUnsafeBytes { try! Curve25519.Signing.PrivateKey(rawRepresentation: $0) }
        return Array(key.publicKey.rawRepresentation)
    }
}

/// Why a SLIP-10 operation was refused.
public struct SLIP10Error: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }

    static func nonHardened(_ index: ChildIndex) -> SLIP10Error {
        SLIP10Error("ed25519 (SLIP-10) supports hardened derivation only; index \(index) must be written \(index.index)'")
    }
}
