import Customers
import Foundation
import PropertyBased
import Testing

/// TOTP against RFC 6238 Appendix B (SHA-1, SHA-256, SHA-512, 8 digits), RFC 4226 Appendix D
/// (HOTP, 6 digits, steps 0-9), and the verification rules: ±1 step, no reuse, malformed codes.
struct TOTPTests {
    static let sha1Secret = Array("12345678901234567890".utf8)
    static let sha256Secret = Array("12345678901234567890123456789012".utf8)
    static let sha512Secret = Array("1234567890123456789012345678901234567890123456789012345678901234".utf8)

    /// RFC 6238 Appendix B: (time, SHA-1, SHA-256, SHA-512).
    static let appendixB: [(Int64, String, String, String)] = [
        (59, "94287082", "46119246", "90693936"),
        (1_111_111_109, "07081804", "68084774", "25091201"),
        (1_111_111_111, "14050471", "67062674", "99943326"),
        (1_234_567_890, "89005924", "91819424", "93441116"),
        (2_000_000_000, "69279037", "90698825", "38618901"),
        (20_000_000_000, "65353130", "77737706", "47863826"),
    ]

    @Test func rfc6238AppendixB() throws {
        let sha1 = try TOTP(secret: Self.sha1Secret, algorithm: .sha1, digits: 8)
        let sha256 = try TOTP(secret: Self.sha256Secret, algorithm: .sha256, digits: 8)
        let sha512 = try TOTP(secret: Self.sha512Secret, algorithm: .sha512, digits: 8)
        for (time, one, twoFiftySix, fiveTwelve) in Self.appendixB {
            #expect(sha1.code(at: time) == one, "SHA-1 at \(time)")
            #expect(sha256.code(at: time) == twoFiftySix, "SHA-256 at \(time)")
            #expect(sha512.code(at: time) == fiveTwelve, "SHA-512 at \(time)")
        }
    }

    /// RFC 4226 Appendix D: HOTP values for counters 0-9 (TOTP is HOTP of the step).
    @Test func rfc4226AppendixD() throws {
        let hotp = try TOTP(secret: Self.sha1Secret)
        let expected = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]
        #expect((0..<10).map { hotp.code(step: UInt64($0)) } == expected)
    }

    @Test func oneStepEitherSideAndNeverTwice() throws {
        let totp = try TOTP(secret: Self.sha1Secret)
        let time: Int64 = 1_700_000_000
        let step = try #require(totp.step(at: time))
        #expect(totp.verify(totp.code(step: step), at: time) == step)
        #expect(totp.verify(totp.code(step: step - 1), at: time) == step - 1)
        #expect(totp.verify(totp.code(step: step + 1), at: time) == step + 1)
        #expect(totp.verify(totp.code(step: step - 2), at: time) == nil)
        #expect(totp.verify(totp.code(step: step + 2), at: time) == nil)
        // Used once: the same code, or an earlier one, is refused afterwards.
        #expect(totp.verify(totp.code(step: step), at: time, lastAccepted: step) == nil)
        #expect(totp.verify(totp.code(step: step - 1), at: time, lastAccepted: step) == nil)
        #expect(totp.verify(totp.code(step: step + 1), at: time, lastAccepted: step) == step + 1)
        for malformed in ["", "12345", "1234567", "12345a", " 123456", "１２３４５６"] {
            #expect(totp.verify(malformed, at: time) == nil, "\(malformed)")
        }
        #expect(totp.verify(totp.code(step: 0), at: -1) == nil)
    }

    @Test func parametersAreChecked() {
        #expect(throws: TOTPError.self) { try TOTP(secret: [UInt8](repeating: 1, count: 15)) }
        #expect(throws: TOTPError.self) { try TOTP(secret: Self.sha1Secret, digits: 7) }
        #expect(throws: TOTPError.self) { try TOTP(secret: Self.sha1Secret, period: 0) }
    }

    @Test func theURIAuthenticatorsRead() throws {
        let totp = try TOTP(secret: Self.sha1Secret)
        #expect(totp.uri(issuer: "Coffer Shop", account: "alice@example.com")
            == "otpauth://totp/Coffer%20Shop:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Coffer%20Shop&algorithm=SHA1&digits=6&period=30")
    }

    /// A code verifies at every time of its step and its neighbours', and a fresh secret is 160 bits.
    @Test func codesVerifyWithinTheirWindow() async {
        await propertyCheck(count: 300, input: Gen.int64(in: 30...4_000_000_000), Gen.int64(in: -45...45)) { time, drift in
            let totp = try! TOTP(secret: TOTP.newSecret())
            let code = totp.code(at: time)!
            let accepted = totp.verify(code, at: time + drift)
            let step = UInt64(time / 30), now = UInt64((time + drift) / 30)
            // Accepted exactly when the code's step is within one of now (or, by a one-in-a-million
            // chance, a neighbour's code is the same digits).
            let window = [now - 1, now, now + 1]
            #expect((accepted != nil) == (window.contains(step) || window.contains { totp.code(step: $0) == code }))
            if window.contains(step) { #expect(accepted != nil) }
        }
        #expect(TOTP.newSecret().count == 20)
    }
}

/// RFC 4648 §10 base32 vectors, both ways, and what decoding refuses.
struct Base32Tests {
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "MY======"), ("fo", "MZXQ===="), ("foo", "MZXW6==="), ("foob", "MZXW6YQ="), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI======"),
    ]

    @Test func rfc4648Vectors() {
        for (plain, encoded) in Self.vectors {
            #expect(Base32.encode(Array(plain.utf8), padded: true) == encoded)
            #expect(Base32.decode(encoded) == Array(plain.utf8))
            #expect(Base32.decode(encoded.lowercased().replacingOccurrences(of: "=", with: "")) == Array(plain.utf8))
        }
    }

    @Test func malformedTextIsRefused() {
        for text in ["M", "MZX", "MZXW6Y", "MY=a", "M1======", "MZ======"] {
            #expect(Base32.decode(text) == nil, "\(text)")
        }
    }

    @Test func roundTrips() async {
        await propertyCheck(count: 500, input: Gen.uint8().array(of: 0...64)) { bytes in
            #expect(Base32.decode(Base32.encode(bytes)) == bytes)
            #expect(Base32.decode(Base32.encode(bytes, padded: true)) == bytes)
        }
    }
}
