import CofferStorage
import Wallets
import CofferCore
import CofferBase
@testable import CofferServer
import Tenancy
import Testing

/// The presented-key parser runs on every authenticated request; it must accept exactly the
/// shape `generate()` makes.
struct APIKeyTests {
    @Test func parsesWhatGenerateMakes() throws {
        for _ in 0..<100 {
            let key = APIKey.generate()
            let parsed = try #require(APIKey(parsing: key.text))
            #expect(parsed.id == key.id && parsed.secret == key.secret)
            #expect(APIKey(parsing: Substring(" " + key.text).dropFirst())?.id == key.id)
        }
    }

    @Test func refusesEverythingElse() {
        let valid = APIKey.generate().text
        let body = String(valid.dropFirst(4))  // id, underscore, secret
        var malformed: [String] = ["", "cfr_", String(valid.dropLast()), valid + "a", "cfx_" + body, "CFR_" + body]
        malformed.append(String(valid.prefix(20)) + "-" + String(valid.dropFirst(21)))
        malformed.append("cfr-" + body)
        for position in [4, 19, 21, 72] {
            for replacement in ["A", "1", "8", "_", "é", "\u{0}"] {
                var bytes = Array(valid)
                bytes[position] = Character(replacement)
                malformed.append(String(bytes))
            }
        }
        for text in malformed { #expect(APIKey(parsing: text) == nil, "\(text)") }
    }
}
