import Chains
import CofferBase
import CofferCore
import Foundation
import HTTPTypes
import Testing

@testable import CofferServer

/// The receiving routes (/v1/chains, /v1/deposit-addresses, /v1/deposits, /v1/invoices,
/// /v1/events) on every backend: Idempotency-Key on the POSTs that hand out addresses, bad input
/// refused with a 4xx problem that says what was wrong and changes nothing, pagination, and
/// events after a sequence number.
struct ReceivingRoutesTests {
    /// Tenant A: chain "ltc" (litecoin-regtest, one confirmation) and chain "evm" (evm:1337) with
    /// token TKN; accounts "shop" and "shop-2" (LTC) and "eth" (ETH); HD wallet "cold" and
    /// single-key wallet "hot".
    static func setUp(_ server: VaultFixture) async throws {
        for (uri, body) in [
            ("/v1/chains", #"{"name":"ltc","network":"litecoin-regtest","rpc_url":"http://127.0.0.1:1","confirmations":1}"#),
            ("/v1/chains", #"{"name":"evm","network":"evm:1337","rpc_url":"http://127.0.0.1:1"}"#),
            ("/v1/chains/evm/tokens", #"{"contract":"0xdac17f958d2ee523a2206206994597c13d831ec7","asset":"TKN","decimals":6}"#),
            ("/v1/accounts", #"{"id":"shop","asset":"LTC"}"#),
            ("/v1/accounts", #"{"id":"shop-2","asset":"LTC"}"#),
            ("/v1/accounts", #"{"id":"eth","asset":"ETH"}"#),
            ("/v1/wallets", Known.importMnemonic("cold")),
            ("/v1/wallets", #"{"name":"hot","source":"private-key","curve":"secp256k1","private_key":"\#(Known.privateKey)"}"#),
        ] {
            let reply = try await server.api.call(.post, uri, as: server.adminA, body: body)
            try #require(reply.status == 201, "\(uri) \(body): \(reply.text)")
        }
    }

    /// Every table the receiving side writes, counted, and what tenant A sees: a refused request
    /// changes none of it.
    static func state(_ server: VaultFixture) async throws -> [String] {
        var state: [String] = []
        for table in ["chain_configs", "chain_tokens", "chain_cursors", "chain_watch", "chain_invoices", "chain_deposits", "events",
                      "ledger_assets", "ledger_accounts", "server_addresses"] {
            state.append("\(table) \(try await server.count(table))")
        }
        for uri in ["/v1/chains", "/v1/invoices", "/v1/deposits", "/v1/events", "/v1/totals"] {
            state.append("\(uri) \(try await server.api.call(.get, uri, as: server.adminA).text)")
        }
        return state
    }

    /// A JSON object of `members` (raw JSON values) in order, with `changes` replacing or adding members.
    static func object(_ members: [(String, String)], _ changes: [String: String]) -> String {
        var members = members.map { ($0.0, changes[$0.0] ?? $0.1) }
        members += changes.filter { change in !members.contains { $0.0 == change.key } }.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return "{" + members.map { "\(quoted($0.0)):\($0.1)" }.joined(separator: ",") + "}"
    }

    func invoice(_ server: VaultFixture, _ body: String, key: String? = nil) async throws -> Reply {
        let reply = try await server.api.call(.post, "/v1/invoices", as: server.writerA, body: body, idempotencyKey: key)
        try #require(reply.status == 201, "\(body): \(reply.text)")
        return reply
    }

    @Test(arguments: ServerBackend.all)
    func idempotencyKeysHandOutNothingTwice(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            try await Self.setUp(server)
            let api = server.api
            let body = #"{"chain":"ltc","wallet":"cold","account":"shop","amount":"150000","memo":"order 7"}"#
            let first = try await invoice(server, body, key: "invoice-7")
            let afterFirst = try await Self.state(server)
            let again = try await invoice(server, body, key: "invoice-7")
            #expect(again.text == first.text && again.headers[.idempotentReplayed] == "true")
            #expect(try await Self.state(server) == afterFirst, "a replay hands out no second address and makes no second invoice")
            // The same key with another request is refused; without a key, every request is a new invoice.
            let reused = try await api.call(.post, "/v1/invoices", as: server.writerA, body: body.replacingOccurrences(of: "150000", with: "150001"),
                                            idempotencyKey: "invoice-7")
            #expect(reused.status == 422 && reused.problemSlug == "idempotency-key-reused")
            #expect(try await Self.state(server) == afterFirst)
            let unkeyed = try await invoice(server, body)
            #expect(unkeyed.string("id") != first.string("id") && unkeyed.string("address") != first.string("address"))

            let bind = #"{"chain":"ltc","wallet":"cold","account":"shop","count":2}"#
            let batch = try await api.call(.post, "/v1/deposit-addresses", as: server.writerA, body: bind, idempotencyKey: "bind-1")
            #expect(batch.status == 201 && batch.data.count == 2)
            let watched = try await server.count("chain_watch")
            let replayed = try await api.call(.post, "/v1/deposit-addresses", as: server.writerA, body: bind, idempotencyKey: "bind-1")
            #expect(replayed.status == 201 && replayed.text == batch.text && replayed.headers[.idempotentReplayed] == "true")
            #expect(try await server.count("chain_watch") == watched)
            // The counter moved by two only (after the two invoices' addresses): the next address follows the batch.
            let next = try await api.call(.post, "/v1/deposit-addresses", as: server.writerA, body: #"{"chain":"ltc","wallet":"cold","account":"shop"}"#)
            #expect((batch.data + next.data).map { $0["path"] as? String } == ["m/84'/1'/0'/0/2", "m/84'/1'/0'/0/3", "m/84'/1'/0'/0/4"], "\(batch.text)")
            #expect(Set((batch.data + next.data).compactMap { $0["address"] as? String }).count == 3)
        }
    }

    /// Refusals: each is a 4xx problem document naming what was wrong, and leaves everything as it was.
    @Test(arguments: ServerBackend.all)
    func badInputIsRefusedAndChangesNothing(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            try await Self.setUp(server)
            let before = try await Self.state(server)
            // Valid bodies with some members changed (raw JSON values).
            let chain = { (changes: [String: String]) in
                Self.object([("name", #""ltc2""#), ("network", #""litecoin-regtest""#), ("rpc_url", #""http://127.0.0.1:1""#)], changes)
            }
            let token = { (changes: [String: String]) in
                Self.object([("contract", #""0x1111111111111111111111111111111111111111""#), ("asset", #""TK2""#), ("decimals", "6")], changes)
            }
            let bind = { (changes: [String: String]) in Self.object([("chain", #""ltc""#), ("wallet", #""cold""#), ("account", #""shop""#)], changes) }
            let invoice = { (changes: [String: String]) in
                Self.object([("chain", #""ltc""#), ("wallet", #""cold""#), ("account", #""shop""#), ("amount", #""5000""#)], changes)
            }
            let cases: [(HTTPRequest.Method, String, String?, Int, String, String)] = [
                (.post, "/v1/chains", chain(["network": #""dogecoin-mainnet""#]), 400, "invalid-request", "unknown network"),
                (.post, "/v1/chains", chain(["network": #""tron""#]), 400, "invalid-request", "Bitcoin-like and EVM networks"),
                (.post, "/v1/chains", chain(["network": #""evm:0""#]), 400, "invalid-request", "not an EVM network"),
                (.post, "/v1/chains", chain(["rpc_url": #""http://coffer:hunter2@127.0.0.1:1""#]), 400, "invalid-rpc-url", "must not carry credentials"),
                (.post, "/v1/chains", chain(["rpc_url": #""ftp://127.0.0.1:1""#]), 400, "invalid-rpc-url", "http://host:port"),
                (.post, "/v1/chains", chain(["rpc_cookie_file": #""/etc/passwd""#]), 403, "operator-only", "named by the operator only"),
                (.post, "/v1/chains", chain(["rpc_user": #""coffer""#]), 400, "invalid-request", "rpc_user needs rpc_password_file"),
                (.post, "/v1/chains", chain(["name": #""LTC 2""#]), 400, "invalid-request", "chain name must be 1-64 characters"),
                (.post, "/v1/chains", chain(["start_height": "18446744073709551615"]), 400, "invalid-request", "start_height must be from 0"),
                (.post, "/v1/chains", chain(["confirmations": "0"]), 400, "invalid-request", "confirmations must be from 1 to 10000"),
                (.post, "/v1/chains", chain(["name": #""ltc""#]), 409, "chain-exists", "a chain named ltc exists already"),
                (.post, "/v1/chains", chain(["custody_account": #""eth""#]), 409, "account-mismatch", "custody account eth holds ETH"),
                (.post, "/v1/chains", chain(["colour": #""red""#]), 400, "invalid-request", "unknown field"),
                (.post, "/v1/chains/ltc/tokens", token([:]), 400, "invalid-request", "tokens exist on EVM chains only"),
                (.post, "/v1/chains/nope/tokens", token([:]), 404, "chain-not-found", "no chain \"nope\""),
                (.post, "/v1/chains/evm/tokens", token(["decimals": "31"]), 400, "invalid-request", "decimals must be from 0 to 30"),
                (.post, "/v1/chains/evm/tokens", token(["contract": #""0xdAC17F958D2ee523a2206206994597C13D831eC7""#]), 400, "invalid-request", "checksum"),
                (.post, "/v1/chains/evm/tokens", token(["contract": #""0xdac17f958d2ee523a2206206994597c13d831ec7""#]), 409, "token-exists", "watches"),
                (.post, "/v1/chains/evm/tokens", token(["asset": #""TKN""#, "decimals": "8"]), 409, "asset-mismatch", "asset TKN exists with 6 decimals"),
                (.post, "/v1/deposit-addresses", bind(["chain": #""nope""#]), 404, "chain-not-found", "no chain \"nope\""),
                (.post, "/v1/deposit-addresses", bind(["account": #""eth""#]), 422, "account-asset-mismatch", "account eth holds ETH"),
                (.post, "/v1/deposit-addresses", bind(["account": #""nobody""#]), 422, "account-not-found", "account nobody does not exist"),
                (.post, "/v1/deposit-addresses", bind(["wallet": #""nope""#]), 404, "wallet-not-found", "nope"),
                (.post, "/v1/deposit-addresses", bind(["wallet": #""hot""#]), 422, "not-an-hd-wallet", "holds a single key"),
                (.post, "/v1/deposit-addresses", bind(["count": "0"]), 400, "invalid-request", "count must be a whole number from 1 to 1000"),
                (.post, "/v1/deposit-addresses", bind(["count": "1001"]), 400, "invalid-request", "count must be a whole number from 1 to 1000"),
                (.post, "/v1/deposit-addresses", bind(["scheme": #""p2sh""#]), 400, "invalid-request", "scheme must be one of"),
                (.post, "/v1/deposit-addresses", #"{"chain":"evm","wallet":"cold","account":"eth","scheme":"p2tr"}"#, 400, "invalid-request", "scheme"),
                (.post, "/v1/invoices", invoice(["amount": #""0""#]), 400, "invalid-request", "amount must be more than 0"),
                (.post, "/v1/invoices", invoice(["amount": #""1.5""#]), 400, "invalid-request", "is not a whole number of smallest units"),
                (.post, "/v1/invoices", invoice(["amount": #""-1""#]), 400, "invalid-request", "is not a whole number of smallest units"),
                (.post, "/v1/invoices", invoice(["amount": #""01""#]), 400, "invalid-request", "has leading zeros"),
                (.post, "/v1/invoices", invoice(["amount": #""340282366920938463463374607431768211456""#]), 400, "invalid-request", "exceeds 2^128-1"),
                (.post, "/v1/invoices", invoice(["amount": "5000"]), 400, "invalid-request", "amount"),
                (.post, "/v1/invoices", invoice(["expires_in": "0"]), 400, "invalid-request", "expires_in must be from 1 to 7776000 seconds"),
                (.post, "/v1/invoices", invoice(["expires_in": "7776001"]), 400, "invalid-request", "expires_in must be from 1 to 7776000 seconds"),
                (.post, "/v1/invoices", invoice(["memo": #""pay\u0007me""#]), 400, "invalid-request", "without control characters"),
                // One character on screen, 201 Unicode scalars: the limit counts scalars, as JSON Schema's maxLength does.
                (.post, "/v1/invoices", invoice(["memo": #""e\#(String(repeating: "\\u0301", count: 200))""#]), 400, "invalid-request", "at most 200 characters"),
                (.post, "/v1/invoices", invoice(["asset": #""DOGE""#]), 400, "invalid-request", "asset DOGE is neither LTC nor a token of chain ltc"),
                (.post, "/v1/invoices", invoice(["account": #""eth""#]), 422, "account-asset-mismatch", "account eth holds ETH"),
                (.post, "/v1/invoices", invoice(["chain": #""nope""#]), 404, "chain-not-found", "no chain \"nope\""),
                (.get, "/v1/deposits?colour=red", nil, 400, "invalid-request", "unknown query parameter \"colour\""),
                (.get, "/v1/deposits?status=lost", nil, 400, "invalid-request", "status must be one of: seen, confirming"),
                (.get, "/v1/deposits?chain=nope", nil, 404, "chain-not-found", "no chain \"nope\""),
                (.get, "/v1/deposits?account=no%20id", nil, 400, "invalid-request", "is not an id"),
                (.get, "/v1/deposits?cursor=zz", nil, 400, "invalid-request", "cursor"),
                (.get, "/v1/deposits?limit=1001", nil, 400, "invalid-request", "limit must be a whole number from 1 to 1000"),
                (.get, "/v1/invoices?status=lost", nil, 400, "invalid-request", "status must be one of: open, paid"),
                (.get, "/v1/invoices?since=1", nil, 400, "invalid-request", "unknown query parameter \"since\""),
                (.get, "/v1/invoices?limit=0", nil, 400, "invalid-request", "limit must be a whole number from 1 to 1000"),
                (.get, "/v1/invoices/inv_nope", nil, 404, "invoice-not-found", "no invoice \"inv_nope\""),
                (.get, "/v1/invoices/inv_nope/qr.svg", nil, 404, "invoice-not-found", "no invoice \"inv_nope\""),
                (.get, "/v1/chains/nope", nil, 404, "chain-not-found", "no chain \"nope\""),
                (.get, "/v1/events?after=-1", nil, 400, "invalid-request", "after must be a sequence number"),
                (.get, "/v1/events?after=one", nil, 400, "invalid-request", "after must be a whole number"),
                (.get, "/v1/events?limit=1001", nil, 400, "invalid-request", "limit must be from 1 to 1000"),
                (.get, "/v1/events?since=1", nil, 400, "invalid-request", "unknown query parameter \"since\""),
            ]
            try await server.expectRefusals(cases, neverEchoing: "hunter2")
            // Scopes: reading needs read, handing out addresses write, chains admin.
            try await server.expectRefusals([(.post, "/v1/invoices", invoice([:]), 403, "insufficient-scope", "scope"),
                                             (.post, "/v1/deposit-addresses", bind([:]), 403, "insufficient-scope", "scope")], as: server.readerA)
            try await server.expectRefusals([(.post, "/v1/chains", chain([:]), 403, "insufficient-scope", "scope"),
                                             (.post, "/v1/chains/evm/tokens", token([:]), 403, "insufficient-scope", "scope")], as: server.writerA)
            #expect(try await Self.state(server) == before)
        }
    }

    /// A chain or token whose asset or custody account the tenant made first uses them as they
    /// are (docs: "creates, when missing"); only a different asset or decimals is a conflict.
    @Test(arguments: ServerBackend.all)
    func existingAssetsAndCustodyAccountsAreUsed(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            let api = server.api
            for (uri, body) in [("/v1/assets", #"{"code":"LTC","decimals":8}"#), ("/v1/accounts", #"{"id":"vault-ltc","asset":"LTC","owner":"treasury"}"#),
                                ("/v1/assets", #"{"code":"TKN","decimals":6,"chain":null}"#)] {
                #expect(try await api.call(.post, uri, as: server.adminA, body: body).status == 201)
            }
            let chain = try await api.call(.post, "/v1/chains", as: server.adminA,
                                           body: #"{"name":"ltc","network":"litecoin-regtest","rpc_url":"http://127.0.0.1:1","custody_account":"vault-ltc"}"#)
            #expect(chain.status == 201 && chain.string("custody_account") == "vault-ltc", "\(chain.text)")
            #expect(try await api.call(.get, "/v1/accounts/vault-ltc", as: server.adminA).string("owner") == "treasury")
            #expect(try await api.call(.post, "/v1/chains", as: server.adminA, body: #"{"name":"evm","network":"evm:1337","rpc_url":"http://127.0.0.1:1"}"#).status == 201)
            let token = try await api.call(.post, "/v1/chains/evm/tokens", as: server.adminA,
                                           body: #"{"contract":"0xdac17f958d2ee523a2206206994597c13d831ec7","asset":"TKN","decimals":6}"#)
            #expect(token.status == 201, "\(token.text)")
            #expect(try await api.call(.get, "/v1/accounts/custody:evm:TKN", as: server.adminA).status == 200)
        }
    }

    /// The longest memo (200 scalars of four UTF-8 bytes, twelve characters each in the URI) still
    /// makes a QR code; a memo of one character with 200 combining marks is refused above.
    @Test(arguments: ServerBackend.all)
    func theLongestMemoStillHasAQRCode(_ backend: ServerBackend) async throws {
        try await VaultFixture.run(backend) { server in
            try await Self.setUp(server)
            let memo = String(repeating: "\u{1F4B0}", count: InvoiceService.maximumMemo)
            let created = try await invoice(server, #"{"chain":"ltc","wallet":"cold","account":"shop","amount":"340282366920938463463374607431768211455","memo":\#(quoted(memo))}"#)
            #expect(created.string("memo") == memo && (created.string("uri")?.utf8.count ?? 0) > 2_400)
            let qr = try await server.api.call(.get, "/v1/invoices/\(try #require(created.string("id")))/qr.svg", as: server.readerA)
            #expect(qr.status == 200 && qr.contentType == "image/svg+xml" && qr.text.hasPrefix("<svg"), "\(qr.text.prefix(300))")
        }
    }

    /// Deposits and invoices a page at a time, in the order they came, each exactly once; the
    /// status filters; events after a sequence number.
    @Test(arguments: ServerBackend.all)
    func pagesFiltersAndEventsAfterASequence(_ backend: ServerBackend) async throws {
        let node = ScriptedChain()
        try await VaultFixture.run(backend, sources: node.sources) { server in
            try await Self.setUp(server)
            let api = server.api
            func walk(_ path: String, limit: Int) async throws -> (pages: [Int], items: [[String: Any]]) {
                var pages: [Int] = [], items: [[String: Any]] = [], cursor: String?
                repeat {
                    let separator = path.contains("?") ? "&" : "?"
                    let reply = try await api.call(.get, "\(path)\(separator)limit=\(limit)" + (cursor.map { "&cursor=\($0)" } ?? ""), as: server.readerA)
                    try #require(reply.status == 200, "\(path): \(reply.text)")
                    pages.append(reply.data.count)
                    items += reply.data
                    cursor = reply.json?["next_cursor"] as? String
                } while cursor != nil
                return (pages, items)
            }

            // Five invoices: one to be paid in full, one expiring at once, three left open.
            var invoices: [Reply] = []
            for (amount, expiry) in [("5000", 3600), ("6000", 1), ("7000", 3600), ("8000", 3600), ("9000", 3600)] {
                invoices.append(try await invoice(server, #"{"chain":"ltc","wallet":"cold","account":"shop","amount":"\#(amount)","expires_in":\#(expiry)}"#))
            }
            let ids = invoices.compactMap { $0.string("id") }
            let listed = try await walk("/v1/invoices", limit: 2)
            #expect(listed.pages == [2, 2, 1] && listed.items.compactMap { $0["id"] as? String } == ids)

            // Payments: invoice 0 in full, and five deposits to two accounts over two blocks.
            let addresses = try await api.call(.post, "/v1/deposit-addresses", as: server.writerA, body: #"{"chain":"ltc","wallet":"cold","account":"shop","count":3}"#)
                .data.compactMap { $0["address"] as? String }
            let other = try #require(try await api.call(.post, "/v1/deposit-addresses", as: server.writerA, body: #"{"chain":"ltc","wallet":"cold","account":"shop-2"}"#)
                .data.first?["address"] as? String)
            let invoiceAddress = try #require(invoices[0].string("address"))
            node.mine([(invoiceAddress, 5_000), (addresses[0], 1), (addresses[1], 2)])
            node.mine([(addresses[2], 3), (other, 4)])
            let sync = try await api.services.chains.syncOnce("ltc", by: try Caller.commandLine(tenantID: server.tenantA))
            #expect(sync.credited == 5 && sync.height == 1)
            try await Task.sleep(for: .milliseconds(2_100))  // invoice 1 has expired (times are whole seconds)

            let deposits = try await walk("/v1/deposits", limit: 2)
            #expect(deposits.pages == [2, 2, 1])
            #expect(deposits.items.compactMap { $0["amount"] as? String } == ["5000", "1", "2", "3", "4"])
            #expect(deposits.items.allSatisfy { $0["status"] as? String == "credited" && $0["transfer_id"] is String && $0["chain"] as? String == "ltc" })
            #expect(deposits.items.first?["invoice_id"] as? String == ids[0])
            #expect(try await walk("/v1/deposits?account=shop-2", limit: 1).items.compactMap { $0["amount"] as? String } == ["4"])
            #expect(try await walk("/v1/deposits?chain=ltc&account=shop&status=credited", limit: 3).pages == [3, 1])
            #expect(try await walk("/v1/deposits?status=seen", limit: 10).items.isEmpty)
            #expect(try await api.call(.get, "/v1/accounts/shop-2/balances", as: server.readerA).string("credits_posted") == "4")

            // An open invoice past its expiry is listed as expired, not as open, before the syncer records it.
            let paid = try await walk("/v1/invoices?status=paid", limit: 10).items
            #expect(paid.compactMap { $0["id"] as? String } == [ids[0]] && paid.first?["received"] as? String == "5000")
            let expired = try await walk("/v1/invoices?status=expired", limit: 10).items
            #expect(expired.compactMap { $0["id"] as? String } == [ids[1]] && expired.first?["status"] as? String == "expired", "\(expired) \(ids)")
            let open = try await walk("/v1/invoices?status=open", limit: 2)
            #expect(open.items.compactMap { $0["id"] as? String } == Array(ids[2...]) && open.pages == [2, 1], "\(open) \(ids)")

            // Events: all of them, then after any sequence exactly those that follow it, in order.
            let all = try await api.call(.get, "/v1/events?limit=1000", as: server.readerA).data
            let sequences = all.compactMap { $0["sequence"] as? Int }
            #expect(sequences.count == all.count && sequences == sequences.sorted() && Set(sequences).count == sequences.count)
            let types = all.compactMap { $0["type"] as? String }
            #expect(types.filter { $0 == "invoice.created" }.count == 5 && types.filter { $0 == "deposit.credited" }.count == 5 && types.contains("invoice.paid"))
            #expect(all.allSatisfy { (($0["data"] as? [String: Any])?["chain"] as? String) == "ltc" }, "event data names the tenant's chain")
            for index in [0, 4, sequences.count - 1] {
                let after = try await api.call(.get, "/v1/events?after=\(sequences[index])&limit=3", as: server.readerA).data
                #expect(after.compactMap { $0["sequence"] as? Int } == Array(sequences[(index + 1)...].prefix(3)))
            }
        }
    }
}
