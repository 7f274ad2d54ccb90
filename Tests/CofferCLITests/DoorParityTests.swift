import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import CofferTestSupport

/// One core, many doors: every operation that both the CLI and the HTTP API offer gives the same
/// answer through both, on the same database at the same state: the same JSON for a success, the
/// same error code and message for a failure. Writes are compared where they are idempotent (a
/// repeat through the other door answers `exists` with the stored resource).
@Suite(.serialized) struct DoorParityTests {
    /// A running `coffer serve` with an unlocked vault, a tenant and an admin key, and the CLI
    /// acting as that tenant on the same data directory.
    struct Doors {
        let dataDir: String
        let tenant: String
        let key: String
        let base: String
        let server: CofferChildProcess
        let environment: [String: String]

        static func open() async throws -> Doors {
            let directory = TemporaryPaths.make("coffer-doors")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let passphrase = directory.appendingPathComponent("passphrase").path
            try Data("correct horse battery staple\n".utf8).write(to: URL(fileURLWithPath: passphrase))
            let dataDir = directory.appendingPathComponent("data").path
            let environment = ["COFFER_DATA_DIR": dataDir, "COFFER_VAULT_PASSPHRASE_FILE": passphrase, "COFFER_INSECURE_TEST_KDF": "1"]
            #expect(try CofferProcess.run(["vault", "init"], environment: environment).status == 0)
            let tenantLine = try CofferProcess.run(["tenant", "create", "--name", "Acme"], environment: environment).stdout
            let tenant = try #require(tenantLine.split(separator: "\"").dropFirst(3).first.map(String.init))
            let key = try CofferProcess.run(["apikey", "create", "--tenant", tenant, "--scopes", "read,write,sign,approve,admin"], environment: environment)
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let port = ServeCLITests.freePort()
            let base = "http://127.0.0.1:\(port)"
            let server = try CofferChildProcess(["serve", "--port", String(port), "--rate-limit", "0"], input: Data(), environment: environment)
            var up = false
            for _ in 0..<200 where !up {
                up = (try? await ServeCLITests.request("GET", "\(base)/health").0) == 200
                if !up { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(up, "the server did not come up")
            return Doors(dataDir: dataDir, tenant: tenant, key: key, base: base, server: server, environment: environment)
        }

        /// The CLI acting as the tenant.
        func cli(_ arguments: [String], stdin: String? = nil, tenant: Bool = true) throws -> CofferProcess.Result {
            try CofferProcess.run(arguments + (tenant ? ["--tenant", self.tenant] : []), stdin: stdin, environment: environment)
        }

        func http(_ method: String, _ path: String, body: String? = nil) async throws -> (Int, String) {
            try await ServeCLITests.request(method, base + path, key: key, body: body)
        }
    }

    static func json(_ text: some StringProtocol) -> NSObject? {
        try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed]) as? NSObject
    }

    /// The CLI's one JSON line and the HTTP body are the same JSON value.
    static func expectSame(_ name: String, _ cli: CofferProcess.Result, _ http: (Int, String), sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(cli.status == 0, "\(name): CLI failed: \(cli.stderr)", sourceLocation: sourceLocation)
        #expect((200..<300).contains(http.0), "\(name): HTTP \(http.0) \(http.1)", sourceLocation: sourceLocation)
        let cliValue = json(cli.stdout.trimmingCharacters(in: .newlines)), httpValue = json(http.1)
        #expect(cliValue != nil && cliValue == httpValue, "\(name):\n CLI  \(cli.stdout)\n HTTP \(http.1)", sourceLocation: sourceLocation)
    }

