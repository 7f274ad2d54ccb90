import CofferBase
import Testing

struct PagingAndScopeTests {
    @Test(arguments: [("17", 17, ""), ("1700000000000000001.t1", 1_700_000_000_000_000_001, "t1"), ("3.a.b:c", 3, "a.b:c")])
    func cursorsRoundTrip(text: String, position: UInt64, key: String) throws {
        let cursor = try PageCursor(parsing: text)
        #expect(cursor.position == position && cursor.key == key && cursor.text == text)
    }

    @Test(arguments: ["", "s17", "17.", "-1", "12 .x", "18446744073709551616", "1.a b", "x.1"])
    func foreignCursorsAreRefused(text: String) {
        #expect(throws: PagingError.self) { try PageCursor(parsing: text) }
    }

    @Test func pageRequestsCheckTheirLimit() throws {
        #expect(try PageRequest(limit: nil, cursor: nil, maximum: 500).limit == 100)
        #expect(try PageRequest(limit: nil, cursor: nil, maximum: 50).limit == 50)
        #expect(throws: PagingError.self) { try PageRequest(limit: 0, cursor: nil, maximum: 500) }
        #expect(throws: PagingError.self) { try PageRequest(limit: 501, cursor: nil, maximum: 500) }
    }

    /// Rows are read with `LIMIT limit + 1`: the extra row says more remain and is not shown; a
    /// page that is exactly full with nothing after it has no cursor (no empty last page).
    @Test func keysetPagesHaveACursorOnlyWhenMoreRemain() {
        let more = Page.keyset([1, 2, 3, 4], limit: 3) { PageCursor(position: UInt64($0)) }
        #expect(more.items == [1, 2, 3] && more.nextCursor == PageCursor(position: 3))
        let exactlyFull = Page.keyset([1, 2, 3], limit: 3) { PageCursor(position: UInt64($0)) }
        #expect(exactlyFull.items == [1, 2, 3] && exactlyFull.nextCursor == nil)
        let short = Page.keyset([1, 2], limit: 3) { PageCursor(position: UInt64($0)) }
        #expect(short.nextCursor == nil)
    }

    @Test func pagesEncodeAsTheEnvelope() throws {
        let page = Page(items: ["a"], nextCursor: PageCursor(position: 9, key: "a"))
        #expect(try JSONEncoding.text(page) == #"{"data":["a"],"next_cursor":"9.a"}"#)
        #expect(try JSONEncoding.text(Page<String>(items: [], nextCursor: nil)) == #"{"data":[],"next_cursor":null}"#)
    }

    @Test func scopesSeparateTenants() throws {
        let a = try TenantScope("abc234"), b = try TenantScope("abc2345")
        #expect(a.scoped("x") == "abc234/x")
        #expect(a.local("abc234/x") == "x")
        #expect(b.local("abc234/x") == nil)
        #expect(a.local("abc2345/x") == nil)
        #expect(!a.owns("abc2345/x"))
        #expect(throws: ScopeError.self) { try TenantScope("ABC") }
        #expect(throws: ScopeError.self) { try TenantScope("a/b") }
    }

    @Test func amountsAreExact() throws {
        #expect(AmountText.display(1_500_000, decimals: 6) == "1.500000")
        #expect(AmountText.display(5, decimals: 3) == "0.005")
        #expect(try AmountText.parse("340282366920938463463374607431768211455") == UInt128.max)
        #expect(throws: AmountError.self) { try AmountText.parse("340282366920938463463374607431768211456") }
        #expect(try AmountText.parseSigned("-170141183460469231731687303715884105728") == Int128.min)
        #expect(throws: AmountError.self) { try AmountText.parseSigned("-0") }
        #expect(throws: AmountError.self) { try AmountText.parseSigned("170141183460469231731687303715884105728") }
    }

    @Test func categoriesMapToOneTable() {
        #expect(ErrorCategory.allCases.map(\.httpStatus) == [400, 422, 404, 409, 401, 403, 429, 503, 500])
        #expect(ErrorCategory.allCases.filter(\.isRetryable) == [.unavailable])
        #expect(ErrorClassification.isRetryable(ServiceError(.unavailable, "database-unavailable", "down")))
        #expect(!ErrorClassification.isRetryable(ServiceError.invalid("bad")))
        struct Foreign: Error {}
        #expect(ErrorClassification.category(of: Foreign()) == .internal)
    }
}
