import CofferBase
import CofferTestSupport
import Foundation
import Testing

/// Receiving on a real chain, through the CLI exactly as operators and the acceptance checks use
/// it: Debian's litecoind in regtest, started by the test on a free port with a throwaway data
/// directory and cookie authentication.
@Suite(.serialized) struct ReceiveLitecoinCLITests {
    static let hotMnemonic = MnemonicCLITests.abandonAbout
    static let watchMnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow"

    /// A data directory with an unlocked vault, a hot wallet, a watch-only wallet and a chain.
    struct Receiver: CommandLineDriver {
        let sandbox: VaultCLITests.Sandbox
        let node: Litecoind
        /// A PostgreSQL database of its own (dropped by `close`), or nil for the embedded database.
        let databaseURL: String?

        init(node: Litecoind, confirmations: Int = 3, backend: String = "sqlite") async throws {
            self.node = node
            sandbox = try VaultCLITests.Sandbox()
            databaseURL = backend == "postgres" ? try PostgresTestDatabase.create() : nil
            try ok(["vault", "init"])
            try ok(["wallet", "import", "--name", "hot", "--from", "mnemonic"], stdin: ReceiveLitecoinCLITests.hotMnemonic)
            let xpub = try ok(["xpub", "--chain", "bitcoin", "--scheme", "p2wpkh", "--network", "litecoin-regtest"],
                              stdin: ReceiveLitecoinCLITests.watchMnemonic)
            #expect(xpub.hasPrefix("vpub"))
            try ok(["wallet", "import", "--name", "watch", "--from", "xpub"], stdin: xpub)
            let height = try await node.cli("getblockcount")
            try ok(["chain", "add", "--name", "ltc", "--network", "litecoin-regtest", "--rpc-url", node.rpcURL, "--rpc-cookie-file", node.cookiePath,
                    "--confirmations", String(confirmations), "--start-height", "\(Self.integer(height) + 1)"])
            try ok(["ledger", "account", "create", "--id", "alice", "--asset", "LTC"])
            try ok(["ledger", "account", "create", "--id", "bob", "--asset", "LTC"])
        }

        /// The sandbox's environment with the vault passphrase file (every command reads it there).
        var environment: [String: String] {
            sandbox.environment.merging(["COFFER_VAULT_PASSPHRASE_FILE": sandbox.passphrase, "COFFER_DATABASE_URL": databaseURL ?? ""]) { $1 }
        }

        func close() {
            if let databaseURL { try? PostgresTestDatabase.drop(databaseURL) }
        }

        func address(wallet: String, account: String, scheme: String? = nil) throws -> String {
            let line = try objects(["deposit", "address", "--chain", "ltc", "--wallet", wallet, "--account", account] + (scheme.map { ["--scheme", $0] } ?? []))
            return try #require(Self.string(line.first?["address"]))
        }

        func sync() throws -> JSONValue { try #require(try objects(["chain", "sync", "--chain", "ltc", "--once"]).first) }

        func deposits(status: String? = nil) throws -> [JSONValue] {
            try objects(["deposit", "list", "--chain", "ltc"] + (status.map { ["--status", $0] } ?? [])).filter { $0["txid"] != nil }
        }

        func balance(_ account: String) throws -> UInt128 {
            let balance = try JSONValue(parsing: try ok(["ledger", "balance", account]))
            let credits = UInt128(Self.string(balance["credits_posted"]) ?? "") ?? 0
            let debits = UInt128(Self.string(balance["debits_posted"]) ?? "") ?? 0
            return credits - debits
        }

        static func string(_ value: JSONValue?) -> String? {
            if case .string(let text)? = value { return text }
            return nil
        }

        static func integer(_ value: JSONValue) -> Int {
            if case .number(let literal) = value { return Int(literal) ?? 0 }
            return 0
        }
    }

    static let backends = ["sqlite", "postgres"]

