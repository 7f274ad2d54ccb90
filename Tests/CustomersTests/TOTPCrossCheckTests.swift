import Customers
import Foundation
import Testing

/// Cases from pyotp (PyPI), written by scripts/crosscheck/totp_pyotp.py and named by
/// `COFFER_TOTP_CROSSCHECK` (scripts/crosscheck/run sets it; without it this test is skipped):
/// random secrets, algorithms, digit counts and times; each code must be Coffer's, and verify.
@Suite("TOTP cross-check with pyotp")
struct TOTPCrossCheckTests {
    static let file = ProcessInfo.processInfo.environment["COFFER_TOTP_CROSSCHECK"]

    struct Case: Decodable {
        let secret: String
        let algorithm: String
        let digits: Int
        let time: Int64
        let code: String
    }

    @Test("pyotp's codes are Coffer's", .enabled(if: file != nil, "COFFER_TOTP_CROSSCHECK names no case file"))
    func crossCheck() throws {
        let path = try #require(Self.file)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var mismatches: [String] = []
        for (index, line) in lines.enumerated() {
            let entry = try JSONDecoder().decode(Case.self, from: Data(line.utf8))
            let totp = try TOTP(secret: try #require(Base32.decode(entry.secret)), algorithm: try #require(TOTP.Algorithm(rawValue: entry.algorithm)),
                                digits: entry.digits)
            if totp.code(at: entry.time) != entry.code || totp.verify(entry.code, at: entry.time) == nil {
                mismatches.append("\(path):\(index + 1): pyotp \(entry.code), Coffer \(totp.code(at: entry.time) ?? "none")")
            }
        }
        print("totp crosscheck: \(lines.count) cases, \(mismatches.count) mismatches")
        #expect(!lines.isEmpty && mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
