import ChainNodes
import CofferBase
import CofferTestSupport
import Testing
import WalletCore

/// The payout pieces against a real Litecoin Core node in regtest: coins of an HD wallet (p2wpkh,
/// p2sh-p2wpkh and p2tr) funded by the node, selected, built into a PSBT, signed, finalised,
/// accepted, mined and received to the litoshi; then a BIP125 replacement of an unconfirmed
/// payout that the node takes in place of the original.
@Suite struct BitcoinPayoutNodeTests {
    static let master = try! ExtendedPrivateKey(seed: SecretBytes(
        try! Mnemonic(phrase: "legal winner thank year wave sausage worth useful legal winner thank yellow").seed()))
    /// Litecoin Core's default -dustrelayfee (0.0003 LTC/kvB), ten times Bitcoin's.
    static let dustRelayFeeRate = BitcoinFeeRate(perKilovbyte: 30_000)

    /// The wallet's key `index` of `scheme` on `network` (BIP44/49/84/86, the network's coin type).
    static func key(_ scheme: BitcoinScheme, network: BitcoinNetwork, change: Bool = false, index: UInt32) throws -> PSBTBuilder.WalletKey {
        try PSBTBuilder.WalletKey(master: master, path: DerivationPath(parsing: "m/\(scheme.purpose)'/\(network.coinType)'/0'/\(change ? 1 : 0)/\(index)"))
    }

    /// Pays `amount` from the node's wallet to the wallet key, and returns the coin once mined.
    static func fund(_ node: Litecoind, key: PSBTBuilder.WalletKey, scheme: BitcoinScheme, amount: UInt64, network: BitcoinNetwork) async throws -> PSBTBuilder.Input {
        let address = try BitcoinAddress.encode(key.publicKey, scheme: scheme, network: network)
        let txid = try await node.send(to: address, amount: amount)
        let script = try key.scriptPubKey(scheme)
        guard case .string(let hex) = try await node.cli("getrawtransaction", [.string(txid)]) else { throw HarnessError("no transaction \(txid)") }
        let funding = try BitcoinTransaction(hex: hex)
        let index = try #require(funding.outputs.firstIndex { $0.scriptPubKey == script && $0.value == amount })
        return try PSBTBuilder.Input(
            outPoint: BitcoinTransaction.OutPoint(transactionHash: funding.transactionHash, index: UInt32(index)), value: amount, scriptPubKey: script, key: key)
    }

    /// Litoshi `address` has received in blocks.
    static func received(_ node: Litecoind, _ address: String) async throws -> UInt64 {
        guard case .number(let literal) = try await node.cli("getreceivedbyaddress", [.string(address), .integer(1)]),
              let units = BitcoinAmount.units(literal: literal) else { throw HarnessError("getreceivedbyaddress \(address) gave no amount") }
        return units
    }

    /// The node's fee rate setting `field` of getnetworkinfo ("relayfee", "incrementalfee").
    static func networkFeeRate(_ node: Litecoind, _ field: String) async throws -> BitcoinFeeRate {
        guard case .number(let literal)? = try await node.cli("getnetworkinfo")[field], let units = BitcoinAmount.units(literal: literal) else {
            throw HarnessError("getnetworkinfo has no \(field)")
        }
        return BitcoinFeeRate(perKilovbyte: units)
    }