    @Test(arguments: backends)
    func depositsToEveryAddressTypeAndAWatchOnlyWalletAreCreditedOnceAfterKBlocks(_ backend: String) async throws {
        try await Litecoind.with { node in
            let receiver = try await Receiver(node: node, backend: backend)
            defer { receiver.close() }
            var expected: [String: UInt64] = [:]
            var amounts: [UInt64] = []
            for (offset, scheme) in ["p2wpkh", "p2sh-p2wpkh", "p2pkh", "p2tr"].enumerated() {
                let address = try receiver.address(wallet: "hot", account: "alice", scheme: scheme)
                let amount = UInt64(10_000_000 + offset * 1_234_567)
                expected[address] = amount
                amounts.append(amount)
                _ = try await node.send(to: address, amount: amount)
            }
            let watched = try receiver.address(wallet: "watch", account: "bob")
            #expect(watched.hasPrefix("rltc1q"))
            _ = try await node.send(to: watched, amount: 55_000_000)
            _ = try await node.mine(1)

            let first = try receiver.sync()
            #expect(first["deposits"] == .integer(5))
            #expect(first["credited"] == .integer(0))
            #expect(try receiver.deposits(status: "confirming").count == 5)
            #expect(try receiver.balance("alice") == 0)

            _ = try await node.mine(2)
            let second = try receiver.sync()
            #expect(second["credited"] == .integer(5))
            let credited = try receiver.deposits(status: "credited")
            #expect(credited.count == 5)
            for deposit in credited {
                #expect(deposit["confirmations"] == .integer(3))
                let address = try #require(Receiver.string(deposit["address"]))
                if address == watched {
                    #expect(deposit["account"] == .string("bob"))
                    #expect(deposit["amount"] == .string("55000000"))
                } else {
                    #expect(deposit["amount"] == .string(String(try #require(expected[address]))))
                }
            }
            #expect(try receiver.balance("alice") == UInt128(amounts.reduce(0, +)))
            #expect(try receiver.balance("bob") == 55_000_000)

            // Once credited, never again: more blocks and more syncs change nothing.
            _ = try await node.mine(3)
            #expect(try receiver.sync()["credited"] == .integer(0))
            #expect(try receiver.balance("alice") == UInt128(amounts.reduce(0, +)))
            #expect(try receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }

    @Test func aReorgOrphansAConfirmingDepositAndReversesACreditedOne() async throws {
        try await Litecoind.with { node in
            let receiver = try await Receiver(node: node, confirmations: 2)
            // Credited first: 2 blocks, then a deeper reorg that double-spends it.
            let creditedAddress = try receiver.address(wallet: "hot", account: "alice")
            let creditedTx = try await node.send(to: creditedAddress, amount: 20_000_000)
            let creditedBlocks = try await node.mine(2)
            #expect(try receiver.sync()["credited"] == .integer(1))
            #expect(try receiver.balance("alice") == 20_000_000)

            try await node.invalidate(creditedBlocks[0])
            _ = try await node.doubleSpend(creditedTx)
            _ = try await node.mine(4, to: try await node.newAddress())
            let afterReorg = try receiver.sync()
            #expect(afterReorg["reversed"] == .integer(1), "\(afterReorg)")
            let reversed = try receiver.deposits(status: "reversed")
            #expect(reversed.count == 1)
            #expect(try receiver.balance("alice") == 0)

            // Confirming: one block, then a reorg with a conflicting spend.
            let confirmingAddress = try receiver.address(wallet: "hot", account: "alice", scheme: "p2tr")
            let confirmingTx = try await node.send(to: confirmingAddress, amount: 7_000_000)
            let oneBlock = try await node.mine(1)
            #expect(try receiver.sync()["deposits"] == .integer(1))
            try await node.invalidate(oneBlock[0])
            _ = try await node.doubleSpend(confirmingTx)
            _ = try await node.mine(2, to: try await node.newAddress())
            let orphaning = try receiver.sync()
            #expect(orphaning["orphaned"] == .integer(1), "\(orphaning)")
            #expect(try receiver.deposits(status: "orphaned").count == 1)
            #expect(try receiver.balance("alice") == 0)
            let events = try receiver.objects(["events", "--limit", "1000"]).compactMap { Receiver.string($0["type"]) }
            #expect(events.contains("deposit.reversed") && events.contains("deposit.orphaned") && events.contains("deposit.credited"))
            #expect(try receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }
}

extension ReceiveLitecoinCLITests {
    /// The syncer is killed with SIGKILL again and again while payments and blocks keep coming;
    /// afterwards every confirmed payment is credited exactly once and the ledger verifies.
    @Test(arguments: backends)
    func aSyncerKilledAtAnyMomentResumesWithoutGapsOrDoubleCredits(_ backend: String) async throws {
        try await Litecoind.with { node in
            let receiver = try await Receiver(node: node, confirmations: 2, backend: backend)
            defer { receiver.close() }
            var addresses: [String] = []
            for _ in 0..<6 { addresses.append(try receiver.address(wallet: "hot", account: "alice")) }
            var sent: [String: UInt64] = [:]
            var kills = 0
            var generator = SplitMix64(state: 0xC0FFEE)
            var syncer = try CofferChildProcess(["chain", "sync", "--chain", "ltc", "--poll", "1"], input: Data(), environment: receiver.environment)
            for _ in 0..<14 {
                for _ in 0...(generator.next() % 3) {
                    let amount = 1_000_000 + generator.next() % 5_000_000
                    let txid = try await node.send(to: addresses[Int(generator.next() % UInt64(addresses.count))], amount: amount)
                    sent[txid] = amount
                }
                _ = try await node.mine(1)
                try await Task.sleep(for: .milliseconds(150 + Int(generator.next() % 900)))
                do {
                    syncer.kill()
                    _ = syncer.finish(within: .seconds(10))
                    kills += 1
                    syncer = try CofferChildProcess(["chain", "sync", "--chain", "ltc", "--poll", "1"], input: Data(), environment: receiver.environment)
                }
            }
            syncer.kill()
            _ = syncer.finish(within: .seconds(10))
            #expect(kills >= 10)
            _ = try await node.mine(2)
            _ = try receiver.sync()

            let credited = try receiver.deposits(status: "credited")
            #expect(credited.count == sent.count, "credited \(credited.count) of \(sent.count)")
            #expect(Set(credited.compactMap { Receiver.string($0["txid"]) }) == Set(sent.keys))
            for deposit in credited {
                let txid = try #require(Receiver.string(deposit["txid"]))
                #expect(deposit["amount"] == .string(String(try #require(sent[txid]))))
            }
            #expect(try receiver.balance("alice") == UInt128(sent.values.reduce(0, +)))
            let transfers = try receiver.objects(["ledger", "transfers", "--account", "alice", "--limit", "10000"]).filter { $0["id"] != nil }
            #expect(transfers.count == sent.count, "one credit per payment")
            #expect(try receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }

    @Test func invoicesPaidExactlyUnderOverAndLateTakeTheirStatus() async throws {
        try await Litecoind.with { node in
            let receiver = try await Receiver(node: node, confirmations: 1)
            func invoice(_ amount: String, expiresIn: Int = 3600) throws -> JSONValue {
                try #require(try receiver.objects([
                    "invoice", "create", "--chain", "ltc", "--wallet", "hot", "--account", "alice", "--amount", amount, "--expires-in", String(expiresIn),
                    "--memo", "order 42",
                ]).first)
            }
            let exact = try invoice("1000000")
            let under = try invoice("1000000")
            let over = try invoice("1000000")
            let late = try invoice("1000000", expiresIn: 1)
            #expect(exact["status"] == .string("open"))
            let uri = try #require(Receiver.string(exact["uri"]))
            #expect(uri.hasPrefix("litecoin:rltc1q") && uri.contains("amount=0.01") && uri.contains("message=order%2042"), "\(uri)")
            // One-time addresses: four invoices, four addresses.
            #expect(Set([exact, under, over, late].compactMap { Receiver.string($0["address"]) }).count == 4)

            try await Task.sleep(for: .seconds(2))
            for (invoice, amount) in [(exact, UInt64(1_000_000)), (under, 400_000), (over, 1_500_000), (late, 1_000_000)] {
                _ = try await node.send(to: try #require(Receiver.string(invoice["address"])), amount: amount)
            }
            _ = try await node.mine(1)
            _ = try receiver.sync()
            func show(_ invoice: JSONValue) throws -> JSONValue {
                let id = try #require(Receiver.string(invoice["id"]))
                return try #require(try receiver.objects(["invoice", "show", id]).first)
            }
            #expect(try show(exact)["status"] == .string("paid"))
            #expect(try show(under)["status"] == .string("underpaid"))
            #expect(try show(under)["received"] == .string("400000"))
            #expect(try show(over)["status"] == .string("overpaid"))
            let lateNow = try show(late)
            #expect(lateNow["status"] == .string("expired") && lateNow["late"] == .bool(true) && lateNow["received"] == .string("1000000"))
            #expect(try receiver.balance("alice") == 3_900_000, "late payments are credited too")

            let svg = receiver.sandbox.directory + "/qr.svg"
            _ = try receiver.ok(["invoice", "show", try #require(Receiver.string(exact["id"])), "--qr-svg", svg])
            #expect(try String(contentsOfFile: svg, encoding: .utf8).hasPrefix("<svg"))
        }
    }
}

extension ReceiveLitecoinCLITests {
    /// `coffer serve` follows every configured chain in its `chain-sync` service: a payment is
    /// credited without any `chain sync`, and SIGTERM stops the service with the others.
    @Test func serveCreditsDepositsInTheBackground() async throws {
        try await Litecoind.with { node in
            let receiver = try await Receiver(node: node, confirmations: 2)
            let address = try receiver.address(wallet: "hot", account: "alice")
            let server = try CofferChildProcess(["serve", "--port", String(try freeLoopbackPort())], input: Data(), environment: receiver.environment)
            defer { server.kill() }
            _ = try await node.send(to: address, amount: 12_345_678)
            _ = try await node.mine(2)
            var credited: [JSONValue] = []
            for _ in 0..<60 where credited.isEmpty {
                try await Task.sleep(for: .milliseconds(500))
                credited = try receiver.deposits(status: "credited")
            }
            #expect(credited.count == 1)
            #expect(try receiver.balance("alice") == 12_345_678)
            server.send(SIGTERM)
            let outcome = server.finish(within: .seconds(30))
            #expect(outcome.status == 0, "\(outcome.stderr.suffix(1500))")
            #expect(outcome.stderr.contains("service=chain-sync"))
        }
    }
}

extension ReceiveLitecoinCLITests {
    /// Bad input is refused with one clear line and changes nothing; a node that is down is a
    /// retryable error (exit 75), never a crash or a credit.
    @Test func badInputAndADownNodeAreClearErrors() throws {
        let sandbox = try VaultCLITests.Sandbox()
        let environment = sandbox.environment
        let port = try freeLoopbackPort()
        try CofferProcess.expectRejected(["chain", "add", "--name", "x", "--network", "dogecoin", "--rpc-url", "http://127.0.0.1:\(port)"],
                                         status: 1, mentioning: ["network", "litecoin-regtest"], environment: environment)
        try CofferProcess.expectRejected(["chain", "add", "--name", "x", "--network", "litecoin-regtest", "--rpc-url", "http://user:secret@127.0.0.1:\(port)"],
                                         status: 1, mentioning: ["credentials"], environment: environment)
        try CofferProcess.expectRejected(["chain", "add", "--name", "Bad Name", "--network", "litecoin-regtest", "--rpc-url", "http://127.0.0.1:\(port)"],
                                         status: 1, mentioning: ["chain name"], environment: environment)
        // Nothing was created by the refused requests: no asset, no chain.
        #expect(try CofferProcess.run(["ledger", "asset", "show", "LTC"], environment: environment).status != 0)
        #expect(try CofferProcess.run(["chain", "list"], environment: environment).stdout.isEmpty)

        let added = try CofferProcess.run(["chain", "add", "--name", "ltc", "--network", "litecoin-regtest", "--rpc-url", "http://127.0.0.1:\(port)"],
                                          environment: environment)
        #expect(added.status == 0, "\(added.stderr)")
        try CofferProcess.expectRejected(["chain", "sync", "--chain", "ltc", "--once"], status: 75, mentioning: ["node-unavailable"], environment: environment)
        try CofferProcess.expectRejected(["chain", "sync", "--chain", "nope", "--once"], status: 1, mentioning: ["chain-not-found"], environment: environment)
        try CofferProcess.expectRejected(["deposit", "list", "--status", "pending"], status: 1, mentioning: ["confirming"], environment: environment)
        try CofferProcess.expectRejected(["deposit", "address", "--chain", "ltc", "--wallet", "w", "--account", "nobody"],
                                         status: 1, mentioning: ["account-not-found"], environment: environment)
        #expect(try CofferProcess.run(["deposit", "list"], environment: environment).stdout.isEmpty)
    }
}

extension ReceiveLitecoinCLITests {
    /// Two syncers follow the same chain at once (they share the command line's lease, so they
    /// really race: the cursor's compare-and-set decides) while payments and blocks arrive; each
    /// payment is credited once.
    @Test(arguments: backends)
    func twoSyncersAtOnceCreditEachDepositOnce(_ backend: String) async throws {
        try await Litecoind.with { node in
            let receiver = try await Receiver(node: node, confirmations: 1, backend: backend)
            defer { receiver.close() }
            var addresses: [String] = []
            for _ in 0..<4 { addresses.append(try receiver.address(wallet: "hot", account: "alice")) }
            let syncers = try (0..<2).map { _ in
                try CofferChildProcess(["chain", "sync", "--chain", "ltc", "--poll", "1"], input: Data(), environment: receiver.environment)
            }
            var sent: [String: UInt64] = [:]
            for round in 0..<8 {
                for (index, address) in addresses.enumerated() {
                    let amount = UInt64(1_000_000 + round * 10_000 + index)
                    sent[try await node.send(to: address, amount: amount)] = amount
                }
                _ = try await node.mine(1)
                try await Task.sleep(for: .milliseconds(700))
            }
            try await Task.sleep(for: .seconds(3))
            for syncer in syncers {
                syncer.kill()
                _ = syncer.finish(within: .seconds(10))
            }
            _ = try receiver.sync()
            let credited = try receiver.deposits(status: "credited")
            #expect(credited.count == sent.count)
            #expect(try receiver.balance("alice") == UInt128(sent.values.reduce(0, +)))
            let transfers = try receiver.objects(["ledger", "transfers", "--account", "alice", "--limit", "10000"]).filter { $0["id"] != nil }
            #expect(transfers.count == sent.count, "one credit per payment")
            #expect(try receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }
}
