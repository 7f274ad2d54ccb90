import Crypto

/// SLIP-39's single-level Shamir scheme over GF(256): SplitSecret and RecoverSecret.
///
/// The secret is stored at x = 255 and a digest of it at x = 254 (4 bytes of
/// HMAC-SHA256(key: R, message: secret) followed by the n - 4 random bytes R), so that a wrong
/// or forged set of shares is detected; shares sit at x = 0...N-1. A threshold of 1 copies the
/// secret into every share and has no digest.
enum SLIP39SecretSharing {
    static let secretIndex: UInt8 = 255
    static let digestIndex: UInt8 = 254
    static let digestLength = 4

    /// `count` share values (for x = 0..<count) of which any `threshold` recover `secret`.
    ///
    /// Callers check 1 <= threshold <= count <= 16 and secret.count >= 16; `rng` must be a CSPRNG.
    static func split(threshold: Int, count: Int, secret: [UInt8],
                      using rng: inout some RandomNumberGenerator) -> [[UInt8]] {
        precondition(1...count ~= threshold && count <= 16 && secret.count >= 16, "invalid SplitSecret parameters")
        if threshold == 1 {
            return Array(repeating: secret, count: count)
        }
        let randomPart = randomBytes(secret.count - digestLength, using: &rng)
        var digest = digest(random: randomPart, secret: secret) + randomPart
        defer { SecretBytes.wipe(&digest) }

        // T - 2 random shares, then the digest and the secret: T points fix the polynomials.
        var xs: [UInt8] = []
        var ys: [[UInt8]] = []
        for x in 0..<(threshold - 2) {
            xs.append(UInt8(x))
            ys.append(randomBytes(secret.count, using: &rng))
        }
        var shares = ys
        xs += [digestIndex, secretIndex]
        ys += [digest, secret]
        for x in (threshold - 2)..<count {
            shares.append(GF256.interpolate(at: UInt8(x), xs: xs, ys: ys))
        }
        for i in ys.indices { SecretBytes.wipe(&ys[i]) }
        return shares
    }

    /// The secret at x = 255 of the polynomials through `threshold` points; nil when the digest
    /// at x = 254 does not match (the shares are inconsistent).
    ///
    /// Callers pass exactly `threshold` points with pairwise distinct indices and equal lengths.
    static func recover(threshold: Int, xs: [UInt8], ys: [[UInt8]]) -> [UInt8]? {
        precondition(xs.count == threshold && !xs.isEmpty, "RecoverSecret needs exactly threshold points")
        if threshold == 1 {
            return ys[0]
        }
        var secret = GF256.interpolate(at: secretIndex, xs: xs, ys: ys)
        var digestShare = GF256.interpolate(at: digestIndex, xs: xs, ys: ys)
        defer { SecretBytes.wipe(&digestShare) }
        let expected = digest(random: Array(digestShare[digestLength...]), secret: secret)
        guard ConstantTime.equals(expected, digestShare[0..<digestLength]) else {
            SecretBytes.wipe(&secret)
            return nil
        }
        return secret
    }

    /// The first 4 bytes of HMAC-SHA256(key: random, message: secret).
    static func digest(random: [UInt8], secret: [UInt8]) -> [UInt8] {
        let mac = HMAC<SHA256>.authenticationCode(for: secret, using: SymmetricKey(data: random))
        return mac.withUnsafeBytes { Array($0.prefix(digestLength)) }
    }

    static func randomBytes(_ count: Int, using rng: inout some RandomNumberGenerator) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            withUnsafeBytes(of: rng.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        bytes.removeLast(bytes.count - count)  // in place: no unwiped copy of the extra bytes
        return bytes
    }
}
