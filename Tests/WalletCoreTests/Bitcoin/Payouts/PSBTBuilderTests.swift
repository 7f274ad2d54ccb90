import Testing
import WalletCore

/// Unsigned PSBTs from the builder: what a signer and the change check need, the BIP125 and
/// BIP69 choices, the payment-to-output map, and fee-bumping replacements.
struct PSBTBuilderTests {
    typealias Wallet = PayoutTestWallet

    static func coins() throws -> [PSBTBuilder.Input] {
        [
            try Wallet.coin(.p2wpkh, value: 50_000, index: 0, txByte: 0xC0),
            try Wallet.coin(.p2shP2wpkh, value: 40_000, index: 1, txByte: 0x10),
            try Wallet.coin(.p2tr, value: 30_000, index: 2, txByte: 0x80),
        ]
    }

    static func payments() throws -> [BitcoinTransaction.Output] {
        [
            BitcoinTransaction.Output(value: 60_000, scriptPubKey: try Wallet.outsider(.p2wpkh)),
            BitcoinTransaction.Output(value: 20_000, scriptPubKey: try Wallet.outsider(.p2tr)),
            BitcoinTransaction.Output(value: 20_000, scriptPubKey: try Wallet.outsider(.p2pkh)),
        ]
    }

    @Test(arguments: BitcoinScheme.allCases)
    func signsFinalisesAndProvesItsChange(changeScheme: BitcoinScheme) throws {
        let change = try PSBTBuilder.Change(key: try Wallet.key(changeScheme, change: true, index: 5), scheme: changeScheme)
        let built = try PSBTBuilder.build(inputs: try Self.coins(), payments: try Self.payments(), change: (change, 15_000), lockTime: 321)
        let transaction = built.psbt.unsignedTransaction
        #expect(transaction.version == 2 && transaction.lockTime == 321)
        #expect(transaction.inputs.allSatisfy { $0.sequence == 0xFFFF_FFFD })
        #expect(built.fee == 5_000)
        #expect(try built.psbt.fee() == 5_000)
        // Every payment sits where the map says; the change is the wallet's, nothing else is.
        for (payment, index) in zip(try Self.payments(), built.paymentOutputIndices) {
            #expect(transaction.outputs[index] == payment)
            #expect(built.psbt.ownedOutputScheme(index, keys: Wallet.Keys()) == nil)
        }
        let changeIndex = try #require(built.changeOutputIndex)
        #expect(transaction.outputs[changeIndex] == BitcoinTransaction.Output(value: 15_000, scriptPubKey: change.scriptPubKey))
        #expect(built.psbt.ownedOutputScheme(changeIndex, keys: Wallet.Keys()) == changeScheme)
        #expect(Set(built.paymentOutputIndices + [changeIndex]) == Set(transaction.outputs.indices))
        // BIP69: inputs by txid as shown, outputs by value then script.
        #expect(transaction.inputs.map { $0.previousOutput.txid } == transaction.inputs.map { $0.previousOutput.txid }.sorted())
        #expect(zip(transaction.outputs, transaction.outputs.dropFirst()).allSatisfy { $0.value < $1.value || ($0.value == $1.value && $0.scriptPubKey.lexicographicallyPrecedes($1.scriptPubKey)) })
        // The serialised PSBT reads back the same, and the wallet signs every input.
        let parsed = try PSBT(base64: built.psbt.base64)
        #expect(parsed == built.psbt)
        let signed = try Wallet.signAndFinalize(parsed)
        #expect(signed.virtualSize <= built.virtualSize)
    }

    @Test func givenOrderKeepsTheCallersOrderWithChangeLast() throws {
        let change = try PSBTBuilder.Change(key: try Wallet.key(.p2wpkh, change: true), scheme: .p2wpkh)
        let coins = try Self.coins()
        let built = try PSBTBuilder.build(inputs: coins, payments: try Self.payments(), change: (change, 1_000), order: .given)
        #expect(built.paymentOutputIndices == [0, 1, 2] && built.changeOutputIndex == 3)
        #expect(built.psbt.unsignedTransaction.inputs.map(\.previousOutput) == coins.map(\.outPoint))
        let noChange = try PSBTBuilder.build(inputs: coins, payments: try Self.payments(), order: .given)
        #expect(noChange.changeOutputIndex == nil && noChange.fee == 20_000)
    }

    /// The kind of builder error `body` throws; nil when it throws none (or another error).
    static func kind(_ body: () throws -> Void) -> BitcoinPayoutError.Kind? {
        do { try body() } catch { return (error as? BitcoinPayoutError)?.kind }
        return nil
    }

