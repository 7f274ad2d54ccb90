import Chains
import CofferBase
import CofferCore
import Foundation
import HTTPTypes
import Testing

@testable import CofferServer

/// /v1/split-rules on every backend, with the syncer and the real ledger: an account's rule and
/// an invoice's rule divide the tenant's credits exactly, in linked transfers named after the
/// credit; scopes and tenants are kept apart; a removed rule leaves later credits whole.
struct SplitRoutesTests {
    @Test(arguments: ServerBackend.all)
    func rulesDivideTheTenantsCreditsInItsLedger(_ backend: ServerBackend) async throws {
        let node = ScriptedChain()
        try await VaultFixture.run(backend, sources: node.sources) { server in
            try await ReceivingRoutesTests.setUp(server)
            let api = server.api
            for id in ["partner", "fees"] {
                #expect(try await api.call(.post, "/v1/accounts", as: server.adminA, body: #"{"id":"\#(id)","asset":"LTC"}"#).status == 201)
            }
            let rule = #"{"recipients":[{"account":"fees","amount":"100"},{"account":"partner","bps":3333},{"account":"shop-2","bps":3333},{"account":"shop","bps":3334}]}"#
            let uri = "/v1/split-rules/accounts/shop"
            // An account's rule needs admin; another tenant cannot name the account.
            let forbidden = try await api.call(.put, uri, as: server.writerA, body: rule)
            #expect(forbidden.status == 403 && forbidden.string("code") == "insufficient-scope")
            let elsewhere = try await api.call(.put, uri, as: server.adminB, body: rule)
            #expect(elsewhere.status == 422 && elsewhere.string("code") == "account-not-found", "\(elsewhere.text)")
            let refused = try await api.call(.put, uri, as: server.adminA, body: #"{"recipients":[{"account":"eth","bps":10000}]}"#)
            #expect(refused.status == 422 && refused.string("code") == "account-asset-mismatch")
            let uneven = try await api.call(.put, uri, as: server.adminA, body: #"{"recipients":[{"account":"partner","bps":5000}]}"#)
            #expect(uneven.status == 400 && uneven.text.contains("exactly 10000"))
            let both = try await api.call(.put, uri, as: server.adminA, body: #"{"recipients":[{"account":"partner","bps":10000,"amount":"1"}]}"#)
            #expect(both.status == 400 && both.text.contains("either bps or amount"))
            #expect(try await api.call(.get, uri, as: server.readerA).string("code") == "split-rule-not-found")
            let set = try await api.call(.put, uri, as: server.adminA, body: rule)
            #expect(set.status == 200 && set.string("account") == "shop" && set.json?["invoice_id"] is NSNull, "\(set.text)")
            #expect(try await api.call(.get, uri, as: server.readerA).text == set.text)
            #expect(try await api.call(.get, uri, as: server.adminB).status == 422)

            // An invoice of its own rule (set with the write scope), and a deposit address of shop.
            let invoice = try await api.call(.post, "/v1/invoices", as: server.writerA, body: #"{"chain":"ltc","wallet":"cold","account":"shop","amount":"1000"}"#)
            let invoiceID = try #require(invoice.string("id"))
            let invoiceRule = try await api.call(.put, "/v1/split-rules/invoices/\(invoiceID)", as: server.writerA,
                                                 body: #"{"recipients":[{"account":"partner","bps":10000}]}"#)
            #expect(invoiceRule.status == 200 && invoiceRule.string("invoice_id") == invoiceID, "\(invoiceRule.text)")
            #expect(try await api.call(.get, "/v1/split-rules/invoices/\(invoiceID)", as: server.adminB).status == 404)
            let address = try #require(try await api.call(.post, "/v1/deposit-addresses", as: server.writerA,
                                                          body: #"{"chain":"ltc","wallet":"cold","account":"shop"}"#).data.first?["address"] as? String)

            // 100,101 to the address: 100 to fees, then 100,001 by thirds: 33,330.3333 (twice) and
            // 33,340.3334; the unit left over goes to shop's .3334. The invoice's 1,000 all to partner.
            node.mine([(address, 100_101), (try #require(invoice.string("address")), 1_000)])
            let operatorA = try Caller.commandLine(tenantID: server.tenantA)
            #expect(try await api.services.chains.syncOnce("ltc", by: operatorA).credited == 2)
            func balance(_ account: String) async throws -> (credits: String?, debits: String?) {
                let reply = try await api.call(.get, "/v1/accounts/\(account)/balances", as: server.readerA)
                return (reply.string("credits_posted"), reply.string("debits_posted"))
            }
            #expect(try await balance("fees") == ("100", "0"))
            #expect(try await balance("partner") == ("34330", "0"))
            #expect(try await balance("shop-2") == ("33330", "0"))
            #expect(try await balance("shop") == ("101101", "67760"))
            let transfers = try await api.call(.get, "/v1/transfers?account=shop&limit=100", as: server.readerA).data
            let credit = try #require(transfers.first { ($0["credit"] as? String) == "shop" && ($0["amount"] as? String) == "100101" })
            let creditID = try #require(credit["id"] as? String)
            #expect(creditID.hasPrefix("dep-") && credit["flags"] as? [String] == ["linked"])
            let parts = transfers.filter { ($0["id"] as? String)?.hasPrefix(creditID + "-s") == true }
            #expect(parts.compactMap { $0["id"] as? String } == ["s0", "s1", "s2"].map { "\(creditID)-\($0)" })
            #expect(parts.map { $0["flags"] as? [String] ?? [] } == [["linked"], ["linked"], []])
            let events = try await api.call(.get, "/v1/events?limit=1000", as: server.readerA).data
            let splits = events.filter { $0["type"] as? String == "deposit.split" }.compactMap { $0["data"] as? [String: Any] }
            #expect(splits.compactMap { $0["rule"] as? String }.sorted() == ["account", "invoice"])
            let accountSplit = try #require(splits.first { $0["rule"] as? String == "account" })
            #expect(accountSplit["transfer_id"] as? String == creditID)
            let described = (accountSplit["parts"] as? [[String: Any]] ?? []).map { "\($0["account"] ?? ""):\($0["amount"] ?? ""):\($0["transfer_id"] ?? "")" }
            #expect(described == ["fees:100:\(creditID)-s0", "partner:33330:\(creditID)-s1", "shop-2:33330:\(creditID)-s2", "shop:33341:<null>"],
                    "\(described)")
            #expect(try await api.services.ledger.verify(by: try Caller.commandLine()).intact)

            // Removed: the next payment stays whole.
            #expect(try await api.call(.delete, uri, as: server.adminA).text == set.text)
            #expect(try await api.call(.delete, uri, as: server.adminA).status == 404)
            node.mine([(address, 500)])
            #expect(try await api.services.chains.syncOnce("ltc", by: operatorA).credited == 1)
            #expect(try await balance("shop") == ("101601", "67760"))
        }
    }
}
