import CofferBase
import CofferStorage
import Testing

/// `SQL` values: interpolation binds values as parameters (never text), `raw:` inserts trusted
/// text, lists expand to one parameter each, and PostgreSQL's numbered parameters replace the
/// `?`s outside quoted strings and identifiers only.
struct SQLTests {
    @Test func interpolatedValuesBecomeParameters() {
        let name = "x'); DROP TABLE vault_wallets; --"
        let amount = UInt128.max
        let missing: String? = nil
        let sql: SQL = "SELECT id FROM t WHERE name = \(name) AND amount = \(amount) AND n = \(Int64.min) AND flag = \(true) AND note = \(missing) AND key = \([UInt8]([0, 255]))"
        #expect(sql.text == "SELECT id FROM t WHERE name = ? AND amount = ? AND n = ? AND flag = ? AND note = ? AND key = ?")
        #expect(sql.values == [.text(name), .text("340282366920938463463374607431768211455"), .integer(Int64.min), .integer(1), .null, .blob([0, 255])])
        #expect(sql.description == sql.text, "the description never shows a value")
        #expect(!sql.description.contains("DROP"))
    }

    @Test func integersOfEveryWidthBindAsInt64() {
        let sql: SQL = "\(Int(-1)) \(Int32.min) \(UInt32.max) \(UInt16.max) \(false) \(Substring("ab"))"
        #expect(sql.values == [.integer(-1), .integer(Int64(Int32.min)), .integer(Int64(UInt32.max)), .integer(65_535), .integer(0), .text("ab")])
    }

    @Test func rawFragmentsAndListsAndConcatenation() {
        let columns = "id, name"
        let ids: [Int64] = [3, 1, 2]
        let sql: SQL = "SELECT \(raw: columns) FROM t WHERE id IN \(list: ids) AND name <> \("x")"
        #expect(sql.text == "SELECT id, name FROM t WHERE id IN (?, ?, ?) AND name <> ?")
        #expect(sql.values == [.integer(3), .integer(1), .integer(2), .text("x")])
        // An empty list still makes valid SQL that matches nothing: IN (NULL).
        let none: SQL = "id IN \(list: [Int64]())"
        #expect(none.text == "id IN (?)" && none.values == [.null])

        let joined = SQL.joined(["a = \(1)", "b = \(2)", "c = \("three")"], separator: " AND ")
        #expect(joined.text == "a = ? AND b = ? AND c = ?")
        #expect(joined.values == [.integer(1), .integer(2), .text("three")])
        let combined: SQL = "SELECT * FROM t WHERE " + joined + " LIMIT \(10)"
        #expect(combined.text == "SELECT * FROM t WHERE a = ? AND b = ? AND c = ? LIMIT ?")
        #expect(combined.values.count == 4 && combined.values.last == .integer(10))
        #expect(SQL.joined([], separator: ", ").text.isEmpty)
    }

    @Test(arguments: [
        ("SELECT 1", "SELECT 1"),
        ("a = ? AND b = ?", "a = $1 AND b = $2"),
        ("x = '?' AND y = ?", "x = '?' AND y = $1"),
        (#"SELECT "col?" FROM t WHERE z = ?"#, #"SELECT "col?" FROM t WHERE z = $1"#),
        ("'it''s ?' || ? || 'a?b' || ?", "'it''s ?' || $1 || 'a?b' || $2"),
        (#"'"?"' = ? AND "'?'" = ?"#, #"'"?"' = $1 AND "'?'" = $2"#),
        ("?,?,?,?,?,?,?,?,?,?,?", "$1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11"),
        ("VALUES ('é?', ?)", "VALUES ('é?', $1)"),
    ])
    func placeholdersAreNumberedOutsideQuotesOnly(text: String, numbered: String) {
        #expect(SQL(text).numberedText == numbered)
    }
}
