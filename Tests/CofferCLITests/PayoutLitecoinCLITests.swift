import CofferBase
import CofferTestSupport
import Foundation
import Testing

/// Paying out on a real chain, through the CLI as operators and the acceptance checks use it:
/// Debian's litecoind in regtest (the receiving tests' harness), the vault signing every batch
/// behind a policy, the worker killed with SIGKILL at random moments and at each step boundary.
// Nested in ReceiveLitecoinCLITests (serialized): the chain CLI suites block a cooperative thread for
// every process they wait on, and two of them at once starve the other suites' tasks on 2 cores.
extension ReceiveLitecoinCLITests {
@Suite(.serialized) struct PayoutLitecoinCLITests {
    typealias Receiver = ReceiveLitecoinCLITests.Receiver

    /// A receiver with a policy, a hot wallet funded by the operator and a customer account
    /// (`carol`, which cannot go negative) funded by a credited deposit.
    struct Payer {
        let receiver: Receiver
        let hotAddress: String
        let funded: UInt64
        let treasury: UInt64

        /// The path of carol's deposit address (whose key a double-spend test uses).
        let customerPath: String

        /// `owned`: carol's account is owned by customer carol (verified, no limits set), so each
        /// payout from it is counted in carol's windows.
        init(node: Litecoind, backend: String = "sqlite", customer: UInt64 = 3_000_000_000, fallbackFeeRate: Int = 5, fundHotWallet: Bool = true,
             owned: Bool = false) async throws {
            receiver = try await Receiver(node: node, confirmations: 2, backend: backend)
            let policy = try receiver.sandbox.file("policy.json", #"{"rules":[]}"#)
            try receiver.ok(["policy", "set", "--file", policy])
            if owned { try receiver.ok(["customer", "create", "--id", "carol", "--tier", "verified"]) }
            try receiver.ok(["ledger", "account", "create", "--id", "carol", "--asset", "LTC", "--flags", "debits-must-not-exceed-credits"]
                            + (owned ? ["--owner", "carol"] : []))
            let hot = try #require(try receiver.objects(["chain", "hot-wallet", "--chain", "ltc", "--wallet", "hot", "--fallback-fee-rate", String(fallbackFeeRate)]).first)
            hotAddress = try #require(Receiver.string(hot["address"]))
            treasury = fundHotWallet ? 200_000_000 : 0
            if fundHotWallet { _ = try await node.send(to: hotAddress, amount: treasury) }
            let deposit = try #require(try receiver.objects(["deposit", "address", "--chain", "ltc", "--wallet", "hot", "--account", "carol"]).first)
            customerPath = try #require(Receiver.string(deposit["path"]))
            _ = try await node.send(to: try #require(Receiver.string(deposit["address"])), amount: customer)
            _ = try await node.mine(2)
            _ = try receiver.sync()
            funded = customer
            #expect(try receiver.balance("carol") == UInt128(customer))
            #expect(try receiver.balance("treasury:ltc") == UInt128(treasury))
        }

        var environment: [String: String] { receiver.environment }

        func create(_ id: String, to address: String, amount: UInt64, extra: [String] = []) throws -> JSONValue {
            try #require(try receiver.objects(["payout", "create", "--id", id, "--chain", "ltc", "--account", "carol", "--to", address, "--amount", String(amount)] + extra).first)
        }

        func show(_ id: String) throws -> JSONValue { try JSONValue(parsing: try receiver.ok(["payout", "show", id])) }

        /// What customer carol has used of its daily window, read by a new process.
        func usedToday() throws -> JSONValue? {
            try JSONValue(parsing: try receiver.ok(["limit", "usage", "--customer", "carol", "--asset", "LTC"]))["daily"]?["used"]
        }

        func list(status: String? = nil) throws -> [JSONValue] {
            try receiver.objects(["payout", "list", "--limit", "1000"] + (status.map { ["--status", $0] } ?? [])).filter { $0["id"] != nil }
        }

        @discardableResult
        func workOnce(_ extra: [String] = []) throws -> [JSONValue] { try receiver.objects(["payout", "worker", "--once"] + extra) }

        /// Passes and blocks until every payout is final (or the attempts run out).
        func settleAll(node: Litecoind, passes: Int = 30, extra: [String] = []) async throws {
            for _ in 0..<passes {
                try workOnce(extra)
                if try list().allSatisfy({ ["settled", "rejected", "compensated"].contains(Receiver.string($0["status"]) ?? "") }) { return }
                _ = try await node.mine(1)
            }
        }

        /// Checks the ledger against the chain: custody holds what Coffer's outputs hold, the fee
        /// account's debits are the fees the settled transactions paid, and the books verify.
        func expectBooksMatchTheChain(node: Litecoind, sourceLocation: SourceLocation = #_sourceLocation) async throws {
            let settled = try list(status: "settled")
            var fees: UInt64 = 0
            for txid in Set(settled.compactMap { Receiver.string($0["txid"]) }) { fees += try await node.fee(of: txid) }
            let charged = settled.reduce(UInt128(0)) { $0 + (UInt128(Receiver.string($1["fee"]) ?? "") ?? 0) }
            #expect(charged == UInt128(fees), "fees charged \(charged), paid on chain \(fees)", sourceLocation: sourceLocation)
            let feeAccount = try JSONValue(parsing: try receiver.ok(["ledger", "balance", "fees:ltc"]))
            #expect(feeAccount["debits_posted"] == .string(String(fees)), sourceLocation: sourceLocation)
            // Sweeps move Coffer's own coins: only customers' payouts take money from carol, and
            // only their fees are hers (a sweep's fee is the treasury's).
            let payouts = settled.filter { $0["kind"] == .string("payout") }
            let paid = payouts.reduce(UInt128(0)) { $0 + (UInt128(Receiver.string($1["amount"]) ?? "") ?? 0) }
            let carolsFees = payouts.reduce(UInt128(0)) { $0 + (UInt128(Receiver.string($1["fee"]) ?? "") ?? 0) }
            #expect(try receiver.balance("carol") == UInt128(funded) - paid - carolsFees, sourceLocation: sourceLocation)
            // Custody (debit-normal) is everything received less everything paid and every fee.
            let custody = try JSONValue(parsing: try receiver.ok(["ledger", "balance", "custody:ltc"]))
            let debits = UInt128(Receiver.string(custody["debits_posted"]) ?? "") ?? 0
            let credits = UInt128(Receiver.string(custody["credits_posted"]) ?? "") ?? 0
            #expect(debits - credits == UInt128(funded) + UInt128(treasury) - paid - UInt128(fees), sourceLocation: sourceLocation)
            #expect(try receiver.ok(["ledger", "verify"]).contains("\"intact\":true"), sourceLocation: sourceLocation)
        }
    }

    /// 50 payouts to 50 addresses of the node's wallet, batched; two workers at a time killed
    /// with SIGKILL at random moments and at every step boundary; afterwards each address got
    /// exactly its amount once and the books match the chain.
    @Test(arguments: ReceiveLitecoinCLITests.backends)
    func fiftyPayoutsSurviveWorkersKilledAtAnyMoment(_ backend: String) async throws {
        try await Litecoind.with { node in
            let payer = try await Payer(node: node, backend: backend)
            defer { payer.receiver.close() }
            var expected: [String: UInt64] = [:]
            for index in 0..<50 {
                let address = try await node.newAddress()
                let amount = UInt64(1_000_000 + index * 10_007)
                expected[address] = amount
                let created = try payer.create("w-\(index)", to: address, amount: amount)
                #expect(created["status"] == .string("reserved"))
                // The same id and request answers the same payout; it is reserved once.
                if index == 0 { #expect(try payer.create("w-0", to: address, amount: amount)["status"] == .string("reserved")) }
            }
            let worker = ["payout", "worker", "--poll", "1", "--max-batch", "20", "--lease", "3"]
            var generator = SplitMix64(state: backend == "sqlite" ? 0xBA7C4 : 0x5EED)
            var kills = 0
            // First at each step boundary, then at random moments, two workers at once.
            let points = ["after-batch", "after-vault-sign", "after-sign-stored", "after-broadcast", "after-settle"]
            for round in 0..<(backend == "sqlite" ? 22 : 12) {
                let point = round < points.count * 2 ? points[round % points.count] : nil
                let environment = payer.environment.merging(point.map { ["COFFER_TEST_CRASH_AT": $0] } ?? [:]) { $1 }
                let workers = try (0..<2).map { _ in try CofferChildProcess(worker, input: Data(), environment: environment) }
                try await Task.sleep(for: .milliseconds(200 + Int(generator.next() % 1_300)))
                for process in workers {
                    process.kill()
                    _ = process.finish(within: .seconds(10))
                    kills += 1
                }
                if generator.next() % 2 == 0 { _ = try await node.mine(1) }
            }
            #expect(kills >= 20)
            try await payer.settleAll(node: node)

            let payouts = try payer.list()
            #expect(payouts.count == 50)
            #expect(payouts.allSatisfy { $0["status"] == .string("settled") }, "\(payouts.filter { $0["status"] != .string("settled") }.map(\.text))")
            let transactions = Set(payouts.compactMap { Receiver.string($0["txid"]) })
            #expect((3...10).contains(transactions.count), "batched into \(transactions.count) transactions")
            for (address, amount) in expected {
                let received = try await node.received(by: address)
                #expect(received.amount == amount, "\(address) received \(received.amount), expected \(amount)")
                #expect(received.transactions.count == 1, "\(address) was paid by \(received.transactions)")
            }
            try await payer.expectBooksMatchTheChain(node: node)
        }
    }
}
}

extension ReceiveLitecoinCLITests.PayoutLitecoinCLITests {
    /// A reservation holds amount and fee hold or is rejected with the reason; the id is an
    /// idempotency key; malformed requests are refused with one line naming the problem and
    /// change nothing.
    @Test func reservationsAreIdempotentAndBadInputChangesNothing() async throws {
        try await Litecoind.with { node in
            let payer = try await Payer(node: node, customer: 10_000_000)
            defer { payer.receiver.close() }
            let destination = try await node.newAddress()
            let reserved = try payer.create("r-1", to: destination, amount: 5_000_000, extra: ["--max-fee", "20000"])
            #expect(reserved["status"] == .string("reserved"))
            #expect(reserved["amount"] == .string("5000000") && reserved["max_fee"] == .string("20000") && reserved["asset"] == .string("LTC"))
            let balance = try JSONValue(parsing: try payer.receiver.ok(["ledger", "balance", "carol"]))
            #expect(balance["debits_pending"] == .string("5020000"))
            // The same request again is the same payout; another request under the id is refused.
            #expect(try payer.create("r-1", to: destination, amount: 5_000_000, extra: ["--max-fee", "20000"]) == reserved)
            try CofferProcess.expectRejected(
                ["payout", "create", "--id", "r-1", "--chain", "ltc", "--account", "carol", "--to", destination, "--amount", "5000001", "--max-fee", "20000"],
                mentioning: ["payout-id-reused"], environment: payer.environment)
            // More than the account holds besides the first hold: rejected with the reason, nothing held.
            let rejected = try payer.create("r-2", to: destination, amount: 5_000_000)
            #expect(rejected["status"] == .string("rejected"))
            #expect(Receiver.string(rejected["reason"])?.contains("insufficient funds") == true)
            #expect(try JSONValue(parsing: try payer.receiver.ok(["ledger", "balance", "carol"]))["debits_pending"] == .string("5020000"))
            let bad: [([String], String)] = [
                (["--to", "rltc1qnotanaddress", "--amount", "1000"], "to:"),
                (["--to", "1BoatSLRHtKNngkdXEeobR76b53LETtpyT", "--amount", "1000"], "to:"),
                (["--to", destination, "--amount", "12.5"], "amount"),
                (["--to", destination, "--amount", "100"], "dust"),
                (["--to", destination, "--amount", "1000", "--max-fee", "0"], "max_fee"),
                (["--to", destination, "--amount", "1000", "--asset", "BTC"], "asset"),
            ]
            for (index, (arguments, word)) in bad.enumerated() {
                try CofferProcess.expectRejected(["payout", "create", "--id", "bad-\(index)", "--chain", "ltc", "--account", "carol"] + arguments,
                                                 status: 1, mentioning: [word], environment: payer.environment)
            }
            try CofferProcess.expectRejected(["payout", "create", "--id", "bad-x", "--chain", "nope", "--account", "carol", "--to", destination, "--amount", "1000"],
                                             mentioning: ["chain-not-found"], environment: payer.environment)
            try CofferProcess.expectRejected(["payout", "create", "--id", "bad-y", "--chain", "ltc", "--account", "alice", "--to", destination, "--amount", "1000"],
                                             mentioning: ["account-may-overdraw"], environment: payer.environment)
            try CofferProcess.expectRejected(["payout", "show", "nope"], mentioning: ["payout-not-found"], environment: payer.environment)
            try CofferProcess.expectRejected(["payout", "list", "--status", "lost"], status: 1, mentioning: ["status must be one of"], environment: payer.environment)
            #expect(try payer.list().count == 2)
            #expect(try payer.receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }
}

extension ReceiveLitecoinCLITests.PayoutLitecoinCLITests {
    /// A transaction stuck at a low fee is replaced (BIP 125) at a higher one through a new signing
    /// request; the replacement is mined and the payout settles with the fee actually paid.
    @Test func aStuckTransactionIsReplacedAndSettledWithTheRealFee() async throws {
        try await Litecoind.with { node in
            let payer = try await Payer(node: node, fallbackFeeRate: 2, owned: true)
            defer { payer.receiver.close() }
            let destination = try await node.newAddress()
            #expect(try payer.create("rbf-1", to: destination, amount: 40_000_000)["status"] == .string("reserved"))
            #expect(try payer.usedToday() == .string("40000000"))
            let first = try #require(try payer.workOnce(["--replace-after", "3600"]).first)
            #expect(first["broadcast"] == .integer(1))
            let original = try #require(Receiver.string(try payer.show("rbf-1")["txid"]))
            let replaced = try #require(try payer.workOnce(["--replace-after", "0"]).first)
            #expect(replaced["replaced"] == .integer(1), "\(replaced.text)")
            let mempool = try await node.cli("getrawmempool")
            guard case .array(let waiting) = mempool else { Issue.record("mempool: \(mempool.text)"); return }
            #expect(waiting.count == 1 && !waiting.contains(.string(original)), "the replacement took the original's place: \(mempool.text)")
            try await payer.settleAll(node: node, extra: ["--replace-after", "3600"])
            let settled = try payer.show("rbf-1")
            #expect(settled["status"] == .string("settled"))
            let txid = try #require(Receiver.string(settled["txid"]))
            #expect(txid != original)
            #expect(settled["fee"] == .string(String(try await node.fee(of: txid))))
            #expect(try await node.received(by: destination).amount == 40_000_000)
            // Settled, the payout stays in carol's window.
            #expect(try payer.usedToday() == .string("40000000"))
            try await payer.expectBooksMatchTheChain(node: node)
        }
    }

    /// Two `coffer serve` processes on one PostgreSQL database run the payout pipeline at once
    /// (two-second leases, passes every second), in three waves of payouts: after the first one
    /// server is killed with SIGKILL, after the second the other (holding the lease) is killed
    /// and a new one started, which must take the pipeline over. Every payout settles, each
    /// address is paid exactly once, more than one server advanced payouts, books match the chain.
    @Test func twoServersOnPostgreSQLPayEachPayoutOnce() async throws {
        try await Litecoind.with { node in
            let payer = try await Payer(node: node, backend: "postgres")
            defer { payer.receiver.close() }
            let environment = payer.environment.merging(["COFFER_PAYOUT_POLL_SECONDS": "1", "COFFER_PAYOUT_LEASE_SECONDS": "2", "COFFER_LOG_LEVEL": "info",
                                                        "COFFER_DATA_DIR": ""]) { $1 }
            func serve() throws -> CofferChildProcess { try CofferChildProcess(["serve", "--port", "0", "--rate-limit", "0"], input: Data(), environment: environment) }
            var expected: [String: UInt64] = [:]
            func wave(_ number: Int) async throws -> Bool {
                for index in 0..<7 {
                    let address = try await node.newAddress()
                    expected[address] = UInt64(2_000_000 + number * 100_000 + index * 1_001)
                    _ = try payer.create("srv-\(number)-\(index)", to: address, amount: expected[address]!)
                }
                for round in 0..<60 {
                    try await Task.sleep(for: .seconds(1))
                    if round % 2 == 1 { _ = try await node.mine(1) }
                    if try payer.list().allSatisfy({ $0["status"] == .string("settled") }) { return true }
                }
                return false
            }
            var servers = [try serve(), try serve()]
            var logs: [String] = []
            #expect(try await wave(1))
            servers[0].kill()
            logs.append(servers[0].finish(within: .seconds(10)).stderr)
            #expect(try await wave(2))
            servers[1].kill()
            logs.append(servers[1].finish(within: .seconds(10)).stderr)
            servers = [try serve()]
            let third = try await wave(3)
            let open = try payer.list().filter { $0["status"] != .string("settled") }
            #expect(third, "\(open.map(\.text))")
            servers[0].send(SIGTERM)
            logs.append(servers[0].finish(within: .seconds(30)).stderr)
            #expect(logs.filter { $0.contains("payouts advanced") }.count >= 2, "\(logs.map { $0.suffix(1_500) })")
            for (address, amount) in expected {
                let received = try await node.received(by: address)
                #expect(received.amount == amount && received.transactions.count == 1, "\(address): \(received)")
            }
            try await payer.expectBooksMatchTheChain(node: node)
        }
    }

    /// A sweep consolidates the hot wallet's deposit outputs into one fresh address of its own,
    /// through the pipeline and the signing policy, its fee paid by the treasury; the customer's
    /// money does not move, the consolidated coin pays the next payout, and books match the chain.
    @Test func aSweepConsolidatesTheDepositOutputsAndTheTreasuryPaysItsFee() async throws {
        try await Litecoind.with { node in
            let payer = try await Payer(node: node, customer: 100_000_000, fundHotWallet: false)
            defer { payer.receiver.close() }
            // One deposit output is nothing to consolidate.
            let one = try CofferProcess.run(["payout", "sweep", "--id", "sw-0", "--chain", "ltc"], environment: payer.environment)
            #expect(one.status != 0 && one.stderr.contains("nothing-to-sweep"), "\(one.stderr)")
            for _ in 0..<2 {
                let deposit = try #require(try payer.receiver.objects(["deposit", "address", "--chain", "ltc", "--wallet", "hot", "--account", "carol"]).first)
                _ = try await node.send(to: try #require(Receiver.string(deposit["address"])), amount: 50_000_000)
            }
            _ = try await node.mine(2)
            _ = try payer.receiver.sync()
            #expect(try payer.receiver.balance("carol") == 200_000_000)
            let sweeps = try payer.receiver.objects(["payout", "sweep", "--id", "sw-1", "--chain", "ltc", "--max-fee-rate", "50"])
            #expect(sweeps.count == 1 && sweeps.first?["kind"] == .string("sweep") && sweeps.first?["status"] == .string("reserved"), "\(sweeps.map(\.text))")
            // The same id answers the same sweep.
            #expect(try payer.receiver.objects(["payout", "sweep", "--id", "sw-1", "--chain", "ltc"]).map { $0["id"] } == sweeps.map { $0["id"] })
            try await payer.settleAll(node: node)
            let swept = try payer.show("sw-1")
            #expect(swept["status"] == .string("settled"), "\(swept.text)")
            let txid = try #require(Receiver.string(swept["txid"]))
            let transaction = try await node.cli("getrawtransaction", [.string(txid), .bool(true)])
            guard case .array(let inputs) = transaction["vin"], case .array(let outputs) = transaction["vout"] else { Issue.record("\(transaction.text)"); return }
            #expect(inputs.count == 3 && outputs.count == 1, "\(transaction.text)")
            let fee = try await node.fee(of: txid)
            #expect(swept["fee"] == .string(String(fee)))
            #expect(swept["amount"] == .string(String(200_000_000 - fee)))
            #expect(try payer.receiver.balance("carol") == 200_000_000)
            let treasury = try JSONValue(parsing: try payer.receiver.ok(["ledger", "balance", "treasury:ltc"]))
            #expect(treasury["debits_posted"] == .string(String(fee)))
            // The consolidated coin is the hot wallet's only coin now: it pays the next payout.
            let destination = try await node.newAddress()
            _ = try payer.create("after-sweep", to: destination, amount: 150_000_000)
            try await payer.settleAll(node: node)
            #expect(try payer.show("after-sweep")["status"] == .string("settled"))
            #expect(try await node.received(by: destination).amount == 150_000_000)
            let noMore = try CofferProcess.run(["payout", "sweep", "--id", "sw-2", "--chain", "ltc"], environment: payer.environment)
            #expect(noMore.status != 0 && noMore.stderr.contains("nothing-to-sweep"), "\(noMore.stderr)")
            let custody = try JSONValue(parsing: try payer.receiver.ok(["ledger", "balance", "custody:ltc"]))
            let held = (UInt128(Receiver.string(custody["debits_posted"]) ?? "") ?? 0) - (UInt128(Receiver.string(custody["credits_posted"]) ?? "") ?? 0)
            let payoutFee = UInt128(Receiver.string(try payer.show("after-sweep")["fee"]) ?? "") ?? 0
            #expect(held == 200_000_000 - UInt128(fee) - 150_000_000 - payoutFee)
            #expect(try payer.receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }

    /// A payout whose input is spent by someone else's transaction (mined) can never confirm: once
    /// the conflict is as deep as the chain's confirmations it fails and is compensated (the holds
    /// released), and nothing was paid twice.
    @Test func aPayoutWhoseInputWasDoubleSpentIsCompensated() async throws {
        try await Litecoind.with { node in
            let payer = try await Payer(node: node, customer: 500_000_000, fundHotWallet: false, owned: true)
            defer { payer.receiver.close() }
            let destination = try await node.newAddress()
            _ = try payer.create("ds-1", to: destination, amount: 100_000_000)
            #expect(try payer.usedToday() == .string("100000000"))
            #expect(try #require(try payer.workOnce().first)["broadcast"] == .integer(1))
            let txid = try #require(Receiver.string(try payer.show("ds-1")["txid"]))
            let key = try TestKeys.wif(mnemonic: ReceiveLitecoinCLITests.hotMnemonic, path: payer.customerPath, network: "litecoin-regtest")
            let thief = try await node.doubleSpend(txid, fee: 200_000, keys: [key])
            _ = try await node.mine(1)
            var status = ""
            for _ in 0..<6 {
                try payer.workOnce()
                status = Receiver.string(try payer.show("ds-1")["status"]) ?? ""
                if status == "compensated" { break }
                _ = try await node.mine(1)
            }
            #expect(status == "compensated")
            // Compensated, its amount is back in carol's window.
            #expect(try payer.usedToday() == .string("0"))
            #expect(try await node.received(by: destination).amount == 0)
            let balance = try JSONValue(parsing: try payer.receiver.ok(["ledger", "balance", "carol"]))
            #expect(balance["debits_pending"] == .string("0") && balance["debits_posted"] == .string("0"))
            let events = try payer.receiver.objects(["events"]).compactMap { Receiver.string($0["type"]) }
            #expect(events.contains("payout.failed") && events.contains("payout.compensated"), "\(events)")
            #expect(!thief.isEmpty)
            #expect(try payer.receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }
}
