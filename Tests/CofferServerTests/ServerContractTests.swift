import CofferStorage
import Wallets
import Tenancy
import CofferCore
import CofferBase
import Foundation
import HTTPTypes
import Testing

@testable import CofferServer

/// Bad input of every kind gets a 4xx problem document, never a 5xx, and changes nothing;
/// rate and body limits answer 429 (with Retry-After) and 413.
@Suite struct ServerContractTests {
    /// One bad request: what is sent and the status expected.
    struct Case: Sendable, CustomStringConvertible {
        let method: HTTPRequest.Method
        let uri: String
        let body: String?
        let status: Int
        var description: String { "\(method.rawValue) \(uri) \(body?.prefix(60) ?? "")" }
        init(_ method: HTTPRequest.Method, _ uri: String, _ body: String? = nil, _ status: Int = 400) {
            (self.method, self.uri, self.body, self.status) = (method, uri, body, status)
        }
    }

    static func transfer(amount: String) -> String { #"{"id":"t-new","debit":"acct-a","credit":"acct-b","amount":\#(amount),"asset":"USD"}"# }

    static let cases: [Case] = [
        // Unknown routes and wrong methods.
        Case(.get, "/v1/nothing-here", nil, 404), Case(.get, "/nothing", nil, 404), Case(.post, "/v1/accounts/acct-a/close", "{}", 404),
        Case(.delete, "/v1/accounts/acct-a", nil, 405), Case(.put, "/v1/transfers", "{}", 405), Case(.get, "/v1/transfers/batch", nil, 405),
        Case(.patch, "/health", nil, 405), Case(.delete, "/v1/keys", nil, 405), Case(.post, "/openapi.json", "{}", 405),
        // Malformed JSON and wrong shapes.
        Case(.post, "/v1/accounts", "{"), Case(.post, "/v1/accounts", ""), Case(.post, "/v1/accounts", "[]"), Case(.post, "/v1/accounts", "null"),
        Case(.post, "/v1/accounts", "\"acct\""), Case(.post, "/v1/transfers", "{\"id\":"), Case(.post, "/v1/transfers/batch", "[1]"),
        Case(.post, "/v1/accounts", String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000)),
        Case(.post, "/v1/transfers/batch", #"{"transfers":"#.appending(String(repeating: "[", count: 5_000))),
        Case(.post, "/v1/accounts", "{\"id\":\"x\",\"asset\":\"USD\"} trailing"), Case(.post, "/v1/assets", "\u{FEFF}{\"code\":\"X\",\"decimals\":1"),
        // Wrong types.
        Case(.post, "/v1/accounts", #"{"id":1,"asset":"USD"}"#), Case(.post, "/v1/accounts", #"{"id":"x","asset":"USD","code":-1}"#),
        Case(.post, "/v1/accounts", #"{"id":"x","asset":"USD","code":1.5}"#), Case(.post, "/v1/accounts", #"{"id":"x","asset":"USD","flags":"pending"}"#),
        Case(.post, "/v1/assets", #"{"code":"EUR","decimals":"2"}"#), Case(.post, "/v1/assets", #"{"code":"EUR","decimals":31}"#),
        Case(.post, "/v1/assets", #"{"code":"EUR","decimals":1e400}"#), Case(.post, "/v1/transfers", Self.transfer(amount: "100")),
        Case(.post, "/v1/transfers", #"{"id":"t-new","timeout":-1}"#), Case(.post, "/v1/transfers", #"{"id":"t-new","flags":[1]}"#),
        Case(.post, "/v1/keys", #"{"scopes":"admin"}"#), Case(.post, "/v1/keys", #"{"scopes":[]}"#), Case(.post, "/v1/keys", #"{"scopes":["root"]}"#),
        Case(.post, "/v1/keys", #"{"scopes":["read"],"expires_at":"2001-01-01T00:00:00Z"}"#),
        Case(.post, "/v1/transfers/batch", #"{"transfers":[]}"#), Case(.post, "/v1/transfers/batch", #"{"transfers":[7]}"#),
        // Unknown fields.
        Case(.post, "/v1/accounts", #"{"id":"x","asset":"USD","colour":"red"}"#), Case(.post, "/v1/assets", #"{"code":"EUR","decimals":2,"x":null}"#),
        Case(.post, "/v1/transfers", #"{"id":"t-new","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USD","memo":"hi"}"#),
        Case(.post, "/v1/transfers/batch", #"{"transfers":[{"id":"t-new"}],"atomic":true}"#),
        Case(.post, "/v1/transfers/batch", #"{"transfers":[{"id":"t-new","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USD","x":1}]}"#),
        Case(.post, "/v1/keys", #"{"scopes":["read"],"tenant":"other"}"#), Case(.post, "/v1/transfers/t-1/reverse", #"{"id":"r","amount":"1"}"#),
        Case(.post, "/v1/keys/aaaaaaaaaaaaaaaa/revoke", #"{"why":"x"}"#), Case(.get, "/v1/transfers?acount=acct-a"),
        // Bad amounts.
        Case(.post, "/v1/transfers", Self.transfer(amount: #""-1""#)), Case(.post, "/v1/transfers", Self.transfer(amount: #""01""#)),
        Case(.post, "/v1/transfers", Self.transfer(amount: #""1.5""#)), Case(.post, "/v1/transfers", Self.transfer(amount: #""1e3""#)),
        Case(.post, "/v1/transfers", Self.transfer(amount: #"" 1""#)), Case(.post, "/v1/transfers", Self.transfer(amount: #""""#)),
        Case(.post, "/v1/transfers", Self.transfer(amount: #""340282366920938463463374607431768211456""#)),
        Case(.post, "/v1/transfers", Self.transfer(amount: #""+5""#)), Case(.post, "/v1/transfers", Self.transfer(amount: #""0x10""#)),
        Case(.post, "/v1/transfers", Self.transfer(amount: #""1٣""#)), Case(.post, "/v1/transfers", Self.transfer(amount: "1.0")),
        // Bad ids, codes, times, cursors and limits.
        Case(.post, "/v1/accounts", #"{"id":"has space","asset":"USD"}"#), Case(.post, "/v1/accounts", #"{"id":"","asset":"USD"}"#),
        Case(.post, "/v1/accounts", #"{"id":"\#(String(repeating: "a", count: 65))","asset":"USD"}"#),
        Case(.post, "/v1/accounts", #"{"id":"other/acct-a","asset":"USD"}"#), Case(.post, "/v1/accounts", #"{"id":"x","asset":"other/USD"}"#),
        Case(.post, "/v1/accounts", #"{"id":"é","asset":"USD"}"#), Case(.post, "/v1/assets", #"{"code":"US D","decimals":2}"#),
        Case(.post, "/v1/transfers", #"{"id":"t/1","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USD"}"#),
        Case(.post, "/v1/transfers", #"{"id":"t-new","debit":"acct a","credit":"acct-b","amount":"1","asset":"USD"}"#),
        Case(.post, "/v1/transfers/t%2F1/reverse", #"{"id":"r-1"}"#), Case(.post, "/v1/transfers/t-1/reverse", #"{"id":"bad id"}"#),
        Case(.get, "/v1/accounts/has%20space", nil, 404), Case(.get, "/v1/accounts/\(String(repeating: "a", count: 65))", nil, 404),
        Case(.get, "/v1/accounts/x%2Facct-a", nil, 404), Case(.get, "/v1/transfers/%00", nil, 404), Case(.get, "/v1/assets/%F0%9F%92%B0", nil, 404),
        Case(.get, "/v1/accounts/acct-a/balances?at=yesterday"), Case(.get, "/v1/transfers?from=2026-13-01T00:00:00Z"),
        Case(.get, "/v1/transfers?limit=0"), Case(.get, "/v1/transfers?limit=abc"), Case(.get, "/v1/transfers?limit=10001"),
        Case(.get, "/v1/transfers?cursor=zzz"), Case(.get, "/v1/accounts/acct-a/history?cursor=1.%20"), Case(.get, "/v1/transfers?account=bad%20id"),
        Case(.get, "/v1/transfers?reference="),
        // Text that some databases cannot store.
        Case(.post, "/v1/accounts", #"{"id":"x","asset":"USD","metadata":"a\u0000b"}"#),
        Case(.post, "/v1/transfers", #"{"id":"t-new","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USD","reference":"\u0000"}"#),
        Case(.post, "/v1/assets", #"{"code":"EUR","decimals":2,"chain":"\u0000"}"#),
        Case(.post, "/v1/keys", #"{"scopes":["read"],"label":"\u0000"}"#),
    ]

    @Test(arguments: ServerBackend.all)
    func badInputIsA4xxProblemAndChangesNothing(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let tenant = try await api.tenant("T")
            try await LedgerFixture.build(api, tenant, owner: "t", amount: "10")
            let snapshot = { try await LedgerFixture.snapshot(api, tenant, accounts: ["acct-a", "acct-b", "x"], assets: ["USD", "EUR", "X"]) }
            let before = try await snapshot()
            for (index, bad) in Self.cases.enumerated() {
                // Half the cases carry an Idempotency-Key: a stored refusal must not change anything either.
                let reply = try await api.call(bad.method, bad.uri, as: tenant, body: bad.body, idempotencyKey: index % 2 == 0 ? "bad-\(index)" : nil)
                #expect(reply.status == bad.status && reply.isClientProblem, "\(bad) -> \(reply.status) \(reply.text.prefix(300))")
                if reply.status == 405 { #expect(reply.headers[.allow] != nil, "\(bad)") }
            }
            #expect(try await snapshot() == before)
        }
    }

    @Test func wrongMethodsNameTheAllowedOnes() async throws {
        try await withAPI(.sqlite) { api in
            let expected: [(HTTPRequest.Method, String, String?)] = [
                (.delete, "/v1/accounts/acct-a", "GET"), (.put, "/v1/transfers", "GET, POST"), (.get, "/v1/transfers/batch", "POST"),
                (.post, "/v1/transfers/t-1", "GET"), (.get, "/v1/transfers/t-1/reverse", "POST"), (.get, "/v1/nothing", nil),
            ]
            for (method, uri, allow) in expected {
                let reply = try await api.call(method, uri)
                #expect(reply.headers[.allow] == allow, "\(method) \(uri)")
                #expect(reply.status == (allow == nil ? 404 : 405))
            }
        }
    }

    @Test(arguments: ServerBackend.all)
    func authenticationAndScopesAreProblems(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let tenant = try await api.tenant("T")
            let reader = try await api.key(for: tenant, scopes: [.read])
            let noKey = try await api.call(.get, "/v1/totals")
            #expect(noKey.status == 401 && noKey.problemSlug == "unauthenticated" && noKey.isClientProblem)
            let forged = try await api.call(.get, "/v1/totals", headers: [.authorization: "Bearer cfr_\(reader.keyID)_\(String(repeating: "a", count: 52))"])
            #expect(forged.status == 401 && forged.problemSlug == "invalid-key")
            #expect(try await api.call(.get, "/v1/totals", headers: [.authorization: "Basic dXNlcjpwYXNz"]).status == 401)
            let denied = try await api.call(.post, "/v1/assets", as: reader, body: #"{"code":"EUR","decimals":2}"#)
            #expect(denied.status == 403 && denied.problemSlug == "insufficient-scope")
            #expect(try await api.call(.get, "/v1/keys", as: reader).status == 403)
            #expect(try await api.call(.get, "/v1/assets/EUR", as: tenant).status == 404)
            // A revoked key stops working (the key cache holds records for a second).
            let revoked = try await api.key(for: tenant, scopes: [.read])
            #expect(try await api.call(.post, "/v1/keys/\(revoked.keyID)/revoke", as: tenant).status == 200)
            try await Task.sleep(for: .milliseconds(1_100))
            #expect(try await api.call(.get, "/v1/totals", as: revoked).problemSlug == "invalid-key")
        }
    }

    @Test func theRateLimitAnswers429WithRetryAfter() async throws {
        var settings = ServerSettings()
        settings.rateLimit = 1
        settings.rateBurst = 3
        try await withAPI(.sqlite, settings: settings) { api in
            let tenant = try await api.tenant("R")
            let other = try await api.key(for: tenant, scopes: [.read])
            // The burst of 3 is spent by 20 requests sent at once (the bucket refills at 1 per
            // second: sent one after another on a loaded machine, they could all find a token).
            let replies = try await withThrowingTaskGroup(of: (Int, Int, String?, Bool, Int?).self) { group in
                for index in 0..<20 {
                    group.addTask {
                        let reply = try await api.call(.post, "/v1/assets", as: tenant, body: #"{"code":"C\#(index)","decimals":2}"#)
                        return (index, reply.status, reply.problemSlug, reply.isClientProblem, reply.headers[.retryAfter].flatMap { Int($0) })
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let limited = replies.filter { $0.1 == 429 }
            #expect(!limited.isEmpty && replies.filter { $0.1 == 201 }.count >= 3, "\(replies.map(\.1))")
            for reply in limited {
                #expect(reply.2 == "rate-limited" && reply.3)
                #expect(reply.4.map { $0 >= 1 } == true)
            }
            // A limited POST did nothing (one look: the reader's own bucket holds 3).
            if let reply = limited.first {
                #expect(try await api.call(.get, "/v1/assets/C\(reply.0)", as: other).status == 404)
            }
            // Buckets are per key; the operations routes are not limited.
            #expect(try await api.call(.get, "/v1/totals", as: other).status == 200)
            #expect(try await api.call(.get, "/health").status == 200)
        }
    }

    @Test(arguments: ServerBackend.all)
    func oversizedBodiesAre413AndChangeNothing(_ backend: ServerBackend) async throws {
        var settings = ServerSettings()
        settings.maximumBodyBytes = 2_048
        try await withAPI(backend, settings: settings) { api in
            let tenant = try await api.tenant("L")
            let metadata = String(repeating: "m", count: 4_096)
            let body = #"{"code":"EUR","decimals":2,"chain":"\#(metadata)"}"#
            for key in [nil, "big"] {
                let reply = try await api.call(.post, "/v1/assets", as: tenant, body: body, idempotencyKey: key)
                #expect(reply.status == 413 && reply.problemSlug == "body-too-large" && reply.isClientProblem, "\(reply.text)")
            }
            // The refused request left no idempotency record behind.
            #expect(try await api.call(.get, "/v1/assets/EUR", as: tenant).status == 404)
            #expect(try await api.call(.post, "/v1/assets", as: tenant, body: #"{"code":"EUR","decimals":2}"#, idempotencyKey: "big").status == 201)
        }
    }
}
