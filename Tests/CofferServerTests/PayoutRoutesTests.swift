import Chains
import CofferBase
import CofferCore
import Foundation
import HTTPTypes
import Testing

@testable import CofferServer

/// The payout routes (/v1/chains/{name}/hot-wallet, /v1/payouts) on every backend, over a chain
/// whose deposits a scripted node credits: a payout is reserved once per id (201, then 200 for the
/// same request, 409 for another), rejected with its reason when the account cannot cover it, and
/// bad input is refused with a 4xx problem that names what was wrong and stores nothing.
struct PayoutRoutesTests {
    static let destination = LitecoinNetworks.regtest[0]

    /// `tenant` ready to pay out on its chain "ltc" (litecoin-regtest, one confirmation): a
    /// generated HD wallet "cold" as the hot wallet (2 and 20 sat/vB), a signing policy on it, and
    /// customer account "alice" (debits must not exceed credits) holding 1,000,000 litoshi from a
    /// credited deposit.
    static func setUp(_ server: VaultFixture, _ node: ScriptedChain, as tenant: TestTenant, owner: String = "") async throws {
        for (method, uri, body) in [
            (HTTPRequest.Method.post, "/v1/chains", #"{"name":"ltc","network":"litecoin-regtest","rpc_url":"http://127.0.0.1:1","confirmations":1}"#),
            (.post, "/v1/wallets", #"{"name":"cold","source":"generate","word_count":12}"#),
            (.put, "/v1/chains/ltc/hot-wallet", #"{"wallet":"cold","fallback_fee_rate":2,"max_fee_rate":20}"#),
            (.put, "/v1/policies/cold", #"{"rules":[{"type":"max_per_transaction","asset":"LTC","amount":"100000000"}]}"#),
            (.post, "/v1/accounts", #"{"id":"alice","asset":"LTC","owner":\#(quoted(owner)),"flags":["debits-must-not-exceed-credits"]}"#),
        ] {
            let reply = try await server.api.call(method, uri, as: tenant, body: body)
            try #require((200..<300).contains(reply.status), "\(uri) \(body): \(reply.text)")
        }
        let deposit = try await server.api.call(.post, "/v1/deposit-addresses", as: tenant, body: #"{"chain":"ltc","wallet":"cold","account":"alice"}"#)
        let address = try #require(deposit.data.first?["address"] as? String, "\(deposit.text)")
        node.mine([(address, 1_000_000)])
        try #require(try await server.api.services.chains.syncOnce("ltc", by: try Caller.commandLine(tenantID: tenant.id)).credited == 1)
    }

    /// A payout body with `changes` (raw JSON values) to the valid one: 100,000 litoshi from alice.
    static func payout(_ changes: [String: String] = [:]) -> String {
        ReceivingRoutesTests.object([("id", #""p-1""#), ("chain", #""ltc""#), ("account", #""alice""#), ("to", quoted(destination)),
                                     ("amount", #""100000""#)], changes)
    }

    /// The payouts' tables and what tenant A sees of its money and payouts.
    static func state(_ server: VaultFixture) async throws -> [String] {
        var state: [String] = []
        for table in ["payouts", "payout_hot_wallets", "ledger_accounts", "chain_watch", "server_addresses"] {
            state.append("\(table) \(try await server.count(table))")
        }
        for uri in ["/v1/payouts", "/v1/accounts/alice", "/v1/chains/ltc/hot-wallet", "/v1/totals"] {
            state.append("\(uri) \(try await server.api.call(.get, uri, as: server.adminA).text)")
        }
        return state
    }

    @Test(arguments: ServerBackend.all)
    func reservedOncePerIdAndRejectedWhenNotCovered(_ backend: ServerBackend) async throws {
        let node = ScriptedChain()
        try await VaultFixture.run(backend, sources: node.sources) { server in
            try await Self.setUp(server, node, as: server.adminA)
            let api = server.api
            let hot = try await api.call(.get, "/v1/chains/ltc/hot-wallet", as: server.readerA)
            #expect(hot.status == 200 && hot.string("wallet") == "cold" && hot.string("fee_account") == "fees:ltc"
                    && hot.string("treasury_account") == "treasury:ltc" && hot.object["max_fee_rate"] as? Int == 20, "\(hot.text)")
            // Naming the same wallet again changes the fee rates only.
            let again = try await api.call(.put, "/v1/chains/ltc/hot-wallet", as: server.adminA, body: #"{"wallet":"cold","fallback_fee_rate":3,"max_fee_rate":20}"#)
            #expect(again.status == 200 && again.string("address") == hot.string("address") && again.object["fallback_fee_rate"] as? Int == 3, "\(again.text)")

            // Reserved: the amount and the default fee hold (20 sat/vB x 141 vB) are held on alice.
            let created = try await api.call(.post, "/v1/payouts", as: server.adminA, body: Self.payout())
            #expect(created.status == 201 && created.string("status") == "reserved" && created.string("max_fee") == "2820", "\(created.text)")
            #expect(created.string("id") == "p-1" && created.string("account") == "alice" && created.string("chain") == "ltc" && created.string("asset") == "LTC")
            #expect(created.string("transfer_id")?.contains("/") == false && created.object["reason"] is NSNull && created.object["txid"] is NSNull)
            #expect(try await api.call(.get, "/v1/accounts/alice", as: server.readerA).string("debits_pending") == "102820")
            let reserved = try await Self.state(server)

            // The same id and request: 200 and the same payout, nothing more held.
            let repeated = try await api.call(.post, "/v1/payouts", as: server.adminA, body: Self.payout())
            #expect(repeated.status == 200 && repeated.text == created.text, "\(repeated.text)")
            // The same id with another request: 409, nothing changes.
            let reused = try await api.call(.post, "/v1/payouts", as: server.adminA, body: Self.payout(["amount": #""100001""#]))
            #expect(reused.status == 409 && reused.isClientProblem && reused.problemSlug == "payout-id-reused", "\(reused.text)")
            #expect(reused.string("detail")?.contains(#"payout id "p-1""#) == true)
            #expect(try await Self.state(server) == reserved)
            #expect(try await api.call(.get, "/v1/payouts/p-1", as: server.readerA).text == created.text)

            // An Idempotency-Key still works on top of the id: the stored 201 is replayed.
            let keyed = try await api.call(.post, "/v1/payouts", as: server.adminA, body: Self.payout(["id": #""p-2""#]), idempotencyKey: "pay-2")
            #expect(keyed.status == 201 && keyed.headers[.idempotentReplayed] == nil, "\(keyed.text)")
            let replayed = try await api.call(.post, "/v1/payouts", as: server.adminA, body: Self.payout(["id": #""p-2""#]), idempotencyKey: "pay-2")
            #expect(replayed.status == 201 && replayed.text == keyed.text && replayed.headers[.idempotentReplayed] == "true")
            let otherKey = try await api.call(.post, "/v1/payouts", as: server.adminA, body: Self.payout(["id": #""p-3""#]), idempotencyKey: "pay-2")
            #expect(otherKey.status == 422 && otherKey.problemSlug == "idempotency-key-reused")

            // More than alice has left: stored rejected with the reason, nothing held; repeated, the same answer.
            let balance = try await api.call(.get, "/v1/accounts/alice", as: server.readerA).text
            let uncovered = Self.payout(["id": #""p-4""#, "amount": #""900000""#, "max_fee": #""1000""#])
            let rejected = try await api.call(.post, "/v1/payouts", as: server.adminA, body: uncovered)
            #expect(rejected.status == 201 && rejected.string("status") == "rejected", "\(rejected.text)")
            #expect(rejected.string("reason")?.contains("insufficient funds") == true && rejected.string("max_fee") == "1000")
            #expect(try await api.call(.get, "/v1/accounts/alice", as: server.readerA).text == balance)
            let rejectedAgain = try await api.call(.post, "/v1/payouts", as: server.adminA, body: uncovered)
            #expect(rejectedAgain.status == 200 && rejectedAgain.text == rejected.text)

            // Listed in creation order a page at a time, and by status and chain.
            var ids: [String] = [], cursor: String?, pages = 0
            repeat {
                let page = try await api.call(.get, "/v1/payouts?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: server.readerA)
                try #require(page.status == 200, "\(page.text)")
                ids += page.data.compactMap { $0["id"] as? String }
                cursor = page.object["next_cursor"] as? String
                pages += 1
            } while cursor != nil
            #expect(ids == ["p-1", "p-2", "p-4"] && pages == 2)
            #expect(try await api.call(.get, "/v1/payouts?status=reserved&chain=ltc", as: server.readerA).data.compactMap { $0["id"] as? String } == ["p-1", "p-2"])
            #expect(try await api.call(.get, "/v1/payouts?status=rejected", as: server.readerA).data.compactMap { $0["id"] as? String } == ["p-4"])
            #expect(try await api.call(.get, "/v1/payouts?status=settled", as: server.readerA).data.isEmpty)
        }
    }

    /// Refusals: each a 4xx problem document naming what was wrong, and nothing stored.
    @Test(arguments: ServerBackend.all)
    func badInputIsRefusedAndChangesNothing(_ backend: ServerBackend) async throws {
        let node = ScriptedChain()
        try await VaultFixture.run(backend, sources: node.sources) { server in
            try await Self.setUp(server, node, as: server.adminA)
            // A chain without a hot wallet, an EVM chain, an account that may overdraw, a second HD wallet and a single-key one.
            for (uri, body) in [
                ("/v1/chains", #"{"name":"ltc2","network":"litecoin-regtest","rpc_url":"http://127.0.0.1:1"}"#),
                ("/v1/chains", #"{"name":"evm","network":"evm:1337","rpc_url":"http://127.0.0.1:1"}"#),
                ("/v1/accounts", #"{"id":"shop","asset":"LTC"}"#),
                ("/v1/wallets", #"{"name":"other","source":"generate","word_count":12}"#),
                ("/v1/wallets", #"{"name":"single","source":"private-key","curve":"secp256k1","private_key":"\#(Known.privateKey)"}"#),
            ] {
                let reply = try await server.api.call(.post, uri, as: server.adminA, body: body)
                try #require(reply.status == 201, "\(uri) \(body): \(reply.text)")
            }
            let before = try await Self.state(server)
            let payout = { (changes: [String: String]) in Self.payout(changes) }
            let hot = { (changes: [String: String]) in ReceivingRoutesTests.object([("wallet", #""cold""#)], changes) }
            let cases: [(HTTPRequest.Method, String, String?, Int, String, String)] = [
                (.post, "/v1/payouts", payout(["to": #""rltc1qnotanaddress""#]), 400, "invalid-request", "to: "),
                (.post, "/v1/payouts", payout(["to": #""1BoatSLRHtKNngkdXEeobR76b53LETtpyT""#]), 400, "invalid-request", "to: "),
                (.post, "/v1/payouts", payout(["to": #""""#]), 400, "invalid-request", "to: "),
                (.post, "/v1/payouts", payout(["amount": #""1.5""#]), 400, "invalid-request", "amount"),
                (.post, "/v1/payouts", payout(["amount": "100000"]), 400, "invalid-request", "amount"),
                (.post, "/v1/payouts", payout(["amount": #""-1""#]), 400, "invalid-request", "amount"),
                (.post, "/v1/payouts", payout(["amount": #""340282366920938463463374607431768211456""#]), 400, "invalid-request", "amount"),
                (.post, "/v1/payouts", payout(["amount": #""545""#]), 400, "invalid-request", "amount must be at least 546"),
                (.post, "/v1/payouts", payout(["amount": #""0""#]), 400, "invalid-request", "amount must be at least 546"),
                (.post, "/v1/payouts", payout(["max_fee": #""0""#]), 400, "invalid-request", "max_fee must be more than 0"),
                (.post, "/v1/payouts", payout(["max_fee": #""1e3""#]), 400, "invalid-request", "max_fee"),
                (.post, "/v1/payouts", payout(["asset": #""BTC""#]), 400, "invalid-request", "asset BTC"),
                (.post, "/v1/payouts", payout(["id": #""p 1""#]), 400, "invalid-request", "id must be 1-128 characters"),
                (.post, "/v1/payouts", payout(["id": #""other/p-1""#]), 400, "invalid-request", "id must be 1-128 characters"),
                (.post, "/v1/payouts", payout(["colour": #""red""#]), 400, "invalid-request", "unknown field"),
                (.post, "/v1/payouts", #"{"id":"p-1","chain":"ltc","account":"alice","amount":"100000"}"#, 400, "invalid-request", "to"),
                (.post, "/v1/payouts", "", 400, "invalid-request", "the request body is empty"),
                (.post, "/v1/payouts", payout(["chain": #""nope""#]), 404, "chain-not-found", "no chain \"nope\""),
                (.post, "/v1/payouts", payout(["chain": #""ltc2""#]), 422, "no-hot-wallet", "chain ltc2 has no hot wallet"),
                (.post, "/v1/payouts", payout(["account": #""bob""#]), 422, "account-not-found", "account bob does not exist"),
                (.post, "/v1/payouts", payout(["account": #""shop""#]), 422, "account-may-overdraw", "account shop may go negative"),
                (.put, "/v1/chains/ltc/hot-wallet", hot(["wallet": #""nope""#]), 404, "wallet-not-found", "nope"),
                (.put, "/v1/chains/ltc/hot-wallet", hot(["wallet": #""other""#]), 409, "hot-wallet-exists", "chain ltc pays from another wallet already"),
                (.put, "/v1/chains/ltc/hot-wallet", hot(["fallback_fee_rate": "0"]), 400, "invalid-request", "fee rates are whole sat/vB"),
                (.put, "/v1/chains/ltc/hot-wallet", hot(["fallback_fee_rate": "30", "max_fee_rate": "20"]), 400, "invalid-request", "fallback_fee_rate at most max_fee_rate"),
                (.put, "/v1/chains/ltc/hot-wallet", hot(["max_fee_rate": "10001"]), 400, "invalid-request", "fee rates are whole sat/vB"),
                (.put, "/v1/chains/ltc/hot-wallet", hot(["max_fee_rate": "2.5"]), 400, "invalid-request", "max_fee_rate"),
                (.put, "/v1/chains/ltc/hot-wallet", hot(["chain": #""ltc""#]), 400, "invalid-request", "unknown field"),
                (.put, "/v1/chains/ltc2/hot-wallet", hot(["wallet": #""single""#]), 422, "not-an-hd-wallet", "wallet single holds a single key"),
                (.put, "/v1/chains/evm/hot-wallet", hot(["fallback_fee_rate": "0"]), 400, "invalid-request", "fee rates are whole gwei per gas"),
                (.post, "/v1/sweeps", #"{"id":"sw-1","chain":"ltc"}"#, 422, "nothing-to-sweep", "fewer than two deposit outputs"),
                (.post, "/v1/sweeps", #"{"id":"sw 1","chain":"ltc"}"#, 400, "invalid-request", "id must be 1-64 characters"),
                (.post, "/v1/sweeps", #"{"id":"sw-1","chain":"ltc","max_inputs":1}"#, 400, "invalid-request", "max_inputs must be from 2 to 500"),
                (.post, "/v1/sweeps", #"{"id":"sw-1","chain":"ltc","max_fee_rate":0}"#, 400, "invalid-request", "max_fee_rate is whole sat/vB"),
                (.post, "/v1/sweeps", #"{"id":"sw-1","chain":"ltc2"}"#, 422, "no-hot-wallet", "chain ltc2 has no hot wallet"),
                (.post, "/v1/sweeps", #"{"id":"sw-1","chain":"nope"}"#, 404, "chain-not-found", "no chain \"nope\""),
                (.post, "/v1/payouts", payout(["chain": #""auto""#]), 400, "invalid-request", "asset is required"),
                (.post, "/v1/payouts", payout(["deadline": "60"]), 400, "invalid-request", "deadline routes a payout"),
                (.put, "/v1/chains/nope/hot-wallet", hot([:]), 404, "chain-not-found", "no chain \"nope\""),
                (.get, "/v1/chains/ltc2/hot-wallet", nil, 422, "no-hot-wallet", "chain ltc2 has no hot wallet"),
                (.get, "/v1/chains/nope/hot-wallet", nil, 404, "chain-not-found", "no chain \"nope\""),
                (.get, "/v1/payouts/nope", nil, 404, "payout-not-found", "no payout \"nope\""),
                (.get, "/v1/payouts?status=lost", nil, 400, "invalid-request", "status must be one of: created, reserved"),
                (.get, "/v1/payouts?chain=nope", nil, 404, "chain-not-found", "no chain \"nope\""),
                (.get, "/v1/payouts?colour=red", nil, 400, "invalid-request", "unknown query parameter \"colour\""),
                (.get, "/v1/payouts?limit=1001", nil, 400, "invalid-request", "limit must be a whole number from 1 to 1000"),
                (.get, "/v1/payouts?cursor=zz", nil, 400, "invalid-request", "cursor"),
            ]
            try await server.expectRefusals(cases)
            // Scopes: paying out needs sign, naming a hot wallet admin.
            try await server.expectRefusals([(.post, "/v1/payouts", payout(["id": #""p-9""#]), 403, "insufficient-scope", "the sign scope")], as: server.readerA)
            try await server.expectRefusals([(.post, "/v1/payouts", payout(["id": #""p-9""#]), 403, "insufficient-scope", "the sign scope"),
                                             (.put, "/v1/chains/ltc/hot-wallet", hot([:]), 403, "insufficient-scope", "the admin scope")], as: server.writerA)
            #expect(try await Self.state(server) == before)
            #expect(try await server.api.call(.get, "/v1/payouts", as: server.adminA).data.isEmpty)
        }
    }
}
