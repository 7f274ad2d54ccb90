import CofferStorage
import Testing

struct PostgresLocationTests {
    @Test func parsesTheURLForms() throws {
        let full = try PostgresLocation(url: "postgres://coffer:s%40cret@db.example:6543/ledger?sslmode=require")
        #expect(full.user == "coffer" && full.password == "s@cret" && full.host == "db.example" && full.port == 6543)
        #expect(full.database == "ledger" && full.sslMode == "require")
        #expect(full.description == "postgres://coffer@db.example:6543/ledger", "the description never shows the password")
        let short = try PostgresLocation(url: "postgresql://postgres@127.0.0.1/postgres")
        #expect(short.port == 5432 && short.password == nil && short.sslMode == "disable")
        let ipv6 = try PostgresLocation(url: "postgres://u@[::1]:5433/d")
        #expect(ipv6.host == "::1" && ipv6.port == 5433)
    }

    @Test(arguments: [
        ("mysql://u@h/d", "postgres://"),
        ("postgres://h:5432/d", "no user"),
        ("postgres://u@h:5432", "no database"),
        ("postgres://u@h:99999/d", "port"),
        ("postgres://u@h:abc/d", "port"),
        ("postgres://u@h/d?sslmode=maybe", "sslmode"),
        ("postgres://u@h/d?timeout=3", "unknown database URL parameter"),
        ("postgres://u:topsecret@/d", "no host"),
    ])
    func refusesMalformedURLsWithoutEchoingPasswords(url: String, mentioning: String) {
        #expect {
            _ = try PostgresLocation(url: url)
        } throws: { error in
            let text = String(describing: error)
            return text.contains(mentioning) && !text.contains("topsecret")
        }
    }
}
