import CofferBase
import CofferTestSupport
import Foundation
import Testing

/// Paying out on a real EVM (eth-tester with py-evm behind the JSON-RPC fixture), through the
/// CLI: ETH and ERC-20 payouts from the hot wallet's address with consecutive nonces, the worker
/// killed between signing and broadcasting (and at every other step), no nonce gap, no payment
/// twice, the ledger matching the chain; a stuck transaction replaced by the same nonce at higher
/// fees and settled with the fee its receipt shows.
// Nested in ReceiveLitecoinCLITests (serialized) for the reason PayoutLitecoinCLITests gives.
extension ReceiveLitecoinCLITests {
@Suite(.serialized) struct PayoutEVMCLITests {
    typealias Receiver = ReceiveLitecoinCLITests.Receiver
    static let ether: UInt128 = 1_000_000_000_000_000_000

    /// A vault with the hot wallet paying on chain "eth" (2 confirmations), token CTT (6
    /// decimals), the hot wallet funded by the operator with ether and tokens, and customer
    /// alice holding 5 ether and 50 CTT from credited deposits.
    struct Payer: CommandLineDriver {
        let evm: EVMFixture
        let sandbox: VaultCLITests.Sandbox
        let token: String
        let hotAddress: String

        init(evm: EVMFixture) async throws {
            self.evm = evm
            sandbox = try VaultCLITests.Sandbox()
            token = try await evm.deployToken(decimals: 6)
            hotAddress = ""
            try ok(["vault", "init"])
            try ok(["wallet", "import", "--name", "hot", "--from", "mnemonic"], stdin: ReceiveLitecoinCLITests.hotMnemonic)
            let height = ReceiveEVMCLITests.integer(try await evm.call("eth_blockNumber"))
            try ok(["chain", "add", "--name", "eth", "--network", "evm:\(evm.chainID)", "--rpc-url", evm.url, "--confirmations", "2", "--start-height", String(height + 1)])
            try ok(["chain", "token", "add", "--chain", "eth", "--contract", token, "--asset", "CTT", "--decimals", "6"])
            try ok(["policy", "set", "--file", try sandbox.file("policy.json", #"{"rules":[]}"#)])
            try ok(["ledger", "account", "create", "--id", "alice", "--asset", "ETH", "--flags", "debits-must-not-exceed-credits"])
        }

        var environment: [String: String] { sandbox.environment.merging(["COFFER_VAULT_PASSPHRASE_FILE": sandbox.passphrase]) { $1 } }

        func sync() throws -> JSONValue { try #require(try objects(["chain", "sync", "--chain", "eth", "--once"]).first) }

        func balance(_ account: String) throws -> Int128 {
            let balance = try JSONValue(parsing: try ok(["ledger", "balance", account]))
            return Int128(Receiver.string(balance["credits_posted"]) ?? "")! - Int128(Receiver.string(balance["debits_posted"]) ?? "")!
        }

        /// Names the hot wallet and funds it and alice; returns the hot wallet's address.
        func fund() async throws -> String {
            let hot = try #require(try objects(["chain", "hot-wallet", "--chain", "eth", "--wallet", "hot", "--fallback-fee-rate", "1", "--max-fee-rate", "100"]).first)
            let address = try #require(Receiver.string(hot["address"]))
            let deposit = try #require(Receiver.string(try objects(["deposit", "address", "--chain", "eth", "--wallet", "hot", "--account", "alice"]).first?["address"]))
            _ = try await evm.send(to: address, value: 10 * PayoutEVMCLITests.ether)
            _ = try await evm.tokenTransfer(token: token, to: address, amount: 500_000_000)
            _ = try await evm.send(to: deposit, value: 5 * PayoutEVMCLITests.ether)
            _ = try await evm.tokenTransfer(token: token, to: deposit, amount: 50_000_000)
            _ = try await evm.mine(2)
            #expect(try sync()["credited"] == .integer(4))
            #expect(try balance("alice") == 5 * Int128(PayoutEVMCLITests.ether))
            #expect(try balance("alice:CTT") == 50_000_000)
            return address
        }

        func create(_ id: String, to address: String, amount: UInt128, token: Bool = false) throws -> JSONValue {
            try #require(try objects(["payout", "create", "--id", id, "--chain", "eth", "--account", token ? "alice:CTT" : "alice", "--to", address,
                                      "--amount", String(amount)] + (token ? ["--asset", "CTT"] : [])).first)
        }

        func list() throws -> [JSONValue] { try objects(["payout", "list", "--limit", "1000"]).filter { $0["id"] != nil } }

        /// The worker once, optionally armed to kill itself at a crash point; its exit status and output.
        @discardableResult
        func work(crashAt point: String? = nil, extra: [String] = []) throws -> (status: Int32, output: String) {
            let environment = self.environment.merging(point.map { ["COFFER_TEST_CRASH_AT": $0] } ?? [:]) { $1 }
            let result = try CofferProcess.run(["payout", "worker", "--once", "--lease", "1"] + extra, environment: environment)
            // A killed worker's one-second lease (whole seconds) runs out before the next one starts.
            if result.status != 0 { Thread.sleep(forTimeInterval: 2.1) }
            return (result.status, result.stdout + result.stderr)
        }

        /// Passes and blocks until every payout is final; the last pass's output otherwise.
        @discardableResult
        func settleAll(passes: Int = 12) async throws -> String {
            var output = ""
            for _ in 0..<passes {
                output = try work().output
                if try list().allSatisfy({ ["settled", "rejected", "compensated"].contains(Receiver.string($0["status"]) ?? "") }) { return "" }
                _ = try await evm.mine(1)
            }
            return output
        }

        func tokenBalance(of address: String) async throws -> UInt128 {
            let padded = String(repeating: "0", count: 24) + address.dropFirst(2).lowercased()
            let answer = try await evm.call("eth_call", [.object([("to", .string(token)), ("data", .string("0x70a08231" + padded))]), .string("latest")])
            return UInt128(Receiver.string(answer).map { String($0.dropFirst(2)) } ?? "", radix: 16) ?? 0
        }

        func etherBalance(of address: String) async throws -> UInt128 {
            let answer = try await evm.call("eth_getBalance", [.string(address), .string("latest")])
            return UInt128(Receiver.string(answer).map { String($0.dropFirst(2)) } ?? "", radix: 16) ?? 0
        }

        func nonce(of address: String, _ tag: String = "latest") async throws -> UInt64 {
            ReceiveEVMCLITests.integer(try await evm.call("eth_getTransactionCount", [.string(address), .string(tag)]))
        }

        func transaction(_ hash: String) async throws -> JSONValue { try await evm.call("eth_getTransactionByHash", [.string(hash)]) }
    }

