import CofferBase
import CofferCore
import Foundation
import HTTPTypes
import Testing

@testable import CofferServer

/// The customer routes on every backend: customers and limits per tenant, reservations that a
/// limit refuses as a 422 problem naming the limit and what remains (nothing stored), the same
/// check in the payout route, another tenant seeing nothing, and bad input refused without a change.
struct CustomerRoutesTests {
    /// Tenant A: asset USD, account alice:usd owned by customer alice (verified) holding 5,000,
    /// and a verified-tier daily limit of 1,000.
    static func setUp(_ server: VaultFixture) async throws {
        for (method, uri, body) in [
            (HTTPRequest.Method.post, "/v1/assets", #"{"code":"USD","decimals":2}"#),
            (.post, "/v1/accounts", #"{"id":"bank","asset":"USD"}"#),
            (.post, "/v1/accounts", #"{"id":"alice:usd","asset":"USD","owner":"alice","flags":["debits-must-not-exceed-credits"]}"#),
            (.post, "/v1/transfers", #"{"id":"fund","debit":"bank","credit":"alice:usd","amount":"5000","asset":"USD"}"#),
            (.post, "/v1/customers", #"{"id":"alice","tier":"verified"}"#),
            (.put, "/v1/limits", #"{"tier":"verified","asset":"USD","daily":"1000"}"#),
        ] {
            let reply = try await server.api.call(method, uri, as: server.adminA, body: body)
            try #require((200..<300).contains(reply.status), "\(uri) \(body): \(reply.text)")
        }
    }

    static func reservation(_ id: String, _ amount: String, extra: String = "") -> String {
        #"{"id":"\#(id)","customer":"alice","account":"alice:usd","asset":"USD","amount":"\#(amount)"\#(extra)}"#
    }

    @Test(arguments: ServerBackend.all)
    func reservationsAgainstLimitsPerTenant(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            try await Self.setUp(server)
            let api = server.api
            let first = try await api.call(.post, "/v1/limits/reservations", as: server.adminA, body: Self.reservation("r1", "600"))
            #expect(first.status == 201 && first.object["result"] as? String == "reserved", "\(first.text)")
            let again = try await api.call(.post, "/v1/limits/reservations", as: server.adminA, body: Self.reservation("r1", "600"))
            #expect(again.status == 200 && again.object["result"] as? String == "reserved", "\(again.text)")

            func window() async throws -> String {
                let usage = try await api.call(.get, "/v1/customers/alice/usage?asset=USD", as: server.adminA).object
                return ["daily", "weekly", "monthly", "payouts_per_day"].map { window in
                    let standing = usage[window] as? [String: Any] ?? [:]
                    return "\(window) \(standing["used"] as? String ?? "-") \(standing["remaining"] as? String ?? "-")"
                }.joined(separator: "; ")
            }
            let before = try await window()
            let refused = try await api.call(.post, "/v1/limits/reservations", as: server.adminA, body: Self.reservation("r2", "500"))
            #expect(refused.status == 422 && refused.object["code"] as? String == "limit-exceeded", "\(refused.text)")
            #expect(refused.object["limit"] as? String == "daily" && refused.object["remaining"] as? String == "400", "\(refused.text)")
            #expect(refused.contentType == "application/problem+json")
            #expect(try await server.count("customer_limit_entries") == 1)
            #expect(try await window() == before)
            let usage = try await api.call(.get, "/v1/customers/alice/usage?asset=USD", as: server.adminA)
            #expect((usage.object["daily"] as? [String: Any])?["remaining"] as? String == "400", "\(usage.text)")

            // Released, the amount is back in the window.
            let released = try await api.call(.post, "/v1/limits/reservations/r1/release", as: server.adminA, body: "{}")
            #expect(released.status == 200 && released.object["result"] as? String == "voided", "\(released.text)")
            #expect(try await api.call(.post, "/v1/limits/reservations", as: server.adminA, body: Self.reservation("r2", "900")).status == 201)

            // Tenant B sees none of it, and cannot reserve on A's account.
            #expect(try await api.call(.get, "/v1/customers/alice", as: server.adminB).status == 404)
            #expect(try await api.call(.get, "/v1/customers", as: server.adminB).data.isEmpty)
            let foreign = try await api.call(.post, "/v1/limits/reservations", as: server.adminB, body: Self.reservation("r3", "1"))
            #expect(foreign.status == 404, "\(foreign.text)")
            #expect(try await api.call(.get, "/v1/limits", as: server.adminB).data.isEmpty)

            // Bad input: a clear 4xx, nothing stored.
            let entries = try await server.count("customer_limit_entries")
            for (body, status, code) in [
                (Self.reservation("r4", "12.5"), 400, "invalid-request"),
                (Self.reservation("r4", "5", extra: #","at":"yesterday""#), 400, "invalid-request"),
                (Self.reservation("r4", "5", extra: #","surprise":1"#), 400, "invalid-request"),
                (#"{"id":"r4","customer":"nobody","account":"alice:usd","asset":"USD","amount":"5"}"#, 404, "customer-not-found"),
            ] {
                let reply = try await api.call(.post, "/v1/limits/reservations", as: server.adminA, body: body)
                #expect(reply.status == status && reply.object["code"] as? String == code, "\(body): \(reply.text)")
            }
            #expect(try await server.count("customer_limit_entries") == entries)
            let kyc = try await api.call(.post, "/v1/customers/alice/kyc", as: server.adminA, body: #"{"state":"verified","reason":"skip"}"#)
            #expect(kyc.status == 422 && kyc.object["code"] as? String == "kyc-transition-refused", "\(kyc.text)")
            let reader = try await api.call(.put, "/v1/limits", as: server.readerA, body: #"{"tier":"verified","asset":"USD","daily":"9"}"#)
            #expect(reader.status == 403, "\(reader.text)")
        }
    }

    /// A payout from a customer's account passes the same check in the commit that holds it.
    @Test(arguments: ServerBackend.all)
    func payoutsAreLimitedByTheirCustomer(_ backend: ServerBackend) async throws {
        let node = ScriptedChain()
        try await VaultFixture.run(backend, sources: node.sources) { server in
            try await PayoutRoutesTests.setUp(server, node, as: server.adminA, owner: "alice")
            let api = server.api
            for (method, uri, body) in [
                (HTTPRequest.Method.post, "/v1/customers", #"{"id":"alice","tier":"restricted"}"#),
                (.post, "/v1/customers", #"{"id":"bob"}"#),
                (.put, "/v1/limits", #"{"tier":"restricted","asset":"LTC","per_tx":"50000","daily":"120000"}"#),
            ] {
                let reply = try await api.call(method, uri, as: server.adminA, body: body)
                try #require((200..<300).contains(reply.status), "\(uri): \(reply.text)")
            }
            let over = try await api.call(.post, "/v1/payouts", as: server.adminA, body: PayoutRoutesTests.payout())
            #expect(over.status == 422 && over.object["code"] as? String == "limit-exceeded" && over.object["limit"] as? String == "per_tx", "\(over.text)")
            #expect(try await server.count("payouts") == 0)
            let fits = try await api.call(.post, "/v1/payouts", as: server.adminA, body: PayoutRoutesTests.payout(["amount": #""40000""#, "customer": #""alice""#]))
            #expect(fits.status == 201 && fits.object["status"] as? String == "reserved", "\(fits.text)")
            let usage = try await api.call(.get, "/v1/customers/alice/usage?asset=LTC", as: server.adminA)
            #expect((usage.object["daily"] as? [String: Any])?["used"] as? String == "40000", "\(usage.text)")
            let wrongCustomer = try await api.call(.post, "/v1/payouts", as: server.adminA,
                                                   body: PayoutRoutesTests.payout(["id": #""p-2""#, "amount": #""1000""#, "customer": #""bob""#]))
            #expect(wrongCustomer.status == 422 && wrongCustomer.object["code"] as? String == "account-not-owned", "\(wrongCustomer.text)")
        }
    }

    /// Tenant B tries every customer route on A's things: A's customer, tier, limits, reservation,
    /// case and alert are never seen, used or changed, and B's own are B's alone.
    @Test(arguments: ServerBackend.all)
    func everyCustomerRouteStaysInsideTheCallersTenant(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            try await Self.setUp(server)
            let api = server.api
            let a = server.adminA, b = server.adminB
            for (method, uri, body) in [
                (HTTPRequest.Method.post, "/v1/limits/reservations", Self.reservation("r1", "600")),
                (.put, "/v1/tiers/gold", #"{"rank":25}"#),
                (.post, "/v1/cases", #"{"id":"c1","customer":"alice","kind":"appeal","statement":"why"}"#),
                (.put, "/v1/aml/screening-lists/ofac", #"{"addresses":["0xabc"]}"#),
            ] {
                let reply = try await api.call(method, uri, as: a, body: body)
                try #require((200..<300).contains(reply.status), "\(uri): \(reply.text)")
            }
            for index in 0..<3 {
                let transfer = #"{"id":"s\#(index)","debit":"bank","credit":"alice:usd","amount":"950000","asset":"USD"}"#
                try #require(try await api.call(.post, "/v1/transfers", as: a, body: transfer).status == 201)
            }
            let alerts = try await api.call(.post, "/v1/aml/scans", as: a, body: "{}")
            let alertKey = try #require(alerts.data.first?["key"] as? String, "\(alerts.text)")
            let before = try await Self.snapshot(api, a, alertKey: alertKey)

            var covered = Set<String>()
            func call(_ method: HTTPRequest.Method, _ template: String, _ uri: String, body: String? = nil) async throws -> Reply {
                covered.insert("\(method.rawValue) \(template)")
                return try await api.call(method, uri, as: b, body: body)
            }
            for (method, template, uri, body) in [
                (HTTPRequest.Method.get, "/v1/customers/{id}", "/v1/customers/alice", nil),
                (.post, "/v1/customers/{id}/tier", "/v1/customers/alice/tier", #"{"tier":"verified","reason":"x"}"#),
                (.post, "/v1/customers/{id}/kyc", "/v1/customers/alice/kyc", #"{"state":"pending","reason":"x"}"#),
                (.get, "/v1/customers/{id}/kyc", "/v1/customers/alice/kyc", nil),
                (.get, "/v1/customers/{id}/usage", "/v1/customers/alice/usage?asset=USD", nil),
                (.post, "/v1/customers/{id}/totp", "/v1/customers/alice/totp", "{}"),
                (.post, "/v1/customers/{id}/totp/verify", "/v1/customers/alice/totp/verify", #"{"code":"123456"}"#),
                (.post, "/v1/limits/reservations/{id}/commit", "/v1/limits/reservations/r1/commit", "{}"),
                (.post, "/v1/limits/reservations/{id}/release", "/v1/limits/reservations/r1/release", "{}"),
                (.post, "/v1/limits/reservations", "/v1/limits/reservations", Self.reservation("r9", "1")),
                (.get, "/v1/cases/{id}", "/v1/cases/c1", nil),
                (.post, "/v1/cases/{id}/decision", "/v1/cases/c1/decision", #"{"decision":"reject","reason":"x"}"#),
                (.post, "/v1/aml/alerts/{id}/disposition", "/v1/aml/alerts/\(alertKey)/disposition", #"{"status":"dismissed","reason":"x"}"#),
            ] as [(HTTPRequest.Method, String, String, String?)] {
                let reply = try await call(method, template, uri, body: body)
                #expect(reply.status == 404, "\(method) \(uri): \(reply.text)")
            }
            #expect(try await call(.get, "/v1/customers", "/v1/customers").data.isEmpty)
            #expect(try await call(.get, "/v1/limits", "/v1/limits").data.isEmpty)
            #expect(try await call(.get, "/v1/cases", "/v1/cases").data.isEmpty)
            #expect(try await call(.get, "/v1/aml/alerts", "/v1/aml/alerts").data.isEmpty)
            #expect(try await call(.get, "/v1/tiers", "/v1/tiers").data.compactMap { $0["name"] as? String } == ["anonymous", "restricted", "verified", "institutional"])
            // B's own of the same names are B's alone.
            #expect(try await call(.post, "/v1/customers", "/v1/customers", body: #"{"id":"alice"}"#).status == 201)
            #expect(try await call(.put, "/v1/tiers/{name}", "/v1/tiers/gold", body: #"{"rank":5}"#).status == 200)
            #expect(try await call(.put, "/v1/limits", "/v1/limits", body: #"{"tier":"anonymous","asset":"USD","daily":"1"}"#).status == 422)
            #expect(try await call(.post, "/v1/cases", "/v1/cases", body: #"{"id":"c1","customer":"alice","kind":"appeal","statement":"mine"}"#).status == 201)
            #expect(try await call(.put, "/v1/aml/screening-lists/{name}", "/v1/aml/screening-lists/ofac", body: #"{"addresses":["0xdef"]}"#).status == 200)
            #expect(try await call(.post, "/v1/aml/scans", "/v1/aml/scans", body: "{}").data.isEmpty)
            let from = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: -86_400))
            let to = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: 60))
            #expect(try await call(.get, "/v1/aml/report", "/v1/aml/report?from=\(from)&to=\(to)").text == "[]")

            let routes = TenantIsolationTests.routes(api).filter { route in
                TenantIsolationTests.customerPrefixes.contains { route.split(separator: " ").last?.hasPrefix($0) == true }
            }
            #expect(routes.count == 25 && Set(routes).subtracting(covered).sorted() == [], "\(routes.count): \(Set(routes).subtracting(covered).sorted())")
            #expect(try await Self.snapshot(api, a, alertKey: alertKey) == before)
        }
    }

    /// What tenant A sees of its customers' side, as text.
    static func snapshot(_ api: APIUnderTest, _ a: TestTenant, alertKey: String) async throws -> [String] {
        var views: [String] = []
        for uri in ["/v1/customers", "/v1/customers/alice", "/v1/customers/alice/kyc", "/v1/limits", "/v1/cases", "/v1/tiers", "/v1/aml/alerts"] {
            let reply = try await api.call(.get, uri, as: a)
            views.append("\(uri) \(reply.status) \(reply.text)")
        }
        let usage = try await api.call(.get, "/v1/customers/alice/usage?asset=USD", as: a).object
        views.append("usage \((usage["daily"] as? [String: Any])?["used"] ?? "")")
        return views
    }
}
