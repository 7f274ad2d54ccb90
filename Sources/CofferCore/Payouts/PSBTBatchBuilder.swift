import CofferBase
public import Payouts
public import WalletCore

/// Builds batch transactions as PSBTs the vault signs: coin selection (branch and bound, then a
/// fallback with change) over the hot wallet's outputs, one output per payout, change to a fresh
/// address of the hot wallet, every input signalling BIP 125, BIP 69 order. The inputs' and the
/// change's public keys come from the vault (`keys`), so the signing policy can prove the change
/// is the wallet's own; no private key leaves it.
public struct PSBTBatchBuilder: BatchTransactionBuilder {
    public let network: BitcoinNetwork
    /// The hot wallet's master key fingerprint.
    public let fingerprint: UInt32
    /// The hot wallet's public keys at derivation paths.
    public let keys: any WalletKeyProvider
    /// The least output value (Bitcoin Core's dust limit for the change's script at 3 sat/vB).
    public let dustThreshold: UInt64

    public init(network: BitcoinNetwork, fingerprint: UInt32, keys: any WalletKeyProvider, dustThreshold: UInt64 = 546) {
        self.network = network
        self.fingerprint = fingerprint
        self.dustThreshold = dustThreshold
        self.keys = keys
    }

    /// The candidates as PSBT inputs (those whose key the vault derived and whose script is the
    /// key's), and the change output to `change`, checked to be the wallet's own.
    func prepare(_ candidates: [SpendableOutput], change: ChangeAddress) throws
        -> (coins: [PSBTBuilder.Input], byOutPoint: [BitcoinTransaction.OutPoint: SpendableOutput], change: PSBTBuilder.Change, scheme: BitcoinScheme) {
        let changePath = try DerivationPath(parsing: change.path)
        let paths = Set(candidates.map(\.path)).union([change.path])
        let derived = try keys.publicKeys(at: try paths.map { try DerivationPath(parsing: $0) })
        var coins: [PSBTBuilder.Input] = []
        var byOutPoint: [BitcoinTransaction.OutPoint: SpendableOutput] = [:]
        for candidate in candidates {
            let path = try DerivationPath(parsing: candidate.path)
            guard let key = derived[path] else { continue }
            let outPoint = try Self.outPoint(candidate)
            let script = try BitcoinAddress.decode(candidate.address, network: network).scriptPubKey
            // An output whose script is not the key's (another scheme, a stale record) is skipped, never signed blindly.
            guard let coin = try? PSBTBuilder.Input(outPoint: outPoint, value: candidate.amount, scriptPubKey: script,
                                                    key: PSBTBuilder.WalletKey(publicKey: key, origin: PSBTKeyOrigin(masterFingerprint: fingerprint, path: path))) else { continue }
            coins.append(coin)
            byOutPoint[outPoint] = candidate
        }
        guard let changeKey = derived[changePath] else { throw PayoutError(.internal, "change-key", "the vault derived no key at \(change.path)") }
        let changeScript = try BitcoinAddress.decode(change.address, network: network).scriptPubKey
        let changeScheme = try Self.scheme(of: changeScript, key: changeKey)
        let changeOutput = try PSBTBuilder.Change(key: PSBTBuilder.WalletKey(publicKey: changeKey, origin: PSBTKeyOrigin(masterFingerprint: fingerprint, path: changePath)),
                                                  scheme: changeScheme)
        guard changeOutput.scriptPubKey == changeScript else { throw PayoutError(.internal, "change-key", "the change key at \(change.path) does not pay \(change.address)") }
        return (coins, byOutPoint, changeOutput, changeScheme)
    }

    public func build(payments: [PaymentOutput], candidates: [SpendableOutput], feeRate: UInt64,
                      change: ChangeAddress, maximumFee: UInt128, lockTime: UInt32) throws -> BuiltTransaction {
        var outputs: [BitcoinTransaction.Output] = []
        for payment in payments {
            guard let value = UInt64(exactly: payment.amount) else { throw PayoutError("amount \(payment.amount) does not fit a Bitcoin output") }
            outputs.append(BitcoinTransaction.Output(value: value, scriptPubKey: try BitcoinAddress.decode(payment.destination, network: network).scriptPubKey))
        }
        let (coins, byOutPoint, changeOutput, changeScheme) = try prepare(candidates, change: change)
        let selection: CoinSelection.Selection
        do {
            var generator = SystemRandomNumberGenerator()
            selection = try CoinSelection.select(CoinSelection.Request(
                candidates: coins.map(\.candidate), payments: outputs, feeRate: BitcoinFeeRate(perKilovbyte: feeRate), changeScheme: changeScheme,
                dustThreshold: dustThreshold), using: &generator)
        } catch {
            throw BuildDeferred("\(error.description)")
        }
        guard UInt128(selection.fee) <= maximumFee else {
            throw BuildDeferred("the transaction would pay a fee of \(selection.fee), more than the payouts' fee holds (\(maximumFee)) allow")
        }
        let built = try PSBTBuilder.build(selection: selection, from: coins, payments: outputs, change: changeOutput, lockTime: lockTime)
        return BuiltTransaction(
            unsigned: built.psbt.base64, inputs: selection.inputs.compactMap { byOutPoint[$0.outPoint] }, fee: UInt128(built.fee), size: built.virtualSize,
            change: zip(built.changeOutputIndex, selection.change).map { ChangeOutput(index: UInt32($0), amount: $1, address: change.address, path: change.path) })
    }

