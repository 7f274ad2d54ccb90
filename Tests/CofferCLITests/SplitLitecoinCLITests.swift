import CofferBase
import CofferTestSupport
import Foundation
import Testing

/// Split settlement through the CLI against Debian's litecoind in regtest: an invoice paid and a
/// deposit to an address, each divided by its rule with remainder units placed by largest
/// remainder and ties to the first listed; balances exact; a reorganisation that double-spends
/// the deposit moves its split back with the credit; the ledger verifies throughout.
// Nested in ReceiveLitecoinCLITests (serialized): see PayoutLitecoinCLITests.
extension ReceiveLitecoinCLITests {
@Suite(.serialized) struct SplitLitecoinCLITests {
    typealias Receiver = ReceiveLitecoinCLITests.Receiver

    @Test(arguments: ReceiveLitecoinCLITests.backends)
    func invoiceAndDepositAreSplitExactlyAndAReorgReversesTheSplit(_ backend: String) async throws {
        try await Litecoind.with { node in
            let receiver = try await Receiver(node: node, confirmations: 2, backend: backend)
            defer { receiver.close() }
            for id in ["carol", "fees"] { try receiver.ok(["ledger", "account", "create", "--id", id, "--asset", "LTC"]) }
            let invoice = try #require(try receiver.objects(["invoice", "create", "--chain", "ltc", "--wallet", "hot", "--account", "alice",
                                                             "--amount", "1000002"]).first)
            let invoiceID = try #require(Receiver.string(invoice["id"]))
            // The invoice's payment in thirds; every other payment to alice: 1,000 to fees, the rest halved.
            let thirds = try JSONValue(parsing: try receiver.ok(["split", "set", "--invoice", invoiceID, "--to", "bob:3333", "--to", "carol:3333",
                                                                 "--to", "alice:3334"]))
            #expect(thirds["invoice_id"] == .string(invoiceID) && thirds["account"] == .string("alice"))
            let rule = receiver.sandbox.directory + "/halves.json"
            try Data(#"{"recipients":[{"account":"fees","amount":"1000"},{"account":"bob","bps":5000},{"account":"alice","bps":5000}]}"#.utf8)
                .write(to: URL(fileURLWithPath: rule))
            try receiver.ok(["split", "set", "--account", "alice", "--file", rule])
            #expect(try receiver.ok(["split", "show", "--account", "alice"]).contains(#"{"account":"fees","bps":null,"amount":"1000"}"#))

            // 1,000,002 in thirds (3333, 3333, 3334 bp): 333,300.6666 twice and 333,400.6668; the two
            // units left go to alice's .6668, then to bob's .6666, listed before carol's.
            _ = try await node.send(to: try #require(Receiver.string(invoice["address"])), amount: 1_000_002)
            _ = try await node.mine(2)
            #expect(try receiver.sync()["credited"] == .integer(1))
            #expect(try receiver.balance("bob") == 333_301)
            #expect(try receiver.balance("carol") == 333_300)
            #expect(try receiver.balance("alice") == 333_401)

            // 2,000,001 to an address of alice: 1,000 to fees, then 1,999,001 halved; the odd unit
            // goes to bob, listed first.
            let address = try receiver.address(wallet: "hot", account: "alice")
            let paid = try await node.send(to: address, amount: 2_000_001)
            let blocks = try await node.mine(2)
            #expect(try receiver.sync()["credited"] == .integer(1))
            #expect(try receiver.balance("fees") == 1_000)
            #expect(try receiver.balance("bob") == 333_301 + 999_501)
            #expect(try receiver.balance("alice") == 333_401 + 999_500)
            #expect(try receiver.balance("carol") == 333_300)
            let deposit = try #require(try receiver.deposits(status: "credited").first { Receiver.string($0["txid"]) == paid })
            let credit = try #require(Receiver.string(deposit["transfer_id"]))
            // alice's own parts stay: the transfers out of alice are the other recipients' parts.
            let out = try receiver.objects(["ledger", "transfers", "--account", "alice", "--limit", "100"])
                .filter { Receiver.string($0["debit"]) == "alice" }.compactMap { Receiver.string($0["id"]) }
            #expect(out.count == 4 && out.suffix(2) == ["\(credit)-s0", "\(credit)-s1"], "\(out)")
            #expect(try receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))

            // The deposit's block is reorganised away and its transaction double-spent: the split
            // moves back to alice and the credit is reversed; the invoice's split stands.
            try await node.invalidate(blocks[0])
            _ = try await node.doubleSpend(paid)
            _ = try await node.mine(4, to: try await node.newAddress())
            #expect(try receiver.sync()["reversed"] == .integer(1))
            #expect(try receiver.balance("fees") == 0)
            #expect(try receiver.balance("bob") == 333_301)
            #expect(try receiver.balance("alice") == 333_401)
            #expect(try receiver.balance("carol") == 333_300)
            let types = try receiver.objects(["events", "--limit", "1000"]).compactMap { Receiver.string($0["type"]) }
            #expect(types.filter { $0 == "deposit.split" }.count == 2 && types.last == "deposit.split_reversed", "\(types)")
            #expect(try receiver.ok(["ledger", "verify"]).contains("\"intact\":true"))
        }
    }
}
}