    /// The CLI's JSON lines (without the `next_cursor` trailer) are the HTTP page's `data`.
    static func expectSameList(_ name: String, _ cli: CofferProcess.Result, _ http: (Int, String), sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(cli.status == 0 && http.0 == 200, "\(name): CLI \(cli.stderr) HTTP \(http.0) \(http.1)", sourceLocation: sourceLocation)
        let lines = cli.stdoutLines.filter { !$0.hasPrefix(#"{"next_cursor":"#) }.compactMap { json($0) }
        let data = (json(http.1) as? NSDictionary)?["data"] as? NSArray
        #expect(data != nil && NSArray(array: lines) == data, "\(name):\n CLI  \(cli.stdout)\n HTTP \(http.1)", sourceLocation: sourceLocation)
    }

    /// Both doors refuse with the same code and message: the CLI's one error line
    /// `coffer: error: MESSAGE [CODE]`, the problem document's `detail` and `code`.
    static func expectSameError(_ name: String, _ cli: CofferProcess.Result, _ http: (Int, String), sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(cli.status != 0 && (400..<500).contains(http.0), "\(name): CLI \(cli.status) \(cli.stdout) HTTP \(http.0) \(http.1)", sourceLocation: sourceLocation)
        let problem = json(http.1) as? NSDictionary
        let code = problem?["code"] as? String ?? "?", detail = problem?["detail"] as? String ?? "?"
        #expect(cli.stderr == "coffer: error: \(detail) [\(code)]\n", "\(name):\n CLI  \(cli.stderr) HTTP \(http.1)", sourceLocation: sourceLocation)
    }

    @Test func everyOperationBothDoorsOfferAnswersAlike() async throws {
        let doors = try await Doors.open()
        defer {
            doors.server.send(SIGTERM)
            _ = doors.server.finish(within: .seconds(30))
        }

        // Assets: created through one door, the repeat through either answers `exists` alike.
        #expect(try doors.cli(["ledger", "asset", "create", "--code", "USD", "--decimals", "2"]).stdout.contains(#""result":"created""#))
        Self.expectSame("asset create", try doors.cli(["ledger", "asset", "create", "--code", "USD", "--decimals", "2"]),
                        try await doors.http("POST", "/v1/assets", body: #"{"code":"USD","decimals":2}"#))
        Self.expectSame("asset show", try doors.cli(["ledger", "asset", "show", "USD"]), try await doors.http("GET", "/v1/assets/USD"))
        Self.expectSameError("asset changed", try doors.cli(["ledger", "asset", "create", "--code", "USD", "--decimals", "3"]),
                             try await doors.http("POST", "/v1/assets", body: #"{"code":"USD","decimals":3}"#))
        Self.expectSameError("asset code", try doors.cli(["ledger", "asset", "create", "--code", "US D", "--decimals", "2"]),
                             try await doors.http("POST", "/v1/assets", body: #"{"code":"US D","decimals":2}"#))
        Self.expectSameError("asset missing", try doors.cli(["ledger", "asset", "show", "EUR"]), try await doors.http("GET", "/v1/assets/EUR"))

        // Accounts.
        _ = try await doors.http("POST", "/v1/accounts", body: #"{"id":"a","asset":"USD","owner":"alice"}"#)
        Self.expectSame("account create", try doors.cli(["ledger", "account", "create", "--id", "a", "--asset", "USD", "--owner", "alice"]),
                        try await doors.http("POST", "/v1/accounts", body: #"{"id":"a","asset":"USD","owner":"alice"}"#))
        _ = try doors.cli(["ledger", "account", "create", "--id", "b", "--asset", "USD", "--flags", "debits-must-not-exceed-credits"])
        Self.expectSameError("account changed", try doors.cli(["ledger", "account", "create", "--id", "a", "--asset", "USD", "--owner", "bob"]),
                             try await doors.http("POST", "/v1/accounts", body: #"{"id":"a","asset":"USD","owner":"bob"}"#))
        Self.expectSameError("account asset", try doors.cli(["ledger", "account", "create", "--id", "z", "--asset", "EUR"]),
                             try await doors.http("POST", "/v1/accounts", body: #"{"id":"z","asset":"EUR"}"#))
        Self.expectSameError("account flag", try doors.cli(["ledger", "account", "create", "--id", "z", "--asset", "USD", "--flags", "closed"]),
                             try await doors.http("POST", "/v1/accounts", body: #"{"id":"z","asset":"USD","flags":["closed"]}"#))

        // Transfers: a batch, then the same batch through each door (exists, and the same rejection).
        let lines = [#"{"id":"t1","debit":"a","credit":"b","amount":"150","asset":"USD","reference":"order-1"}"#,
                     #"{"id":"t2","debit":"b","credit":"a","amount":"999","asset":"USD"}"#,
                     #"{"id":"p1","debit":"a","credit":"b","amount":"9","asset":"USD","flags":["pending"],"timeout":3600}"#]
        _ = try doors.cli(["ledger", "transfer"], stdin: lines.joined(separator: "\n"))
        let repeated = try doors.cli(["ledger", "transfer"], stdin: lines.joined(separator: "\n"))
        let batch = try await doors.http("POST", "/v1/transfers/batch", body: #"{"transfers":[\#(lines.joined(separator: ","))]}"#)
        let batchResults = (Self.json(batch.1) as? NSDictionary)?["results"] as? NSArray
        #expect(batchResults == NSArray(array: repeated.stdoutLines.compactMap { Self.json($0) }), "batch: \(repeated.stdout) \(batch.1)")
        // The same bad transfer: the doors name its place in their own framing (a line of
        // standard input, an item of the batch) and then say the same thing.
        for bad in [#"{"id":"x","amount":1}"#, #"{"id":"x","debit":"a","credit":"b","amount":"1","asset":"USD","flags":["lnked"]}"#,
                    #"{"id":"x","amount":"1","colour":"red"}"#] {
            let cli = try doors.cli(["ledger", "transfer"], stdin: "\n" + bad)
            let http = try await doors.http("POST", "/v1/transfers/batch", body: #"{"transfers":[{"id":"ok","amount":"1"},\#(bad)]}"#)
            let problem = Self.json(http.1) as? NSDictionary
            let code = problem?["code"] as? String ?? "?", detail = problem?["detail"] as? String ?? "?"
            #expect(http.0 == 400 && detail.hasPrefix("transfers[1]: "), "\(bad): \(http.1)")
            #expect(cli.status == 1 && cli.stderr == "coffer: error: line 2: \(detail.dropFirst("transfers[1]: ".count)); nothing was written [\(code)]\n",
                    "\(bad):\n CLI  \(cli.stderr) HTTP \(http.1)")
        }

        // Reads of the same state.
        Self.expectSame("account show", try doors.cli(["ledger", "show-account", "a"]), try await doors.http("GET", "/v1/accounts/a"))
        Self.expectSame("balances", try doors.cli(["ledger", "balance", "b"]), try await doors.http("GET", "/v1/accounts/b/balances"))
        Self.expectSame("balances then", try doors.cli(["ledger", "balance", "b", "--at", "2001-01-01T00:00:00Z"]),
                        try await doors.http("GET", "/v1/accounts/b/balances?at=2001-01-01T00:00:00Z"))
        Self.expectSameList("history", try doors.cli(["ledger", "history", "a"]), try await doors.http("GET", "/v1/accounts/a/history"))
        Self.expectSame("transfer show", try doors.cli(["ledger", "show-transfer", "t1"]), try await doors.http("GET", "/v1/transfers/t1"))
        Self.expectSameList("transfers", try doors.cli(["ledger", "transfers", "--account", "b"]), try await doors.http("GET", "/v1/transfers?account=b"))
        Self.expectSameList("transfers by reference", try doors.cli(["ledger", "transfers", "--reference", "order-1"]),
                            try await doors.http("GET", "/v1/transfers?reference=order-1"))
        Self.expectSame("totals", try doors.cli(["ledger", "totals"]), try await doors.http("GET", "/v1/totals"))
        Self.expectSameError("history missing", try doors.cli(["ledger", "history", "nobody"]), try await doors.http("GET", "/v1/accounts/nobody/history"))
        Self.expectSameError("bad time", try doors.cli(["ledger", "balance", "a", "--at", "yesterday"]),
                             try await doors.http("GET", "/v1/accounts/a/balances?at=yesterday"))
        Self.expectSameError("bad cursor", try doors.cli(["ledger", "transfers", "--cursor", "s1"]), try await doors.http("GET", "/v1/transfers?cursor=s1"))

        // Reversals.
        #expect(try doors.cli(["ledger", "reverse", "--transfer", "t1", "--id", "r1"]).stdout.contains(#""result":"created""#))
        Self.expectSame("reverse", try doors.cli(["ledger", "reverse", "--transfer", "t1", "--id", "r1"]),
                        try await doors.http("POST", "/v1/transfers/t1/reverse", body: #"{"id":"r1"}"#))
        Self.expectSameError("reversed twice", try doors.cli(["ledger", "reverse", "--transfer", "t1", "--id", "r2"]),
                             try await doors.http("POST", "/v1/transfers/t1/reverse", body: #"{"id":"r2"}"#))
        Self.expectSameError("reverse pending", try doors.cli(["ledger", "reverse", "--transfer", "p1", "--id", "r3"]),
                             try await doors.http("POST", "/v1/transfers/p1/reverse", body: #"{"id":"r3"}"#))

        // Tenancy.
        Self.expectSame("tenant", try doors.cli(["tenant", "show"]), try await doors.http("GET", "/v1/tenant"))
        let extra = try doors.cli(["apikey", "create", "--scopes", "read", "--json"])
        let extraID = try #require((Self.json(extra.stdout) as? NSDictionary)?["id"] as? String)
        let created = try await doors.http("POST", "/v1/keys", body: #"{"scopes":["read"]}"#)
        #expect(Set(((Self.json(created.1) as? NSDictionary)?.allKeys as? [String]) ?? []) == Set(((Self.json(extra.stdout) as? NSDictionary)?.allKeys as? [String]) ?? []))
        Self.expectSameList("keys", try doors.cli(["apikey", "list"]), try await doors.http("GET", "/v1/keys"))
        _ = try doors.cli(["apikey", "revoke", "--id", extraID])
        Self.expectSame("revoke", try doors.cli(["apikey", "revoke", "--id", extraID]), try await doors.http("POST", "/v1/keys/\(extraID)/revoke"))
        Self.expectSameError("revoke missing", try doors.cli(["apikey", "revoke", "--id", "nosuchkey"]), try await doors.http("POST", "/v1/keys/nosuchkey/revoke"))
        Self.expectSameError("key scopes", try doors.cli(["apikey", "create", "--scopes", "root"]), try await doors.http("POST", "/v1/keys", body: #"{"scopes":["root"]}"#))

        // Wallets and deposit addresses.
        let wallet = try doors.cli(["wallet", "import", "--name", "hot", "--from", "mnemonic"], stdin: MnemonicCLITests.abandonAbout)
        #expect(wallet.status == 0, "\(wallet.stderr)")
        Self.expectSameError("wallet name", try doors.cli(["wallet", "create", "--name", "hot"]), try await doors.http("POST", "/v1/wallets", body: #"{"name":"hot"}"#))
        Self.expectSameError("wallet name form", try doors.cli(["wallet", "create", "--name", " x"]), try await doors.http("POST", "/v1/wallets", body: #"{"name":" x"}"#))
        Self.expectSameList("wallets", try doors.cli(["wallet", "list"]), try await doors.http("GET", "/v1/wallets"))
        Self.expectSame("wallet", try doors.cli(["wallet", "show", "hot"]), try await doors.http("GET", "/v1/wallets/hot"))
        Self.expectSameError("wallet missing", try doors.cli(["wallet", "show", "cold"]), try await doors.http("GET", "/v1/wallets/cold"))
        _ = try doors.cli(["address", "allocate", "--wallet", "hot", "--chain", "bitcoin", "--count", "2", "--owner-id", "c-1"])
        _ = try await doors.http("POST", "/v1/wallets/hot/addresses", body: #"{"chain":"ethereum","count":2,"owner_id":"c-2"}"#)
        Self.expectSameList("addresses", try doors.cli(["address", "list"]), try await doors.http("GET", "/v1/addresses"))
        Self.expectSameList("addresses by owner", try doors.cli(["address", "list", "--owner-id", "c-2"]), try await doors.http("GET", "/v1/addresses?owner_id=c-2"))
        Self.expectSame("address", try doors.cli(["address", "show", "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"]),
                        try await doors.http("GET", "/v1/addresses/bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"))
        Self.expectSameError("allocate count", try doors.cli(["address", "allocate", "--wallet", "hot", "--chain", "ethereum", "--count", "1001"]),
                             try await doors.http("POST", "/v1/wallets/hot/addresses", body: #"{"chain":"ethereum","count":1001}"#))
        Self.expectSameError("allocate chain", try doors.cli(["address", "allocate", "--wallet", "hot", "--chain", "dogecoin", "--count", "1"]),
                             try await doors.http("POST", "/v1/wallets/hot/addresses", body: #"{"chain":"dogecoin","count":1}"#))

        // A watch-only wallet through either door: one service imports it, refuses what it cannot do alike.
        let zpub = try CofferProcess.run(["xpub", "--chain", "bitcoin"], stdin: MnemonicCLITests.abandonAbout).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let watch = try doors.cli(["wallet", "import", "--name", "watch", "--from", "xpub"], stdin: zpub)
        #expect(watch.status == 0, "\(watch.stderr)")
        Self.expectSame("watch-only wallet", try doors.cli(["wallet", "show", "watch"]), try await doors.http("GET", "/v1/wallets/watch"))
        Self.expectSameError("watch-only name", try doors.cli(["wallet", "import", "--name", "watch", "--from", "xpub"], stdin: zpub),
                             try await doors.http("POST", "/v1/wallets", body: #"{"name":"watch","source":"xpub","xpub":"\#(zpub)"}"#))
        Self.expectSameError("watch-only scheme", try doors.cli(["wallet", "import", "--name", "w2", "--from", "xpub", "--scheme", "p2pkh"], stdin: zpub),
                             try await doors.http("POST", "/v1/wallets", body: #"{"name":"w2","source":"xpub","xpub":"\#(zpub)","scheme":"p2pkh"}"#))
        Self.expectSameError("watch-only network", try doors.cli(["address", "allocate", "--wallet", "watch", "--chain", "bitcoin", "--network", "testnet", "--count", "1"]),
                             try await doors.http("POST", "/v1/wallets/watch/addresses", body: #"{"chain":"bitcoin","network":"testnet","count":1}"#))
        let watchRequest = #"{"id":"watch-1","intent":{"chain":"ethereum","wallet":"watch","destination":"0x1111111111111111111111111111111111111111","asset":"ETH","amount":"5","fee":"42000"},"payload":{"type":"ethereum-tx","chain_id":1,"path":"m/44'/60'/0'/0/0","tx":{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"to":"0x1111111111111111111111111111111111111111","value":"5","data":"0x","access_list":[]}}}"#
        let watchRequestFile = URL(fileURLWithPath: doors.dataDir).deletingLastPathComponent().appendingPathComponent("watch-request.json").path
        try Data(watchRequest.utf8).write(to: URL(fileURLWithPath: watchRequestFile))
        Self.expectSameError("watch-only signing", try doors.cli(["sign", "request", "--file", watchRequestFile]),
                             try await doors.http("POST", "/v1/signing-requests", body: watchRequest))

        // Receiving: chains, deposit addresses bound to accounts, deposits, invoices and events.
        let ltc = ["chain", "add", "--name", "ltc", "--network", "litecoin-regtest", "--rpc-url", "http://127.0.0.1:1"]
        #expect(try doors.cli(ltc).status == 0)
        Self.expectSameList("chains", try doors.cli(["chain", "list"]), try await doors.http("GET", "/v1/chains"))
        Self.expectSameError("chain exists", try doors.cli(ltc),
                             try await doors.http("POST", "/v1/chains", body: #"{"name":"ltc","network":"litecoin-regtest","rpc_url":"http://127.0.0.1:1"}"#))
        Self.expectSameError("chain network", try doors.cli(["chain", "add", "--name", "doge", "--network", "dogecoin", "--rpc-url", "http://127.0.0.1:1"]),
                             try await doors.http("POST", "/v1/chains", body: #"{"name":"doge","network":"dogecoin","rpc_url":"http://127.0.0.1:1"}"#))
        Self.expectSameError("chain url", try doors.cli(["chain", "add", "--name", "ltc2", "--network", "litecoin-regtest", "--rpc-url", "http://u:p@127.0.0.1:1"]),
                             try await doors.http("POST", "/v1/chains", body: #"{"name":"ltc2","network":"litecoin-regtest","rpc_url":"http://u:p@127.0.0.1:1"}"#))
        Self.expectSameError("token chain", try doors.cli(["chain", "token", "add", "--chain", "ltc", "--contract", "0x1111111111111111111111111111111111111111",
                                                           "--asset", "TKN", "--decimals", "6"]),
                             try await doors.http("POST", "/v1/chains/ltc/tokens", body: #"{"contract":"0x1111111111111111111111111111111111111111","asset":"TKN","decimals":6}"#))
        #expect(try doors.cli(["ledger", "account", "create", "--id", "shop", "--asset", "LTC"]).status == 0)
        #expect(try doors.cli(["deposit", "address", "--chain", "ltc", "--wallet", "hot", "--account", "shop", "--count", "2"]).stdoutLines.count == 2)
        #expect(try await doors.http("POST", "/v1/deposit-addresses", body: #"{"chain":"ltc","wallet":"hot","account":"shop"}"#).0 == 201)
        Self.expectSameError("deposit address account", try doors.cli(["deposit", "address", "--chain", "ltc", "--wallet", "hot", "--account", "a"]),
                             try await doors.http("POST", "/v1/deposit-addresses", body: #"{"chain":"ltc","wallet":"hot","account":"a"}"#))
        Self.expectSameError("deposit address chain", try doors.cli(["deposit", "address", "--chain", "btc", "--wallet", "hot", "--account", "shop"]),
                             try await doors.http("POST", "/v1/deposit-addresses", body: #"{"chain":"btc","wallet":"hot","account":"shop"}"#))
        Self.expectSameList("deposits", try doors.cli(["deposit", "list", "--chain", "ltc"]), try await doors.http("GET", "/v1/deposits?chain=ltc"))
        Self.expectSameError("deposits status", try doors.cli(["deposit", "list", "--status", "lost"]), try await doors.http("GET", "/v1/deposits?status=lost"))
        let invoice = try doors.cli(["invoice", "create", "--chain", "ltc", "--wallet", "hot", "--account", "shop", "--amount", "150000", "--memo", "order 7"])
        let invoiceID = try #require((Self.json(invoice.stdout) as? NSDictionary)?["id"] as? String, "\(invoice.stderr)")
        #expect(try await doors.http("POST", "/v1/invoices", body: #"{"chain":"ltc","wallet":"hot","account":"shop","amount":"1"}"#).0 == 201)
        let qrFile = URL(fileURLWithPath: doors.dataDir).deletingLastPathComponent().appendingPathComponent("invoice.svg").path
        Self.expectSame("invoice show", try doors.cli(["invoice", "show", invoiceID, "--qr-svg", qrFile]), try await doors.http("GET", "/v1/invoices/\(invoiceID)"))
        let qr = try await doors.http("GET", "/v1/invoices/\(invoiceID)/qr.svg")
        let savedQR = try String(contentsOfFile: qrFile, encoding: .utf8)
        #expect(qr.0 == 200 && qr.1.hasPrefix("<svg") && qr.1 == savedQR)
        Self.expectSameList("invoices", try doors.cli(["invoice", "list"]), try await doors.http("GET", "/v1/invoices"))
        Self.expectSameList("invoices open", try doors.cli(["invoice", "list", "--status", "open", "--limit", "1"]),
                            try await doors.http("GET", "/v1/invoices?status=open&limit=1"))
        Self.expectSameError("invoice amount", try doors.cli(["invoice", "create", "--chain", "ltc", "--wallet", "hot", "--account", "shop", "--amount", "1.5"]),
                             try await doors.http("POST", "/v1/invoices", body: #"{"chain":"ltc","wallet":"hot","account":"shop","amount":"1.5"}"#))
        Self.expectSameError("invoice missing", try doors.cli(["invoice", "show", "inv_nope"]), try await doors.http("GET", "/v1/invoices/inv_nope"))
        Self.expectSameList("events", try doors.cli(["events"]), try await doors.http("GET", "/v1/events"))
        Self.expectSameList("events after", try doors.cli(["events", "--after", "1", "--limit", "1"]), try await doors.http("GET", "/v1/events?after=1&limit=1"))
        Self.expectSameError("events after", try doors.cli(["events", "--after=-1"]), try await doors.http("GET", "/v1/events?after=-1"))

        // Payouts: a hot wallet named through one door, named again through either (the same
        // view); a payout created through one door, repeated through the other (the same payout);
        // the same refusals. The server's payout worker cannot reach the chain's node, so every
        // payout stays where the doors put it.
        let hotWallet = ["chain", "hot-wallet", "--chain", "ltc", "--wallet", "hot", "--fallback-fee-rate", "5", "--max-fee-rate", "50"]
        #expect(try doors.cli(hotWallet).status == 0)
        Self.expectSame("hot wallet", try doors.cli(hotWallet),
                        try await doors.http("PUT", "/v1/chains/ltc/hot-wallet", body: #"{"wallet":"hot","fallback_fee_rate":5,"max_fee_rate":50}"#))
        Self.expectSame("hot wallet show", try doors.cli(hotWallet), try await doors.http("GET", "/v1/chains/ltc/hot-wallet"))
        Self.expectSameError("hot wallet rates", try doors.cli(["chain", "hot-wallet", "--chain", "ltc", "--wallet", "hot", "--fallback-fee-rate", "60", "--max-fee-rate", "50"]),
                             try await doors.http("PUT", "/v1/chains/ltc/hot-wallet", body: #"{"wallet":"hot","fallback_fee_rate":60,"max_fee_rate":50}"#))
        Self.expectSameError("hot wallet chain", try doors.cli(["chain", "hot-wallet", "--chain", "btc", "--wallet", "hot"]),
                             try await doors.http("PUT", "/v1/chains/btc/hot-wallet", body: #"{"wallet":"hot"}"#))
        Self.expectSameError("hot wallet wallet", try doors.cli(["chain", "hot-wallet", "--chain", "ltc", "--wallet", "watch"]),
                             try await doors.http("PUT", "/v1/chains/ltc/hot-wallet", body: #"{"wallet":"watch"}"#))
        #expect(try doors.cli(["ledger", "account", "create", "--id", "payer", "--asset", "LTC", "--flags", "debits-must-not-exceed-credits"]).status == 0)
        #expect(try doors.cli(["ledger", "transfer"], stdin: #"{"id":"fund-payer","debit":"shop","credit":"payer","amount":"1000000","asset":"LTC"}"#).status == 0)
        let payee = "rltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9puuzgkg"
        let payout = { (id: String, amount: String) in ["payout", "create", "--id", id, "--chain", "ltc", "--account", "payer", "--to", payee, "--amount", amount] }
        let payoutBody = { (id: String, amount: String) in #"{"id":"\#(id)","chain":"ltc","account":"payer","to":"\#(payee)","amount":"\#(amount)"}"# }
        #expect(try doors.cli(payout("po-1", "100000")).stdout.contains(#""status":"reserved""#))
        Self.expectSame("payout create", try doors.cli(payout("po-1", "100000")), try await doors.http("POST", "/v1/payouts", body: payoutBody("po-1", "100000")))
        #expect(try await doors.http("POST", "/v1/payouts", body: payoutBody("po-2", "5000000")).0 == 201)
        Self.expectSame("payout rejected", try doors.cli(payout("po-2", "5000000")), try await doors.http("POST", "/v1/payouts", body: payoutBody("po-2", "5000000")))
        Self.expectSame("payout show", try doors.cli(["payout", "show", "po-1"]), try await doors.http("GET", "/v1/payouts/po-1"))
        Self.expectSameList("payouts", try doors.cli(["payout", "list"]), try await doors.http("GET", "/v1/payouts"))
        Self.expectSameList("payouts filtered", try doors.cli(["payout", "list", "--status", "rejected", "--chain", "ltc", "--limit", "1"]),
                            try await doors.http("GET", "/v1/payouts?status=rejected&chain=ltc&limit=1"))
        Self.expectSameError("payout reused", try doors.cli(payout("po-1", "100001")), try await doors.http("POST", "/v1/payouts", body: payoutBody("po-1", "100001")))
        Self.expectSameError("payout amount", try doors.cli(payout("po-3", "1.5")), try await doors.http("POST", "/v1/payouts", body: payoutBody("po-3", "1.5")))
        Self.expectSameError("payout dust", try doors.cli(payout("po-3", "545")), try await doors.http("POST", "/v1/payouts", body: payoutBody("po-3", "545")))
        Self.expectSameError("payout account", try doors.cli(["payout", "create", "--id", "po-3", "--chain", "ltc", "--account", "shop", "--to", payee, "--amount", "1000"]),
                             try await doors.http("POST", "/v1/payouts", body: #"{"id":"po-3","chain":"ltc","account":"shop","to":"\#(payee)","amount":"1000"}"#))
        Self.expectSameError("payout missing", try doors.cli(["payout", "show", "po-3"]), try await doors.http("GET", "/v1/payouts/po-3"))
        Self.expectSameError("payouts status", try doors.cli(["payout", "list", "--status", "lost"]), try await doors.http("GET", "/v1/payouts?status=lost"))

        // Policies, signing requests and approvals.
        for approver in ["alice", "bob"] {
            let keyFile = URL(fileURLWithPath: doors.dataDir).deletingLastPathComponent().appendingPathComponent(approver).path
            let generated = try CofferProcess.run(["approver", "keygen", "--out", keyFile], environment: doors.environment)
            let publicKey = try #require((Self.json(generated.stdout) as? NSDictionary)?["public_key"] as? String)
            #expect(try doors.cli(["approver", "add", "--id", approver, "--public-key", publicKey], tenant: false).status == 0)
        }
        let policy = #"{"rules":[{"type":"approvals","name":"two","asset":"ETH","above":"1000","required":2,"approvers":["alice","bob"]}]}"#
        let policyFile = URL(fileURLWithPath: doors.dataDir).deletingLastPathComponent().appendingPathComponent("policy.json").path
        try Data(policy.utf8).write(to: URL(fileURLWithPath: policyFile))
        _ = try doors.cli(["policy", "set", "--wallet", "hot", "--file", policyFile])
        Self.expectSame("policy set", try doors.cli(["policy", "set", "--wallet", "hot", "--file", policyFile]),
                        try await doors.http("PUT", "/v1/policies/hot", body: policy))
        Self.expectSame("policy show", try doors.cli(["policy", "show", "--wallet", "hot"]), try await doors.http("GET", "/v1/policies/hot"))
        let request = #"{"id":"pay-1","intent":{"chain":"ethereum","wallet":"hot","destination":"0x1111111111111111111111111111111111111111","asset":"ETH","amount":"5000","fee":"42000"},"payload":{"type":"ethereum-tx","chain_id":1,"path":"m/44'/60'/0'/0/0","tx":{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"to":"0x1111111111111111111111111111111111111111","value":"5000","data":"0x","access_list":[]}}}"#
        let requestFile = URL(fileURLWithPath: doors.dataDir).deletingLastPathComponent().appendingPathComponent("request.json").path
        try Data(request.utf8).write(to: URL(fileURLWithPath: requestFile))
        #expect(try doors.cli(["sign", "request", "--file", requestFile]).stdout.contains(#""status":"pending_approval""#))
        Self.expectSame("sign request", try doors.cli(["sign", "request", "--file", requestFile]), try await doors.http("POST", "/v1/signing-requests", body: request))
        Self.expectSame("sign status", try doors.cli(["sign", "status", "--request", "pay-1"]), try await doors.http("GET", "/v1/signing-requests/pay-1"))
        let aliceKey = try String(contentsOfFile: URL(fileURLWithPath: doors.dataDir).deletingLastPathComponent().appendingPathComponent("alice").path, encoding: .utf8)
        let approved = try doors.cli(["sign", "approve", "--request", "pay-1", "--approver", "alice"], stdin: aliceKey)
        #expect(approved.stdout.contains(#""approvals_received":1"#), "\(approved.stdout) \(approved.stderr)")
        Self.expectSame("sign status after approval", try doors.cli(["sign", "status", "--request", "pay-1"]),
                        try await doors.http("GET", "/v1/signing-requests/pay-1"))
        Self.expectSameError("sign request reused", try doors.cli(["sign", "request", "--file", policyFile]),
                             try await doors.http("POST", "/v1/signing-requests", body: policy))
        Self.expectSameError("sign status missing", try doors.cli(["sign", "status", "--request", "nope"]), try await doors.http("GET", "/v1/signing-requests/nope"))
        Self.expectSameError("policy missing", try doors.cli(["policy", "show", "--wallet", "cold"]), try await doors.http("GET", "/v1/policies/cold"))

        // The audit log as the tenant sees it.
        Self.expectSameList("audit", try doors.cli(["audit", "export"]), try await doors.http("GET", "/v1/audit?limit=1000"))
        Self.expectSame("audit verify", try doors.cli(["audit", "verify"]), try await doors.http("GET", "/v1/audit/verify"))
        Self.expectSameError("backup shares", try doors.cli(["wallet", "backup", "--wallet", "hot", "--threshold", "1", "--shares", "3"]),
                             try await doors.http("POST", "/v1/wallets/hot/backup", body: #"{"format":"slip39","threshold":1,"shares":3}"#))

        // Webhooks (disabled, so nothing is sent): the same views and refusals; each door's own secret.
        let hookCLI = try doors.cli(["webhook", "add", "--url", "https://shop.example/hooks/a", "--events", "invoice.*,deposit.credited", "--disabled"])
        let hookHTTP = try await doors.http("POST", "/v1/webhooks", body: #"{"url":"https://shop.example/hooks/b","events":["payout.*"],"enabled":false}"#)
        let hook = try #require((Self.json(hookCLI.stdout) as? NSDictionary)?["id"] as? String, "\(hookCLI.stderr)")
        #expect(hookHTTP.0 == 201 && Set(((Self.json(hookHTTP.1) as? NSDictionary)?.allKeys as? [String]) ?? []) == Set(((Self.json(hookCLI.stdout) as? NSDictionary)?.allKeys as? [String]) ?? []))
        Self.expectSameList("webhooks", try doors.cli(["webhook", "list"]), try await doors.http("GET", "/v1/webhooks"))
        Self.expectSame("webhook", try doors.cli(["webhook", "show", hook]), try await doors.http("GET", "/v1/webhooks/\(hook)"))
        _ = try doors.cli(["webhook", "disable", hook])
        Self.expectSame("webhook disable", try doors.cli(["webhook", "disable", hook]), try await doors.http("POST", "/v1/webhooks/\(hook)/disable"))
        Self.expectSameList("webhook deliveries", try doors.cli(["webhook", "deliveries", hook]), try await doors.http("GET", "/v1/webhooks/\(hook)/deliveries"))
        Self.expectSameError("webhook url", try doors.cli(["webhook", "add", "--url", "ftp://shop.example/x", "--events", "*"]),
                             try await doors.http("POST", "/v1/webhooks", body: #"{"url":"ftp://shop.example/x","events":["*"]}"#))
        Self.expectSameError("webhook events", try doors.cli(["webhook", "add", "--url", "https://shop.example/x", "--events", "deposit"]),
                             try await doors.http("POST", "/v1/webhooks", body: #"{"url":"https://shop.example/x","events":["deposit"]}"#))
        Self.expectSameError("webhook missing", try doors.cli(["webhook", "show", "whk_nope"]), try await doors.http("GET", "/v1/webhooks/whk_nope"))
        Self.expectSameError("webhook redeliver", try doors.cli(["webhook", "redeliver", hook, "--event", "9999"]),
                             try await doors.http("POST", "/v1/webhooks/\(hook)/redeliver", body: #"{"event":9999}"#))
    }
}