    public func consolidate(_ candidates: [SpendableOutput], feeRate: UInt64, destination: ChangeAddress, maximumFee: UInt128, maximumInputs: Int,
                            lockTime: UInt32) throws -> BuiltTransaction {
        let (coins, byOutPoint, output, scheme) = try prepare(candidates, change: destination)
        let selection: CoinSelection.Selection
        do {
            selection = try CoinSelection.consolidation(coins.map(\.candidate), feeRate: BitcoinFeeRate(perKilovbyte: feeRate), changeScheme: scheme,
                                                        dustThreshold: dustThreshold, minimumInputs: 2, maximumInputs: maximumInputs)
        } catch {
            throw BuildDeferred(error.description)
        }
        guard UInt128(selection.fee) <= maximumFee, let value = selection.change else {
            throw BuildDeferred("the consolidation would pay a fee of \(selection.fee), more than its fee hold (\(maximumFee)) allows")
        }
        // The output is a payment to the wallet's own fresh address (no derivation records): the
        // signing policy and its audit log see the sweep's destination and amount as they are.
        let inputs = selection.inputs.compactMap { candidate in coins.first { $0.outPoint == candidate.outPoint } }
        let built = try PSBTBuilder.build(inputs: inputs, payments: [BitcoinTransaction.Output(value: value, scriptPubKey: output.scriptPubKey)], lockTime: lockTime)
        return BuiltTransaction(
            unsigned: built.psbt.base64, inputs: selection.inputs.compactMap { byOutPoint[$0.outPoint] }, fee: UInt128(built.fee), size: selection.virtualSize,
            change: ChangeOutput(index: 0, amount: value, address: destination.address, path: destination.path))
    }

    public func replace(_ attempt: PayoutAttempt, inputs: [SpendableOutput], feeRate: UInt64, maximumFee: UInt128) throws -> BuiltTransaction {
        let original = try PSBT(base64: attempt.unsigned)
        let built: PSBTBuilder.Built
        do {
            built = try PSBTBuilder.replacement(of: original, changeOutputIndex: attempt.change.map { Int($0.index) }, feeRate: BitcoinFeeRate(perKilovbyte: feeRate),
                                                dustThreshold: dustThreshold, maximumFee: UInt64(clamping: maximumFee))
        } catch {
            throw BuildDeferred(error.description)
        }
        let change = attempt.change.flatMap { change in
            built.changeOutputIndex.map { ChangeOutput(index: UInt32($0), amount: built.psbt.unsignedTransaction.outputs[$0].value, address: change.address, path: change.path) }
        }
        return BuiltTransaction(unsigned: built.psbt.base64, inputs: inputs, fee: UInt128(built.fee), size: built.virtualSize, change: change)
    }

    static func outPoint(_ output: SpendableOutput) throws -> BitcoinTransaction.OutPoint {
        guard let hash = try? Hex.decode(output.transactionID), hash.count == 32 else { throw PayoutError(.internal, "bad-outpoint", "txid \(output.transactionID)") }
        return BitcoinTransaction.OutPoint(transactionHash: hash.reversed(), index: output.index)
    }

    static func scheme(of script: [UInt8], key: Secp256k1.PublicKey) throws -> BitcoinScheme {
        for scheme in BitcoinScheme.allCases where (try? PSBTBuilder.WalletKey(publicKey: key, origin: PSBTKeyOrigin(masterFingerprint: 0, path: try DerivationPath(parsing: "m"))).scriptPubKey(scheme)) == script {
            return scheme
        }
        throw PayoutError(.internal, "change-scheme", "the change address is of no scheme the change key pays")
    }
}

private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// Public keys of a wallet at derivation paths, computed where its secret is.
public protocol WalletKeyProvider: Sendable {
    func publicKeys(at paths: [DerivationPath]) throws -> [DerivationPath: Secp256k1.PublicKey]
}
