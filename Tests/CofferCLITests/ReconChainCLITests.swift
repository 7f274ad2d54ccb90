import CofferBase
import CofferTestSupport
import Foundation
import Testing

/// A chain against the ledger, through `coffer recon chain` exactly as operators use it, on
/// Debian's litecoind in regtest: what Coffer's addresses hold (the node's UTXO set) next to the
/// chain's custody account. A deposit planted on the chain alone, never synced, is a
/// `balance_difference` of exactly its amount; one still confirming is a `timing_difference`.
@Suite(.serialized) struct ReconChainCLITests {
    typealias Receiver = ReceiveLitecoinCLITests.Receiver

    @Test(arguments: ReceiveLitecoinCLITests.backends)
    func aDepositTheLedgerMissedIsABalanceDifference(_ backend: String) async throws {
        try await Litecoind.with { node in
            let receiver = try await Receiver(node: node, confirmations: 3, backend: backend)
            defer { receiver.close() }
            let custody = try #require(Receiver.string(try receiver.objects(["chain", "list"]).first?["custody_account"]))

            // Nothing anywhere yet: balanced at zero.
            let empty = try run(receiver)
            #expect(empty["exceptions"] == .integer(0))
            let emptyLine = try line(empty)
            #expect(emptyLine["status"] == .string("balanced"))
            #expect(emptyLine["on_chain"] == .string("0"))

            let first = try receiver.address(wallet: "hot", account: "alice")
            let second = try receiver.address(wallet: "watch", account: "bob")
            _ = try await node.send(to: first, amount: 10_000_000)
            _ = try await node.mine(1)
            #expect(try receiver.sync()["deposits"] == .integer(1))

            // Mined but one block of three: the ledger has not credited it yet, and says so.
            let confirming = try run(receiver)
            let confirmingLine = try line(confirming)
            #expect(confirmingLine["status"] == .string("in_flight"))
            #expect(confirmingLine["on_chain"] == .string("10000000"))
            #expect(confirmingLine["ledger"] == .string("0"))
            #expect(confirmingLine["uncredited"] == .string("10000000"))
            #expect(try exceptions(receiver, run: confirming).map { $0["kind"] } == [.string("timing_difference")])

            _ = try await node.mine(2)
            #expect(try receiver.sync()["credited"] == .integer(1))
            let credited = try run(receiver)
            let creditedLine = try line(credited)
            #expect(creditedLine["status"] == .string("balanced"))
            #expect(creditedLine["on_chain"] == .string("10000000"))
            #expect(creditedLine["ledger"] == .string("10000000"))
            #expect(creditedLine["difference"] == .string("0"))
            #expect(creditedLine["account"] == .string(custody))
            #expect(credited["exceptions"] == .integer(0))
            #expect(credited["statement_rows"] == .integer(2))  // both addresses were read

            // Planted on the chain only: paid and buried under blocks, never synced.
            _ = try await node.send(to: second, amount: 2_500_000)
            _ = try await node.mine(4)
            let planted = try run(receiver)
            let plantedLine = try line(planted)
            #expect(plantedLine["status"] == .string("different"))
            #expect(plantedLine["on_chain"] == .string("12500000"))
            #expect(plantedLine["ledger"] == .string("10000000"))
            #expect(plantedLine["uncredited"] == .string("0"))
            #expect(plantedLine["difference"] == .string("2500000"))
            let height = try await node.cli("getblockcount")
            #expect(plantedLine["height"] == height)
            let found = try exceptions(receiver, run: planted)
            #expect(found.count == 1)
            #expect(found.first?["kind"] == .string("balance_difference"))
            #expect(found.first?["amount_difference"] == .string("2500000"))
            #expect(found.first?["ledger"] == .array([.string(custody)]))
            #expect(found.first?["statement"] == .array([]))

            // The run is in the history with its source, and reads back as it was printed.
            let history = try receiver.objects(["recon", "runs", "--limit", "1"])
            #expect(history.first?["run"] == planted["run"])
            #expect(history.first?["source"] == .string("chain"))
            #expect(history.first?["balances"] == planted["balances"])

            // Once the syncer credits it, the books agree again.
            #expect(try receiver.sync()["credited"] == .integer(1))
            let mended = try run(receiver)
            #expect(try line(mended)["status"] == .string("balanced"))
            #expect(try line(mended)["on_chain"] == .string("12500000"))
            #expect(mended["exceptions"] == .integer(0))

            // Daily inside coffer serve (ReconScheduleTests runs it): the schedule names the chain.
            let schedule = try JSONValue(parsing: try receiver.ok(["recon", "schedule", "add", "--daily", "02:00", "--chain", "ltc"]))
            #expect(schedule["chain"] == .string("ltc") && schedule["at"] == .string("02:00") && schedule["statement"] == .null, "\(schedule)")
            let mixed = try CofferProcess.run(["recon", "schedule", "add", "--daily", "02:00", "--chain", "ltc", "--account", "alice"],
                                              environment: receiver.environment)
            #expect(mixed.status != 0 && mixed.stderr.contains("no statement, no account"), "\(mixed.stderr)")

            // Bad input: a clear error, and no run stored.
            let before = try receiver.objects(["recon", "runs", "--limit", "1000"]).count
            let unknown = try CofferProcess.run(["recon", "chain", "--chain", "nope"], environment: receiver.environment)
            #expect(unknown.status != 0)
            #expect(unknown.stderr.contains("no chain \"nope\""))
            let malformed = try CofferProcess.run(["recon", "chain", "--chain", "Not A Name!"], environment: receiver.environment)
            #expect(malformed.status != 0)
            #expect(!malformed.stderr.contains("Fatal error"))
            #expect(try receiver.objects(["recon", "runs", "--limit", "1000"]).count == before)
        }
    }