    @Test func etherAndTokenPayoutsSurviveCrashesWithConsecutiveNoncesAndNoDoublePayment() async throws {
        try await EVMFixture.run { evm in
            let payer = try await Payer(evm: evm)
            let hot = try await payer.fund()
            var ether: [String: UInt128] = [:], tokens: [String: UInt128] = [:]
            for index in 0..<4 {
                let address = EVMFixture.randomAddress()
                ether[address] = PayoutEVMCLITests.ether / 10 + UInt128(index)
                #expect(try payer.create("e-\(index)", to: address, amount: ether[address]!)["status"] == .string("reserved"))
                let holder = EVMFixture.randomAddress()
                tokens[holder] = 1_000_000 + UInt128(index)
                #expect(try payer.create("t-\(index)", to: holder, amount: tokens[holder]!, token: true)["status"] == .string("reserved"))
            }
            // The worker killed at each step boundary: between signing and broadcasting among them.
            for point in ["after-batch", "after-vault-sign", "after-sign-stored", "after-sign-stored", "after-broadcast", "after-broadcast"] {
                let run = try payer.work(crashAt: point)
                #expect(run.status != 0, "the worker armed at \(point) should have been killed: \(run.output)")
            }
            try await payer.settleAll()
            _ = try await evm.mine(2)
            try await payer.settleAll()

            let payouts = try payer.list()
            #expect(payouts.count == 8)
            #expect(payouts.allSatisfy { $0["status"] == .string("settled") }, "\(payouts.map(\.text))")
            // One transaction per payout from the hot wallet, nonces 0...7 each once: no gap, no reuse.
            var nonces: [UInt64] = []
            for payout in payouts {
                let transaction = try await payer.transaction(try #require(Receiver.string(payout["txid"])))
                #expect(Receiver.string(transaction["from"])?.lowercased() == hot.lowercased())
                nonces.append(ReceiveEVMCLITests.integer(transaction["nonce"] ?? .null))
            }
            #expect(nonces.sorted() == Array(0..<8), "\(nonces)")
            #expect(try await payer.nonce(of: hot) == 8)
            for (address, amount) in ether { #expect(try await payer.etherBalance(of: address) == amount) }
            for (address, amount) in tokens { #expect(try await payer.tokenBalance(of: address) == amount) }

            // The books: alice paid the ether and its fees; the treasury paid the token payouts' fees;
            // the fee account's debits are every fee the receipts show.
            let fees = payouts.reduce(Int128(0)) { $0 + Int128(Receiver.string($1["fee"]) ?? "0")! }
            let etherFees = payouts.filter { $0["asset"] == .string("ETH") }.reduce(Int128(0)) { $0 + Int128(Receiver.string($1["fee"]) ?? "0")! }
            #expect(fees > etherFees && etherFees > 0)
            #expect(try payer.balance("alice") == 5 * Int128(PayoutEVMCLITests.ether) - ether.values.reduce(Int128(0)) { $0 + Int128($1) } - etherFees)
            #expect(try payer.balance("alice:CTT") == 50_000_000 - tokens.values.reduce(Int128(0)) { $0 + Int128($1) })
            #expect(try payer.balance("treasury:eth") == 10 * Int128(PayoutEVMCLITests.ether) - (fees - etherFees))
            let chainETH = try await payer.etherBalance(of: hot)
            #expect(Int128(chainETH) == 10 * Int128(PayoutEVMCLITests.ether) - ether.values.reduce(Int128(0)) { $0 + Int128($1) } - fees)
            #expect(try payer.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }

    @Test func aStuckTransactionIsReplacedWithTheSameNonceAndSettledWithTheRealFee() async throws {
        try await EVMFixture.run { evm in
            let payer = try await Payer(evm: evm)
            let hot = try await payer.fund()
            let recipient = EVMFixture.randomAddress()
            _ = try payer.create("stuck", to: recipient, amount: 12_345)
            try payer.work()
            let first = try JSONValue(parsing: try payer.ok(["payout", "show", "stuck"]))
            #expect(first["status"] == .string("broadcast"))
            let stuck = try #require(Receiver.string(first["txid"]))
            // Not mined: past the deadline it is replaced by a transaction with the same nonce.
            try payer.work(extra: ["--replace-after", "0"])
            let replaced = try JSONValue(parsing: try payer.ok(["payout", "show", "stuck"]))
            let replacement = try #require(Receiver.string(replaced["txid"]))
            #expect(replacement != stuck)
            #expect(try await payer.transaction(stuck) == .null, "the node dropped the replaced transaction")
            let original = try await payer.transaction(replacement)
            #expect(ReceiveEVMCLITests.integer(original["nonce"] ?? .null) == 0)
            #expect(ReceiveEVMCLITests.integer(original["maxFeePerGas"] ?? .null) > 0)
            try await payer.settleAll()
            let settled = try JSONValue(parsing: try payer.ok(["payout", "show", "stuck"]))
            #expect(settled["status"] == .string("settled"), "\(settled.text)")
            #expect(Receiver.string(settled["txid"]) == replacement)
            let receipt = try await evm.call("eth_getTransactionReceipt", [.string(replacement)])
            let paid = UInt128(ReceiveEVMCLITests.integer(receipt["gasUsed"] ?? .null)) * UInt128(ReceiveEVMCLITests.integer(receipt["effectiveGasPrice"] ?? .null))
            #expect(Receiver.string(settled["fee"]) == String(paid))
            #expect(try await payer.etherBalance(of: recipient) == 12_345)
            #expect(try await payer.nonce(of: hot) == 1)
        }
    }
    /// A sweep of a deposit address holding ether and a token: the ether swept to the hot wallet,
    /// a gas top-up from the hot wallet, then the token swept, each a payout of its own with the
    /// deposit address's own consecutive nonces; nothing is credited again, the customer's money
    /// does not move, the treasury pays every fee, and the chain holds what custody says.
    @Test func aSweepMovesEtherAndTokensToTheHotWalletAfterAGasTopUp() async throws {
        try await EVMFixture.run { evm in
            let payer = try await Payer(evm: evm)
            let hot = try await payer.fund()
            let deposit = try #require(Receiver.string(try payer.objects(["deposit", "list", "--chain", "eth"]).first { $0["account"] == .string("alice") }?["address"]))
            let sweeps = try payer.objects(["payout", "sweep", "--id", "sw", "--chain", "eth"])
            #expect(sweeps.map { Receiver.string($0["kind"]) ?? "" } == ["sweep", "top-up", "sweep"], "\(sweeps.map(\.text))")
            let unsettled = try await payer.settleAll()
            let settled = try payer.list()
            #expect(settled.count == 3 && settled.allSatisfy { $0["status"] == .string("settled") }, "\(unsettled)")
            _ = try await evm.mine(2)
            let again = try payer.sync()
            #expect(again["credited"] == .integer(0) && again["deposits"] == .integer(0), "sweeps are no deposits: \(again.text)")
            #expect(try payer.balance("alice") == 5 * Int128(PayoutEVMCLITests.ether))
            #expect(try payer.balance("alice:CTT") == 50_000_000)
            #expect(try await payer.tokenBalance(of: hot) == 550_000_000)
            #expect(try await payer.tokenBalance(of: deposit) == 0)
            #expect(try await payer.nonce(of: deposit) == 2)
            let fees = settled.reduce(Int128(0)) { $0 + Int128(Receiver.string($1["fee"]) ?? "0")! }
            #expect(try payer.balance("treasury:eth") == 10 * Int128(PayoutEVMCLITests.ether) - fees)
            let onChain = Int128(try await payer.etherBalance(of: hot)) + Int128(try await payer.etherBalance(of: deposit))
            #expect(onChain == 15 * Int128(PayoutEVMCLITests.ether) - fees)
            #expect(try -payer.balance("custody:eth") == onChain)
            #expect(try payer.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }

    /// Fee/speed routing between two EVM networks carrying one token: with no deadline the
    /// cheaper chain, with a deadline only the faster chain meets, that one; none meeting it, the
    /// fastest; the choice recorded on the payout.
    @Test func aRoutedPayoutTakesTheCheapestChainThatMeetsTheDeadline() async throws {
        try await EVMFixture.run { cheap in
            try await EVMFixture.run(chainID: 1338) { fast in
                // "eth": 2 confirmations (24 s), tips from 1 gwei. "fast": 1 confirmation (12 s), tips from 20 gwei.
                let payer = try await Payer(evm: cheap)
                _ = try await payer.fund()
                let height = ReceiveEVMCLITests.integer(try await fast.call("eth_blockNumber"))
                try payer.ok(["chain", "add", "--name", "fast", "--network", "evm:1338", "--rpc-url", fast.url, "--confirmations", "1",
                              "--start-height", String(height + 1)])
                try payer.ok(["chain", "token", "add", "--chain", "fast", "--contract", try await fast.deployToken(decimals: 6), "--asset", "CTT", "--decimals", "6"])
                try payer.ok(["chain", "hot-wallet", "--chain", "fast", "--wallet", "hot", "--fallback-fee-rate", "20", "--max-fee-rate", "100"])
                func route(_ id: String, deadline: UInt64?) throws -> JSONValue {
                    try #require(try payer.objects(["payout", "create", "--id", id, "--chain", "auto", "--asset", "CTT", "--account", "alice:CTT",
                                                    "--to", "0x00000000000000000000000000000000000000aa", "--amount", "1000"]
                                                   + (deadline.map { ["--deadline", String($0)] } ?? [])).first)
                }
                let cheapest = try route("r-1", deadline: nil)
                #expect(cheapest["chain"] == .string("eth") && cheapest["status"] == .string("reserved"), "\(cheapest.text)")
                #expect(Receiver.string(cheapest["route"])?.hasPrefix("eth: cheapest meeting the deadline") == true, "\(cheapest.text)")
                let quick = try route("r-2", deadline: 15)
                #expect(quick["chain"] == .string("fast") && Receiver.string(quick["route"])?.hasPrefix("fast: cheapest meeting") == true, "\(quick.text)")
                let late = try route("r-3", deadline: 5)
                #expect(late["chain"] == .string("fast") && Receiver.string(late["route"])?.contains("fastest (none met the deadline)") == true, "\(late.text)")
                // The id answers the payout it routed; the token's three holds are on alice.
                #expect(try route("r-1", deadline: nil)["id"] == cheapest["id"])
                let balance = try JSONValue(parsing: try payer.ok(["ledger", "balance", "alice:CTT"]))
                #expect(balance["debits_pending"] == .string("3000"))
                // Without an asset there is nothing to route.
                let bare = try CofferProcess.run(["payout", "create", "--id", "r-4", "--chain", "auto", "--account", "alice", "--to", EVMFixture.randomAddress(),
                                                  "--amount", "5"], environment: payer.environment)
                #expect(bare.status != 0 && bare.stderr.contains("asset is required"), "\(bare.stderr)")
            }
        }
    }
}
}
