import CofferBase
import CofferTestSupport
import Foundation
import Testing

/// Receiving on a real EVM (eth-tester with py-evm behind the JSON-RPC fixture started by the
/// test), through the CLI: native value and ERC-20 transfers of a token compiled from Vyper
/// source, credited once after K blocks; a reorg (revert to a snapshot, mine another chain)
/// reverses a credited deposit and orphans a confirming one.
@Suite(.serialized) struct ReceiveEVMCLITests {
    typealias Receiver = ReceiveLitecoinCLITests.Receiver

    static func integer(_ value: JSONValue) -> UInt64 {
        if case .string(let text) = value { return UInt64(text.dropFirst(2), radix: 16) ?? 0 }
        return 0
    }

    @Test func nativeAndTokenDepositsAreCreditedOnceAndReorgsReverseAndOrphan() async throws {
        try await EVMFixture.run { evm in
            let receiver = try await EVMReceiver(evm: evm)
            let (token, address) = (receiver.token, receiver.address)

            let oneEther: UInt128 = 1_000_000_000_000_000_000
            _ = try await evm.send(to: address, value: oneEther)
            _ = try await evm.tokenTransfer(token: token, to: address, amount: 5_000_000)
            _ = try await evm.mine(1)
            let first = try receiver.sync()
            #expect(first["deposits"] == .integer(2), "\(first)")
            _ = try await evm.mine(1)
            #expect(try receiver.sync()["credited"] == .integer(2))
            #expect(try receiver.balance("alice") == oneEther)
            #expect(try receiver.balance("alice:CTT") == 5_000_000)
            let credited = try receiver.objects(["deposit", "list", "--chain", "eth", "--status", "credited"]).filter { $0["txid"] != nil }
            #expect(Set(credited.compactMap { Receiver.string($0["asset"]) }) == ["ETH", "CTT"])

            // A credited deposit, then a reorg without it: reversed.
            let before = try await evm.snapshot()
            _ = try await evm.send(to: address, value: 2 * oneEther)
            _ = try await evm.mine(2)
            #expect(try receiver.sync()["credited"] == .integer(1))
            #expect(try receiver.balance("alice") == 3 * oneEther)
            try await evm.revert(to: before)
            _ = try await evm.send(to: EVMFixture.randomAddress(), value: 1)
            _ = try await evm.mine(4)
            let reorg = try receiver.sync()
            #expect(reorg["reversed"] == .integer(1), "\(reorg)")
            #expect(try receiver.balance("alice") == oneEther)

            // A confirming deposit, then a reorg without it: orphaned.
            let again = try await evm.snapshot()
            _ = try await evm.send(to: address, value: 3 * oneEther)
            _ = try await evm.mine(1)
            #expect(try receiver.sync()["deposits"] == .integer(1))
            try await evm.revert(to: again)
            _ = try await evm.send(to: EVMFixture.randomAddress(), value: 2)
            _ = try await evm.mine(3)
            #expect(try receiver.sync()["orphaned"] == .integer(1))
            #expect(try receiver.balance("alice") == oneEther)
            #expect(try receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }
}

/// A data directory with an unlocked vault, a hot wallet, the chain `eth` on the EVM fixture
/// (two confirmations), a 6-decimal token registered as CTT, and alice's deposit address.
struct EVMReceiver: CommandLineDriver {
    let sandbox: VaultCLITests.Sandbox
    let token: String
    let address: String

    init(evm: EVMFixture) async throws {
        sandbox = try VaultCLITests.Sandbox()
        let environment = sandbox.environment.merging(["COFFER_VAULT_PASSPHRASE_FILE": sandbox.passphrase]) { $1 }
        func ok(_ arguments: [String], stdin: String? = nil) throws -> String {
            let result = try CofferProcess.run(arguments, stdin: stdin, environment: environment)
            guard result.status == 0 else { throw HarnessError("\(arguments): \(result.stderr)") }
            return result.stdout
        }
        _ = try ok(["vault", "init"])
        _ = try ok(["wallet", "import", "--name", "hot", "--from", "mnemonic"], stdin: ReceiveLitecoinCLITests.hotMnemonic)
        let height = ReceiveEVMCLITests.integer(try await evm.call("eth_blockNumber"))
        _ = try ok(["chain", "add", "--name", "eth", "--network", "evm:\(evm.chainID)", "--rpc-url", evm.url, "--confirmations", "2",
                    "--start-height", String(height + 1)])
        token = try await evm.deployToken(decimals: 6)
        _ = try ok(["chain", "token", "add", "--chain", "eth", "--contract", token, "--asset", "CTT", "--decimals", "6"])
        _ = try ok(["ledger", "account", "create", "--id", "alice", "--asset", "ETH"])
        let line = try JSONValue(parsing: String(try ok(["deposit", "address", "--chain", "eth", "--wallet", "hot", "--account", "alice"]).split(separator: "\n")[0]))
        guard let address = ReceiveLitecoinCLITests.Receiver.string(line["address"]) else { throw HarnessError("no deposit address: \(line)") }
        self.address = address
    }

    var environment: [String: String] { sandbox.environment.merging(["COFFER_VAULT_PASSPHRASE_FILE": sandbox.passphrase]) { $1 } }

    func sync() throws -> JSONValue { try #require(try objects(["chain", "sync", "--chain", "eth", "--once"]).first) }

    /// Credits minus debits posted.
    func balance(_ account: String) throws -> UInt128 {
        let balance = try JSONValue(parsing: try ok(["ledger", "balance", account]))
        typealias R = ReceiveLitecoinCLITests.Receiver
        return (UInt128(R.string(balance["credits_posted"]) ?? "") ?? 0) - (UInt128(R.string(balance["debits_posted"]) ?? "") ?? 0)
    }
}
