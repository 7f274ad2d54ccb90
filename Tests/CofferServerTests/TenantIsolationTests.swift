import Chains
import CofferStorage
import Wallets
import Tenancy
import CofferCore
import CofferBase
import Foundation
import HTTPTypes
import Hummingbird
import Testing

@testable import CofferServer

/// A key never sees or changes another tenant's data: tenant B's admin key tries every /v1 route
/// on tenant A's resources, including ids both tenants use ("acct-a", "t-1", asset "USD").
@Suite struct TenantIsolationTests {
    @Test(arguments: ServerBackend.all)
    func everyRouteStaysInsideTheCallersTenant(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.tenant("A")
            let b = try await api.tenant("B")
            try await LedgerFixture.build(api, a, decimals: 2, owner: "alice", amount: "100")
            try await LedgerFixture.build(api, b, decimals: 6, owner: "bob", amount: "7")
            // Resources only A has.
            #expect(try await api.call(.post, "/v1/assets", as: a, body: #"{"code":"GOLD","decimals":0}"#).status == 201)
            #expect(try await api.call(.post, "/v1/accounts", as: a, body: #"{"id":"only-a","asset":"USD"}"#).status == 201)
            #expect(try await api.call(.post, "/v1/transfers", as: a,
                                       body: #"{"id":"only-a-t","debit":"only-a","credit":"acct-a","amount":"5","asset":"USD"}"#).status == 201)
            #expect(try await api.call(.post, "/v1/assets", as: a, body: #"{"code":"B2","decimals":1}"#, idempotencyKey: "shared").status == 201)
            let aKeys = try await api.call(.get, "/v1/keys", as: a).text
            let before = try await LedgerFixture.snapshot(api, a, accounts: ["acct-a", "acct-b", "only-a"], assets: ["USD", "GOLD", "B2"])

            var covered = Set<String>()
            func call(_ method: HTTPRequest.Method, _ template: String, _ uri: String, body: String? = nil, key: String? = nil) async throws -> Reply {
                covered.insert("\(method.rawValue) \(template)")
                return try await api.call(method, uri, as: b, body: body, idempotencyKey: key)
            }

            // Assets: B's USD is B's (6 decimals); A's GOLD does not exist for B.
            #expect(try await call(.get, "/v1/assets/{code}", "/v1/assets/USD").json?["decimals"] as? Int == 6)
            #expect(try await call(.get, "/v1/assets/{code}", "/v1/assets/GOLD").status == 404)
            let sameAsset = try await call(.post, "/v1/assets", "/v1/assets", body: #"{"code":"USD","decimals":6}"#)
            #expect(sameAsset.status == 200 && sameAsset.string("result") == "exists")
            // Accounts: the same id is B's own account; A's only-a is invisible.
            let account = try await call(.get, "/v1/accounts/{id}", "/v1/accounts/acct-a")
            #expect(account.string("owner") == "bob" && account.string("credits_posted") == "0" && account.string("debits_posted") == "7")
            for uri in ["/v1/accounts/only-a", "/v1/accounts/only-a/balances", "/v1/accounts/only-a/history"] {
                let template = uri.replacingOccurrences(of: "only-a", with: "{id}")
                #expect(try await call(.get, template, uri).problemSlug == "not-found", "\(uri)")
            }
            #expect(try await call(.get, "/v1/accounts/{id}/balances", "/v1/accounts/acct-b/balances").string("credits_posted") == "7")
            let history = try await call(.get, "/v1/accounts/{id}/history", "/v1/accounts/acct-b/history").json?["data"] as? [[String: Any]]
            #expect(history?.count == 1)
            let accountReply = try await call(.post, "/v1/accounts", "/v1/accounts", body: #"{"id":"acct-a","asset":"USD","owner":"alice"}"#)
            #expect(accountReply.problemSlug == "account-exists", "B's acct-a has owner bob: \(accountReply.text)")
            // Transfers: B cannot move, read or reverse A's.
            let rejected = try await call(.post, "/v1/transfers", "/v1/transfers",
                                          body: #"{"id":"steal","debit":"only-a","credit":"acct-a","amount":"1","asset":"USD"}"#)
            #expect(rejected.problemSlug == "transfer-rejected" && rejected.string("result") == "debit_account_not_found", "\(rejected.text)")
            let batch = try await call(.post, "/v1/transfers/batch", "/v1/transfers/batch",
                                       body: #"{"transfers":[{"id":"steal-2","debit":"only-a","credit":"acct-a","amount":"1","asset":"USD"}]}"#)
            #expect((batch.json?["results"] as? [[String: Any]])?.first?["result"] as? String == "debit_account_not_found", "\(batch.text)")
            let transfer = try await call(.get, "/v1/transfers/{id}", "/v1/transfers/t-1")
            #expect(transfer.string("amount") == "7")
            #expect(try await call(.get, "/v1/transfers/{id}", "/v1/transfers/only-a-t").status == 404)
            let listed = try await call(.get, "/v1/transfers", "/v1/transfers?limit=100").json?["data"] as? [[String: Any]]
            #expect(listed?.compactMap { $0["id"] as? String } == ["t-1"])
            #expect((try await call(.get, "/v1/transfers", "/v1/transfers?account=only-a").json?["data"] as? [Any])?.isEmpty == true)
            let reverse = try await call(.post, "/v1/transfers/{id}/reverse", "/v1/transfers/only-a-t/reverse", body: #"{"id":"undo"}"#)
            #expect(reverse.isClientProblem, "\(reverse.text)")
            let totals = try await call(.get, "/v1/totals", "/v1/totals").json?["data"] as? [[String: Any]]
            #expect(totals?.map { "\($0["asset"] ?? "") \($0["debits_posted"] ?? "")" } == ["USD 7"])
            // Tenancy: B sees itself only and cannot touch A's keys.
            #expect(try await call(.get, "/v1/tenant", "/v1/tenant").string("id") == b.id)
            let bKeys = try await call(.get, "/v1/keys", "/v1/keys")
            #expect(!bKeys.text.contains(a.keyID) && bKeys.text.contains(b.keyID))
            #expect(try await call(.post, "/v1/keys/{id}/revoke", "/v1/keys/\(a.keyID)/revoke").problemSlug == "not-found")
            #expect(try await call(.post, "/v1/keys", "/v1/keys", body: #"{"scopes":["read"]}"#).status == 201)
            // Idempotency keys are per tenant: the key A used, with A's very body, runs B's own request.
            let shared = try await call(.post, "/v1/assets", "/v1/assets", body: #"{"code":"B2","decimals":1}"#, key: "shared")
            #expect(shared.status == 201 && shared.headers[.idempotentReplayed] == nil)

            // B tried every /v1 route but the vault's (VaultTenantIsolationTests tries them across
            // tenants), the receiving side's and the webhooks' (below).
            let ledgerRoutes = Self.routes(api).filter { route in
                !(Self.vaultPrefixes + Self.receivingPrefixes + Self.webhookPrefixes + Self.splitPrefixes + Self.customerPrefixes + Self.marketPrefixes + Self.reconPrefixes).contains { route.split(separator: " ").last?.hasPrefix($0) == true } && !Self.isPayoutRoute(route)
            }
            #expect(Set(ledgerRoutes).subtracting(covered).sorted() == [])

            // A's world is exactly as it was, and A's key still works.
            #expect(try await LedgerFixture.snapshot(api, a, accounts: ["acct-a", "acct-b", "only-a"], assets: ["USD", "GOLD", "B2"]) == before)
            #expect(try await api.call(.get, "/v1/keys", as: a).text == aKeys)
        }
    }

    static let vaultPrefixes = ["/v1/wallets", "/v1/addresses", "/v1/signing-requests", "/v1/policies", "/v1/audit"]
    static let receivingPrefixes = ["/v1/chains", "/v1/deposit-addresses", "/v1/deposits", "/v1/invoices", "/v1/events"]
    static let webhookPrefixes = ["/v1/webhooks"]
    /// Reconciliation and reports: every route tried across tenants in ReconRoutesTests.
    static let reconPrefixes = ["/v1/recon", "/v1/reports"]
    /// Split rules: tenant separation is checked route by route in SplitRoutesTests.
    static let splitPrefixes = ["/v1/split-rules"]
    /// Customers, tiers, limits, cases and AML: tenant separation is checked route by route in
    /// CustomerRoutesTests.everyCustomerRouteStaysInsideTheCallersTenant.
    static let customerPrefixes = ["/v1/customers", "/v1/tiers", "/v1/limits", "/v1/cases", "/v1/aml"]
    /// Market data is shared by every tenant (read only over HTTP); valuations, on their routes and
    /// on the stream (the same `MarketService.portfolio`), stay inside the caller's tenant:
    /// MarketRoutesTests.valuationsStayInsideTheCallersTenant.
    static let marketPrefixes = ["/v1/market", "/v1/valuations", "/v1/format", "/v1/stream"]

    /// Webhooks across tenants: B neither sees nor changes A's endpoint, nor redelivers to it,
    /// and reusing A's Idempotency-Key makes B's own endpoint.
    @Test(arguments: ServerBackend.all)
    func webhookRoutesStayInsideTheCallersTenant(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let api = server.api
            let a = server.adminA, b = server.adminB
            let body = #"{"url":"https://shop.example/a","events":["*"],"enabled":false}"#
            let created = try await api.call(.post, "/v1/webhooks", as: a, body: body, idempotencyKey: "shared")
            let id = try #require(created.string("id"), "\(created.text)")
            let before = try await api.call(.get, "/v1/webhooks/\(id)", as: a).text
            var covered = Set<String>()
            func call(_ method: HTTPRequest.Method, _ template: String, _ uri: String, body: String? = nil, key: String? = nil) async throws -> Reply {
                covered.insert("\(method.rawValue) \(template)")
                return try await api.call(method, uri, as: b, body: body, idempotencyKey: key)
            }
            #expect(try await call(.get, "/v1/webhooks", "/v1/webhooks").data.isEmpty)
            for (method, template, body) in [(HTTPRequest.Method.get, "/v1/webhooks/{id}", nil), (.delete, "/v1/webhooks/{id}", nil),
                                             (.post, "/v1/webhooks/{id}/enable", nil), (.post, "/v1/webhooks/{id}/disable", nil),
                                             (.post, "/v1/webhooks/{id}/rotate-secret", nil), (.get, "/v1/webhooks/{id}/deliveries", nil),
                                             (.post, "/v1/webhooks/{id}/redeliver", #"{"event":1}"#)] as [(HTTPRequest.Method, String, String?)] {
                let reply = try await call(method, template, template.replacingOccurrences(of: "{id}", with: id), body: body)
                #expect(reply.status == 404 && reply.problemSlug == "webhook-not-found", "\(method) \(template): \(reply.text)")
            }
            let own = try await call(.post, "/v1/webhooks", "/v1/webhooks", body: body, key: "shared")
            #expect(own.status == 201 && own.headers[.idempotentReplayed] == nil && own.string("id") != id && own.string("secret") != nil)
            let webhookRoutes = Self.routes(api).filter { $0.split(separator: " ").last?.hasPrefix("/v1/webhooks") == true }
            #expect(webhookRoutes.count == 9 && Set(webhookRoutes).subtracting(covered).sorted() == [])
            #expect(try await api.call(.get, "/v1/webhooks/\(id)", as: a).text == before)
            #expect(try await api.call(.get, "/v1/webhooks", as: a).data.map { $0["id"] as? String } == [id])
        }
    }

    /// The payout routes: /v1/payouts, /v1/sweeps and a chain's hot wallet (tried in `payoutRoutesStayInsideTheCallersTenant`).
    static func isPayoutRoute(_ route: String) -> Bool {
        let path = route.split(separator: " ").last ?? ""
        return path.hasPrefix("/v1/payouts") || path.hasPrefix("/v1/sweeps") || path.hasSuffix("/hot-wallet")
    }

    /// "METHOD /v1/path/{param}" for every /v1 route.
    static func routes(_ api: APIUnderTest) -> [String] {
        CofferServer.router(settings: ServerSettings(), services: api.services).routes
            .filter { $0.path.description.hasPrefix("/v1/") }
            .map { "\($0.method.rawValue) " + $0.path.components.map { $0.description.hasPrefix(":") ? "{\($0.description.dropFirst())}" : $0.description }
                .joined(separator: "/").replacingOccurrences(of: "v1/", with: "/v1/", options: .anchored) }
    }

    /// The receiving side across tenants: B never sees, uses or changes A's chains, deposits,
    /// invoices or events, though both name a chain "ltc" and an account "shop", both chains
    /// follow the same node, and B reuses A's Idempotency-Key.
    @Test(arguments: ServerBackend.all)
    func receivingRoutesStayInsideTheCallersTenant(_ backend: ServerBackend) async throws {
        let node = ScriptedChain()
        try await VaultFixture.run(backend, sources: node.sources) { server in
            let api = server.api
            let a = server.adminA, b = server.adminB
            func created(_ uri: String, _ body: String, as tenant: TestTenant, key: String? = nil) async throws -> Reply {
                let reply = try await api.call(.post, uri, as: tenant, body: body, idempotencyKey: key)
                try #require(reply.status == 201, "\(uri) \(body): \(reply.text)")
                return reply
            }
            // A: chains ltc and evm (with a token), account shop, an HD wallet, a deposit address, an invoice and a credited deposit.
            _ = try await created("/v1/chains", #"{"name":"ltc","network":"litecoin-regtest","rpc_url":"http://127.0.0.1:1","confirmations":1}"#, as: a)
            _ = try await created("/v1/chains", #"{"name":"evm","network":"evm:1337","rpc_url":"http://127.0.0.1:1"}"#, as: a)
            _ = try await created("/v1/chains/evm/tokens", #"{"contract":"0xdac17f958d2ee523a2206206994597c13d831ec7","asset":"TKN","decimals":6}"#, as: a)
            _ = try await created("/v1/accounts", #"{"id":"shop","asset":"LTC"}"#, as: a)
            let wallet = try await created("/v1/wallets", Known.importMnemonic("cold"), as: a)
            let walletID = try #require(wallet.string("id"))
            let address = try #require(try await created("/v1/deposit-addresses", #"{"chain":"ltc","wallet":"cold","account":"shop"}"#, as: a)
                .data.first?["address"] as? String)
            let invoiceBody = #"{"chain":"ltc","wallet":"cold","account":"shop","amount":"5000"}"#
            let invoice = try #require(try await created("/v1/invoices", invoiceBody, as: a, key: "shared").string("id"))
            node.mine([(address, 7_000)])
            #expect(try await api.services.chains.syncOnce("ltc", by: try Caller.commandLine(tenantID: a.id)).credited == 1)
            let views = ["/v1/chains", "/v1/chains/ltc", "/v1/chains/evm", "/v1/deposits", "/v1/invoices", "/v1/invoices/\(invoice)", "/v1/events",
                         "/v1/accounts/shop", "/v1/accounts/custody:ltc", "/v1/totals"]
            func snapshot() async throws -> [String] {
                var texts: [String] = []
                for uri in views { texts.append("\(uri) \(try await api.call(.get, uri, as: a).text)") }
                return texts
            }
            let before = try await snapshot()
            #expect(before.joined().contains(#""status":"credited""#))

            var covered = Set<String>()
            func call(_ method: HTTPRequest.Method, _ template: String, _ uri: String, body: String? = nil, key: String? = nil) async throws -> Reply {
                covered.insert("\(method.rawValue) \(template)")
                return try await api.call(method, uri, as: b, body: body, idempotencyKey: key)
            }
            // Nothing of A's is listed or found.
            #expect(try await call(.get, "/v1/chains", "/v1/chains").data.isEmpty)
            for name in ["ltc", "evm"] {
                #expect(try await call(.get, "/v1/chains/{name}", "/v1/chains/\(name)").problemSlug == "chain-not-found")
            }
            #expect(try await call(.get, "/v1/deposits", "/v1/deposits").data.isEmpty)
            #expect(try await call(.get, "/v1/deposits", "/v1/deposits?account=shop").data.isEmpty)
            #expect(try await call(.get, "/v1/deposits", "/v1/deposits?chain=ltc").problemSlug == "chain-not-found")
            #expect(try await call(.get, "/v1/invoices", "/v1/invoices").data.isEmpty)
            #expect(try await call(.get, "/v1/invoices/{id}", "/v1/invoices/\(invoice)").problemSlug == "invoice-not-found")
            #expect(try await call(.get, "/v1/invoices/{id}/qr.svg", "/v1/invoices/\(invoice)/qr.svg").problemSlug == "invoice-not-found")
            #expect(try await call(.get, "/v1/events", "/v1/events").data.isEmpty)
            // Nothing of A's can be used.
            #expect(try await call(.post, "/v1/chains/{name}/tokens", "/v1/chains/evm/tokens",
                                   body: #"{"contract":"0xdac17f958d2ee523a2206206994597c13d831ec7","asset":"TKN","decimals":6}"#).problemSlug == "chain-not-found")
            #expect(try await call(.post, "/v1/deposit-addresses", "/v1/deposit-addresses",
                                   body: #"{"chain":"ltc","wallet":"cold","account":"shop"}"#).problemSlug == "chain-not-found")
            #expect(try await call(.post, "/v1/invoices", "/v1/invoices", body: invoiceBody).problemSlug == "chain-not-found")

            // B's own chain of the same name follows the same node: A's payment is not B's, and
            // A's wallet and account are not B's to bind.
            let bChain = try await call(.post, "/v1/chains", "/v1/chains", body: #"{"name":"ltc","network":"litecoin-regtest","rpc_url":"http://127.0.0.1:1","confirmations":1}"#)
            #expect(bChain.status == 201 && bChain.string("name") == "ltc" && bChain.string("custody_account") == "custody:ltc", "\(bChain.text)")
            #expect(try await call(.post, "/v1/deposit-addresses", "/v1/deposit-addresses",
                                   body: #"{"chain":"ltc","wallet":"\#(walletID)","account":"shop"}"#).problemSlug == "account-not-found")
            _ = try await created("/v1/accounts", #"{"id":"shop","asset":"LTC"}"#, as: b)
            #expect(try await call(.post, "/v1/deposit-addresses", "/v1/deposit-addresses",
                                   body: #"{"chain":"ltc","wallet":"\#(walletID)","account":"shop"}"#).problemSlug == "wallet-not-found")
            // B's Idempotency-Key "shared", with A's very body, runs B's own request.
            _ = try await created("/v1/wallets", #"{"name":"cold","source":"generate","word_count":12}"#, as: b)
            let bInvoice = try await call(.post, "/v1/invoices", "/v1/invoices", body: invoiceBody, key: "shared")
            #expect(bInvoice.status == 201 && bInvoice.headers[.idempotentReplayed] == nil && bInvoice.string("id") != invoice, "\(bInvoice.text)")
            #expect(try await api.services.chains.syncOnce("ltc", by: try Caller.commandLine(tenantID: b.id)).credited == 0)
            #expect(try await call(.get, "/v1/deposits", "/v1/deposits").data.isEmpty)
            let bEvents = try await call(.get, "/v1/events", "/v1/events?after=0").data
            #expect(bEvents.map { $0["type"] as? String } == ["invoice.created"] && bEvents.first?["subject"] as? String == bInvoice.string("id"))

            // B tried every receiving route, and A's world is as it was.
            let receiving = Self.routes(api).filter { route in
                Self.receivingPrefixes.contains { route.split(separator: " ").last?.hasPrefix($0) == true } && !Self.isPayoutRoute(route)
            }
            #expect(receiving.count >= 11 && Set(receiving).subtracting(covered).sorted() == [])
            #expect(try await snapshot() == before)
        }
    }

    /// Payouts across tenants: B never sees A's payouts or hot wallet, cannot pay from A's chain or
    /// account, and its own payout under A's id, from its own account of A's name, is B's alone.
    @Test(arguments: ServerBackend.all)
    func payoutRoutesStayInsideTheCallersTenant(_ backend: ServerBackend) async throws {
        let node = ScriptedChain()
        try await VaultFixture.run(backend, sources: node.sources) { server in
            let api = server.api
            let a = server.adminA, b = server.adminB
            try await PayoutRoutesTests.setUp(server, node, as: a)
            let aPayout = try await api.call(.post, "/v1/payouts", as: a, body: PayoutRoutesTests.payout())
            try #require(aPayout.status == 201, "\(aPayout.text)")
            let views = ["/v1/payouts", "/v1/payouts/p-1", "/v1/chains/ltc/hot-wallet", "/v1/accounts/alice", "/v1/totals"]
            func snapshot() async throws -> [String] {
                var texts: [String] = []
                for uri in views { texts.append("\(uri) \(try await api.call(.get, uri, as: a).text)") }
                return texts + ["payouts \(try await server.count("payouts"))"]
            }
            let before = try await snapshot()

            var covered = Set<String>()
            func call(_ method: HTTPRequest.Method, _ template: String, _ uri: String, body: String? = nil) async throws -> Reply {
                covered.insert("\(method.rawValue) \(template)")
                return try await api.call(method, uri, as: b, body: body)
            }
            // Nothing of A's is listed or found, in B's names or in A's stored ones.
            #expect(try await call(.get, "/v1/payouts", "/v1/payouts").data.isEmpty)
            #expect(try await call(.get, "/v1/payouts", "/v1/payouts?chain=ltc").problemSlug == "chain-not-found")
            #expect(try await call(.get, "/v1/payouts/{id}", "/v1/payouts/p-1").problemSlug == "payout-not-found")
            #expect(try await call(.get, "/v1/payouts/{id}", "/v1/payouts/\(a.id)%2Fp-1").status == 404)
            #expect(try await call(.get, "/v1/chains/{name}/hot-wallet", "/v1/chains/ltc/hot-wallet").problemSlug == "chain-not-found")
            // Nothing of A's can be used: not its chain, not its wallet, not its account.
            #expect(try await call(.post, "/v1/payouts", "/v1/payouts", body: PayoutRoutesTests.payout()).problemSlug == "chain-not-found")
            #expect(try await call(.put, "/v1/chains/{name}/hot-wallet", "/v1/chains/ltc/hot-wallet", body: #"{"wallet":"cold"}"#).problemSlug == "chain-not-found")
            #expect(try await call(.post, "/v1/sweeps", "/v1/sweeps", body: #"{"id":"sw-1","chain":"ltc"}"#).problemSlug == "chain-not-found")
            let bChain = try await api.call(.post, "/v1/chains", as: b, body: #"{"name":"ltc","network":"litecoin-regtest","rpc_url":"http://127.0.0.1:1","confirmations":1}"#)
            #expect(bChain.status == 201, "\(bChain.text)")
            let aWallet = try #require(try await api.call(.get, "/v1/wallets/cold", as: a).string("id"))
            #expect(try await api.call(.put, "/v1/chains/ltc/hot-wallet", as: b, body: #"{"wallet":"\#(aWallet)"}"#).problemSlug == "wallet-not-found")
            _ = try await api.call(.post, "/v1/wallets", as: b, body: #"{"name":"cold","source":"generate","word_count":12}"#)
            #expect(try await api.call(.put, "/v1/chains/ltc/hot-wallet", as: b, body: #"{"wallet":"cold"}"#).status == 200)
            #expect(try await api.call(.post, "/v1/payouts", as: b, body: PayoutRoutesTests.payout(["id": #""p-b""#])).problemSlug == "account-not-found")
            #expect(try await api.call(.post, "/v1/payouts", as: b, body: PayoutRoutesTests.payout(["id": #""p-b""#, "account": quoted("\(a.id)/alice")])).status == 400)

            // B's own alice, funded by B's deposit: B's payout "p-1" is B's, from B's money.
            _ = try await api.call(.post, "/v1/accounts", as: b, body: #"{"id":"alice","asset":"LTC","flags":["debits-must-not-exceed-credits"]}"#)
            let address = try #require(try await api.call(.post, "/v1/deposit-addresses", as: b, body: #"{"chain":"ltc","wallet":"cold","account":"alice"}"#)
                .data.first?["address"] as? String)
            node.mine([(address, 300_000)])
            #expect(try await api.services.chains.syncOnce("ltc", by: try Caller.commandLine(tenantID: b.id)).credited == 1)
            let bPayout = try await call(.post, "/v1/payouts", "/v1/payouts", body: PayoutRoutesTests.payout())
            #expect(bPayout.status == 201 && bPayout.string("status") == "reserved" && bPayout.string("id") == "p-1" && bPayout.string("account") == "alice", "\(bPayout.text)")
            #expect(bPayout.string("max_fee") == "14100", "B's hot wallet has the default rates: \(bPayout.text)")
            #expect(try await api.call(.get, "/v1/accounts/alice", as: b).string("debits_pending") == "114100")
            #expect(try await call(.get, "/v1/payouts/{id}", "/v1/payouts/p-1").text == bPayout.text)
            #expect(try await call(.get, "/v1/payouts", "/v1/payouts?chain=ltc").data.count == 1)
            #expect(try await call(.get, "/v1/chains/{name}/hot-wallet", "/v1/chains/ltc/hot-wallet").string("fee_account") == "fees:ltc")

            // B tried every payout route, and A's world is as it was.
            let payoutRoutes = Self.routes(api).filter(Self.isPayoutRoute)
            #expect(payoutRoutes.count == 6 && Set(payoutRoutes).subtracting(covered).sorted() == [])
            #expect(try await snapshot().dropLast() == before.dropLast())
            #expect(try await server.count("payouts") == 2)
        }
    }
}
