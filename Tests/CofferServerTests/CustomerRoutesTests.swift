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
}