    /// The same on a real EVM (eth-tester behind the JSON-RPC fixture): the native balance and a
    /// Vyper token's `balanceOf`, each against its own custody account; a token transfer planted
    /// on the chain only is a difference of the token alone.
    @Test func evmNativeAndTokenHoldingsAgainstTheirCustodyAccounts() async throws {
        try await EVMFixture.run { evm in
            let receiver = try await EVMReceiver(evm: evm)
            let (token, address) = (receiver.token, receiver.address)
            func lines() throws -> (run: JSONValue, eth: JSONValue, token: JSONValue) {
                let run = try JSONValue(parsing: try receiver.ok(["recon", "chain", "--chain", "eth"]))
                guard case .array(let lines)? = run["balances"], lines.count == 2 else { throw HarnessError("expected two lines: \(run)") }
                #expect(lines.map { $0["asset"] } == [.string("ETH"), .string("CTT")])
                return (run, lines[0], lines[1])
            }

            let oneEther: UInt128 = 1_000_000_000_000_000_000
            _ = try await evm.send(to: address, value: oneEther)
            _ = try await evm.tokenTransfer(token: token, to: address, amount: 5_000_000)
            _ = try await evm.mine(2)
            #expect(try receiver.sync()["credited"] == .integer(2))
            let agreed = try lines()
            #expect(agreed.run["exceptions"] == .integer(0))
            #expect(agreed.eth["on_chain"] == .string(oneEther.description) && agreed.eth["status"] == .string("balanced"))
            #expect(agreed.token["on_chain"] == .string("5000000") && agreed.token["ledger"] == .string("5000000"))
            #expect(agreed.token["status"] == .string("balanced"))
            #expect(agreed.token["account"] == .string("custody:eth:CTT"))

            // A token transfer on the chain only: the token differs by exactly it, the coin does not.
            _ = try await evm.tokenTransfer(token: token, to: address, amount: 700_000)
            _ = try await evm.mine(3)
            let planted = try lines()
            #expect(planted.eth["status"] == .string("balanced"))
            #expect(planted.token["status"] == .string("different"))
            #expect(planted.token["difference"] == .string("700000"))
            #expect(planted.token["on_chain"] == .string("5700000"))
            let block = try await evm.call("eth_blockNumber")
            #expect(planted.token["height"] == .integer(Int(ReceiveEVMCLITests.integer(block))))
            guard case .string(let run)? = planted.run["run"] else { throw HarnessError("no run id") }
            let found = try receiver.objects(["recon", "exceptions", "--run", run])
            #expect(found.map { $0["kind"] } == [.string("balance_difference")])
            #expect(found.first?["ledger"] == .array([.string("custody:eth:CTT")]))
            #expect(found.first?["amount_difference"] == .string("700000"))
        }
    }

    func run(_ receiver: Receiver, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        let run = try JSONValue(parsing: try receiver.ok(["recon", "chain", "--chain", "ltc"], sourceLocation: sourceLocation))
        #expect(run["source"] == .string("chain"), sourceLocation: sourceLocation)
        #expect(run["statement"] == .string("ltc"), sourceLocation: sourceLocation)
        return run
    }

    func line(_ run: JSONValue, sourceLocation: SourceLocation = #_sourceLocation) throws -> JSONValue {
        guard case .array(let lines)? = run["balances"], lines.count == 1, let line = lines.first else {
            Issue.record("expected one balance line in \(run)", sourceLocation: sourceLocation)
            throw HarnessError("no balance line")
        }
        #expect(line["asset"] == .string("LTC"), sourceLocation: sourceLocation)
        #expect(line["chain"] == .string("ltc"), sourceLocation: sourceLocation)
        return line
    }

    func exceptions(_ receiver: Receiver, run: JSONValue) throws -> [JSONValue] {
        guard case .string(let id)? = run["run"] else { throw HarnessError("the run has no id: \(run)") }
        return try receiver.objects(["recon", "exceptions", "--run", id])
    }
}