    @Test func refusesWhatItCannotBuild() throws {
        let coins = try Self.coins()
        let payments = try Self.payments()
        // A key that does not pay the coin's script; a p2pkh coin.
        let wrongKey = try Wallet.key(.p2wpkh, index: 9)
        #expect(Self.kind { _ = try PSBTBuilder.Input(outPoint: coins[0].outPoint, value: 1, scriptPubKey: coins[0].scriptPubKey, key: wrongKey) } == .keyMismatch)
        let legacy = try Wallet.key(.p2pkh)
        #expect(Self.kind { _ = try PSBTBuilder.Input(outPoint: coins[0].outPoint, value: 1, scriptPubKey: try legacy.scriptPubKey(.p2pkh), key: legacy) } == .unsupportedInput)
        #expect(Self.kind { _ = try PSBTBuilder.build(inputs: [], payments: payments) } == .invalidRequest)
        #expect(Self.kind { _ = try PSBTBuilder.build(inputs: coins, payments: []) } == .invalidRequest)
        #expect(Self.kind { _ = try PSBTBuilder.build(inputs: [coins[0], coins[0]], payments: [payments[1]]) } == .invalidRequest)
        #expect(Self.kind { _ = try PSBTBuilder.build(inputs: [coins[2]], payments: payments) } == .invalidRequest)
        #expect(Self.kind { _ = try PSBTBuilder.build(inputs: coins, payments: payments, lockTime: 500_000_000) } == .invalidRequest)
    }

    /// A replacement keeps inputs, payments and order, takes the higher fee from the change,
    /// drops the old signatures, and is signable; each BIP125 and caller limit has its error.
    @Test func replacementPaysMoreFromTheChange() throws {
        let change = try PSBTBuilder.Change(key: try Wallet.key(.p2tr, change: true), scheme: .p2tr)
        let built = try PSBTBuilder.build(inputs: try Self.coins(), payments: try Self.payments(), change: (change, 15_000))
        var signed = built.psbt
        try signed.sign(with: Wallet.signingKey)
        let rate = BitcoinFeeRate(perKilovbyte: 30_000)
        let bumped = try PSBTBuilder.replacement(
            of: signed, changeOutputIndex: built.changeOutputIndex, feeRate: rate, dustThreshold: 546, maximumFee: 20_000)
        let old = built.psbt.unsignedTransaction, new = bumped.psbt.unsignedTransaction
        #expect(new.inputs == old.inputs && new.lockTime == old.lockTime && new.version == old.version)
        #expect(bumped.paymentOutputIndices == built.paymentOutputIndices.sorted() && bumped.changeOutputIndex == built.changeOutputIndex)
        for index in built.paymentOutputIndices { #expect(new.outputs[index] == old.outputs[index]) }
        #expect(bumped.virtualSize == built.virtualSize)
        #expect(UInt128(bumped.fee) == rate.fee(virtualSize: bumped.virtualSize))
        #expect(try bumped.psbt.fee() == UInt128(bumped.fee))
        #expect(new.outputs[built.changeOutputIndex!].value == 15_000 - (bumped.fee - built.fee))
        #expect(bumped.psbt.inputs.allSatisfy { $0.partialSignatures.isEmpty && $0.tapKeySignature == nil })
        #expect(bumped.psbt.ownedOutputScheme(built.changeOutputIndex!, keys: Wallet.Keys()) == .p2tr)
        _ = try Wallet.signAndFinalize(bumped.psbt)

        // At a rate below the original's, the fee still rises by the incremental relay fee.
        let minimal = try PSBTBuilder.replacement(
            of: built.psbt, changeOutputIndex: built.changeOutputIndex, feeRate: BitcoinFeeRate(perKilovbyte: 1), dustThreshold: 546, maximumFee: 20_000)
        #expect(UInt128(minimal.fee) == UInt128(built.fee) + PSBTBuilder.defaultIncrementalRelayFeeRate.fee(virtualSize: built.virtualSize))

        #expect(Self.kind { _ = try PSBTBuilder.replacement(of: built.psbt, changeOutputIndex: nil, feeRate: rate, dustThreshold: 546, maximumFee: 20_000) } == .noChange)
        #expect(Self.kind { _ = try PSBTBuilder.replacement(of: built.psbt, changeOutputIndex: 9, feeRate: rate, dustThreshold: 546, maximumFee: 20_000) } == .noChange)
        #expect(Self.kind { _ = try PSBTBuilder.replacement(of: built.psbt, changeOutputIndex: built.changeOutputIndex, feeRate: rate, dustThreshold: 546, maximumFee: 10_000) } == .feeAboveMaximum)
        #expect(Self.kind {
            _ = try PSBTBuilder.replacement(
                of: built.psbt, changeOutputIndex: built.changeOutputIndex, feeRate: BitcoinFeeRate(perKilovbyte: 60_000), dustThreshold: 546, maximumFee: 50_000)
        } == .changeBelowDust)
        var final = built.psbt
        try final.sign(with: Wallet.signingKey)
        try final.finalize()
        #expect(Self.kind { _ = try PSBTBuilder.replacement(of: final, changeOutputIndex: built.changeOutputIndex, feeRate: rate, dustThreshold: 546, maximumFee: 20_000) } == .unsupportedInput)
        var unsignalled = built.psbt.unsignedTransaction
        for index in unsignalled.inputs.indices { unsignalled.inputs[index].sequence = 0xFFFF_FFFE }
        #expect(Self.kind { _ = try PSBTBuilder.replacement(of: try PSBT(unsignedTransaction: unsignalled), changeOutputIndex: 0, feeRate: rate, dustThreshold: 546, maximumFee: 20_000) } == .notReplaceable)
    }
}