    /// Signs with the wallet's master key, finalises, and has the node test and accept it;
    /// checks the estimate bounds the real virtual size and the node sees the built fee.
    static func signAndSend(_ built: PSBTBuilder.Built, node: Litecoind) async throws -> BitcoinTransaction {
        var psbt = built.psbt
        let report = try psbt.sign(with: .extendedKey(master))
        #expect(report.skipped.isEmpty && report.signed.count == psbt.inputs.count, "\(report.skipped)")
        let transaction = try psbt.finalize()
        #expect(built.virtualSize >= transaction.virtualSize && built.virtualSize - transaction.virtualSize <= UInt64(transaction.inputs.count),
                "estimate \(built.virtualSize), actual \(transaction.virtualSize)")
        let rpc = try node.rpcNode()
        let verdict = try #require(try await rpc.testMempoolAccept([transaction.serialized()]).first)
        #expect(verdict.allowed, "testmempoolaccept: \(verdict.rejectReason ?? "")")
        #expect(verdict.virtualSize.map(UInt64.init) == transaction.virtualSize && verdict.fee == built.fee)
        #expect(try await rpc.sendRawTransaction(transaction.serialized()).hex == transaction.txid)
        return transaction
    }

    @Test func payoutIsAcceptedMinedAndReplacedByFee() async throws {
        let network = try #require(try ChainNetwork.named("litecoin-regtest").bitcoin)
        try await Litecoind.with { node in
            var coins: [PSBTBuilder.Input] = []
            let funding: [(BitcoinScheme, UInt64)] = [
                (.p2wpkh, 40_000_000), (.p2wpkh, 25_000_000), (.p2tr, 30_000_000), (.p2tr, 12_345_678), (.p2shP2wpkh, 20_000_000),
            ]
            for (index, (scheme, amount)) in funding.enumerated() {
                coins.append(try await Self.fund(node, key: try Self.key(scheme, network: network, index: UInt32(index)), scheme: scheme, amount: amount, network: network))
            }
            try await node.mine(1)
            let height = UInt32(try await node.rpcNode().blockCount())
            let feeRate = BitcoinFeeRate(perKilovbyte: 20_000)
            let change = try PSBTBuilder.Change(key: try Self.key(.p2tr, network: network, change: true, index: 0), scheme: .p2tr)
            let dust = BitcoinSizeEstimate.dustThreshold(scriptPubKey: change.scriptPubKey, dustRelayFeeRate: Self.dustRelayFeeRate)

            // 1. A payout needing three coins, with change, mined, received exactly.
            let recipient = try await node.newAddress(.bech32)
            let payment = BitcoinTransaction.Output(value: 77_777_777, scriptPubKey: try BitcoinAddress.decode(recipient, network: network).scriptPubKey)
            var random = SplitMix64(state: 7)
            let selection = try CoinSelection.select(CoinSelection.Request(
                candidates: coins.map(\.candidate), payments: [payment], feeRate: feeRate, changeScheme: .p2tr, dustThreshold: dust), using: &random)
            #expect(selection.inputs.count == 3 && selection.change != nil)
            let built = try PSBTBuilder.build(selection: selection, from: coins, payments: [payment], change: change, lockTime: height)
            #expect(built.fee == selection.fee && built.virtualSize == selection.virtualSize)
            let first = try await Self.signAndSend(built, node: node)
            try await node.mine(1)
            #expect(try await Self.received(node, recipient) == payment.value)

            // 2. The change and the unspent coins fund a second payout, left unconfirmed...
            let changeIndex = try #require(built.changeOutputIndex)
            var remaining = coins.filter { coin in !selection.inputs.contains { $0.outPoint == coin.outPoint } }
            remaining.append(try PSBTBuilder.Input(
                outPoint: BitcoinTransaction.OutPoint(transactionHash: first.transactionHash, index: UInt32(changeIndex)),
                value: first.outputs[changeIndex].value, scriptPubKey: change.scriptPubKey, key: change.key))
            let second = try await node.newAddress(.bech32)
            let secondPayment = BitcoinTransaction.Output(value: 31_000_000, scriptPubKey: try BitcoinAddress.decode(second, network: network).scriptPubKey)
            let secondChange = try PSBTBuilder.Change(key: try Self.key(.p2wpkh, network: network, change: true, index: 1), scheme: .p2wpkh)
            let secondSelection = try CoinSelection.select(CoinSelection.Request(
                candidates: remaining.map(\.candidate), payments: [secondPayment], feeRate: feeRate, changeScheme: .p2wpkh, dustThreshold: dust,
                maximumInputs: 2), using: &random)
            let pending = try PSBTBuilder.build(
                selection: secondSelection, from: remaining, payments: [secondPayment], change: secondChange, lockTime: height + 1)
            // Between them the two payouts spend every kind of coin.
            #expect(Set((selection.inputs + secondSelection.inputs).map(\.scheme)) == [.p2wpkh, .p2shP2wpkh, .p2tr])
            let original = try await Self.signAndSend(pending, node: node)
            let rpc = try node.rpcNode()
            #expect(try await rpc.mempoolEntry(try #require(BitcoinHash(hex: original.txid)))?.replaceable == true)

            // ...and replaced by one paying more (BIP125), which the node takes instead.
            let bumped = try PSBTBuilder.replacement(
                of: pending.psbt, changeOutputIndex: pending.changeOutputIndex, feeRate: BitcoinFeeRate(perKilovbyte: 50_000),
                incrementalRelayFeeRate: try await Self.networkFeeRate(node, "incrementalfee"), dustThreshold: dust, maximumFee: 100_000)
            #expect(bumped.fee > pending.fee)
            let replacement = try await Self.signAndSend(bumped, node: node)
            #expect(try await rpc.rawMempool().map(\.hex) == [replacement.txid])
            try await node.mine(1)
            #expect(try await Self.received(node, second) == secondPayment.value)
            #expect(try await rpc.transaction(try #require(BitcoinHash(hex: replacement.txid)))?.confirmations == 1)
        }
    }
}
