import WalletCore
import Crypto
import Foundation

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC of the 30-second step
/// counter, dynamically truncated, in 6 or 8 digits. Verification accepts the current step and
/// one either side (clock drift) and refuses a step at or before the last one accepted, so a
/// code is never used twice. HMAC comes from swift-crypto; only the truncation and the counter
/// are written here, proven with RFC 6238's Appendix B vectors.
public struct TOTP: Sendable, Equatable {
    public enum Algorithm: String, Sendable, CaseIterable {
        case sha1 = "SHA1", sha256 = "SHA256", sha512 = "SHA512"
    }

    public let secret: [UInt8]
    public let algorithm: Algorithm
    public let digits: Int
    /// Seconds per step (30 by every authenticator's default).
    public let period: Int64

    /// Secrets shorter than 128 bits are refused (RFC 4226 asks for 128, recommends 160).
    public init(secret: [UInt8], algorithm: Algorithm = .sha1, digits: Int = 6, period: Int64 = 30) throws(TOTPError) {
        guard secret.count >= 16 else { throw TOTPError("a TOTP secret needs at least 16 bytes (128 bits), got \(secret.count)") }
        guard digits == 6 || digits == 8 else { throw TOTPError("TOTP codes have 6 or 8 digits, not \(digits)") }
        guard (1...300).contains(period) else { throw TOTPError("the TOTP period must be 1-300 seconds, not \(period)") }
        self.secret = secret
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
    }

    /// A fresh 160-bit secret from the system's CSPRNG.
    public static func newSecret() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    /// The step counter at `time` (seconds since 1970; times before 1970 have none).
    public func step(at time: Int64) -> UInt64? { time >= 0 ? UInt64(time / period) : nil }

    /// The code of `step`, zero-padded to `digits`.
    public func code(step: UInt64) -> String {
        let counter = withUnsafeBytes(of: step.bigEndian) { Array($0) }
        let key = SymmetricKey(data: secret)
        let mac: [UInt8] =
            switch algorithm {
            case .sha1: Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: key))
            case .sha256: Array(HMAC<SHA256>.authenticationCode(for: counter, using: key))
            case .sha512: Array(HMAC<SHA512>.authenticationCode(for: counter, using: key))
            }
        // RFC 4226 §5.3: 31 bits from the offset the last nibble names.
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = UInt32(mac[offset] & 0x7F) << 24 | UInt32(mac[offset + 1]) << 16 | UInt32(mac[offset + 2]) << 8 | UInt32(mac[offset + 3])
        let modulus: UInt32 = digits == 8 ? 100_000_000 : 1_000_000
        let value = String(binary % modulus)
        return String(repeating: "0", count: digits - value.count) + value
    }

    /// The code at `time`.
    public func code(at time: Int64) -> String? { step(at: time).map { code(step: $0) } }

    /// The step whose code `code` is, among the step at `time` and one either side, and after
    /// `lastAccepted` (no reuse); nil when none. The comparison does not stop early on a mismatch.
    public func verify(_ code: String, at time: Int64, lastAccepted: UInt64? = nil) -> UInt64? {
        guard code.utf8.count == digits, code.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }), let now = step(at: time) else { return nil }
        var matched: UInt64?
        for candidate in [now > 0 ? now - 1 : nil, now, now + 1].compactMap({ $0 }) {
            let equal = ConstantTime.equals(Array(self.code(step: candidate).utf8), Array(code.utf8))
            if equal, lastAccepted.map({ candidate > $0 }) ?? true, matched == nil { matched = candidate }
        }
        return matched
    }

    /// The `otpauth://totp/` URI authenticator apps read (Google's Key Uri Format): the label
    /// `issuer:account`, the secret in unpadded base32, the algorithm, digits and period.
    public func uri(issuer: String, account: String) -> String {
        func escaped(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? ""
        }
        return "otpauth://totp/\(escaped(issuer)):\(escaped(account))?secret=\(Base32.encode(secret))&issuer=\(escaped(issuer))"
            + "&algorithm=\(algorithm.rawValue)&digits=\(digits)&period=\(period)"
    }
}

/// A TOTP parameter that cannot be used.
public struct TOTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
