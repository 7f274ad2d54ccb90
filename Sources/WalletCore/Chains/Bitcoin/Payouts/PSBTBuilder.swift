/// Builds the unsigned PSBTs (BIP174 version 0) a payout signs: every input with what a signer
/// needs to find its key and sign without the previous transactions, and the change output with
/// the record that proves it is the wallet's own.
///
/// - Inputs carry PSBT_IN_WITNESS_UTXO and their key's origin: PSBT_IN_BIP32_DERIVATION for
///   p2wpkh and p2sh-p2wpkh (with PSBT_IN_REDEEM_SCRIPT), PSBT_IN_TAP_INTERNAL_KEY and
///   PSBT_IN_TAP_BIP32_DERIVATION for p2tr key path (BIP86). p2pkh inputs are refused: they
///   would need the whole previous transaction, and ``PSBT/sign(with:allowedSighashTypes:schnorrAuxiliaryRandomness:)``
///   does not sign them.
/// - The change output carries its derivation record the same way (and its redeem script or
///   internal key), so that ``PSBT/ownedOutputScheme(_:keys:)``, which the vault's policy uses,
///   recognises it as the signing wallet's change and not as a payment.
/// - The transaction is version 2; every input's sequence is 0xFFFFFFFD (BIP125 opt-in
///   replace-by-fee, lock time enabled); the lock time is the caller's (a current block height
///   discourages fee sniping) or 0.
/// - Order: ``Order/bip69`` (the default) sorts inputs and outputs as BIP69 does, so the order
///   says nothing about which output is the change beyond what BIP69 itself reveals;
///   ``Order/given`` keeps the caller's order with the change last. Either way ``Built`` maps each
///   payment to its output index.
public enum PSBTBuilder {
    /// BIP125: any sequence below 0xFFFFFFFE signals replaceability; this one also keeps the lock time in force.
    public static let replaceableSequence: UInt32 = 0xFFFF_FFFD

    /// A key of the signing wallet as a PSBT names it: the public key and its BIP32 origin
    /// (master key fingerprint and full path).
    public struct WalletKey: Sendable, Equatable {
        public let publicKey: Secp256k1.PublicKey
        public let origin: PSBTKeyOrigin

        public init(publicKey: Secp256k1.PublicKey, origin: PSBTKeyOrigin) {
            self.publicKey = publicKey
            self.origin = origin
        }

        /// The key at `path` below `master` (a depth-0 key), with `master`'s fingerprint.
        public init(master: ExtendedPrivateKey, path: DerivationPath) throws(BIP32Error) {
            self.init(publicKey: try master.derive(path: path).privateKey.publicKey,
                      origin: PSBTKeyOrigin(masterFingerprint: master.privateKey.publicKey.fingerprint, path: path))
        }

        /// The script that pays this key alone under `scheme`.
        public func scriptPubKey(_ scheme: BitcoinScheme) throws(BitcoinPayoutError) -> [UInt8] {
            do {
                return try BitcoinKeyScripts.scriptPubKey(paying: publicKey, scheme: scheme)
            } catch {
                throw BitcoinPayoutError(.keyMismatch, "key \(origin) has no \(scheme.rawValue) script: \(error)")
            }
        }

        /// Writes this key's origin into a PSBT input or output map: a BIP32 record for ECDSA
        /// schemes (and the redeem script for p2sh-p2wpkh), the internal key and a taproot record
        /// without leaf hashes for p2tr.
        func describe(_ scheme: BitcoinScheme, in map: inout some PSBTKeyRecords) {
            switch scheme {
            case .p2tr:
                map.tapInternalKey = publicKey.xOnly
                map.addTapBIP32Derivation(PSBTTapKeyDerivation(xOnlyPublicKey: publicKey.xOnly, origin: origin))
            case .p2shP2wpkh:
                map.redeemScript = BitcoinScript.p2wpkh(publicKeyHash: Hash160.hash(publicKey.compressed))
                map.addBIP32Derivation(PSBTKeyDerivation(publicKey: publicKey.compressed, origin: origin))
            case .p2wpkh, .p2pkh:
                map.addBIP32Derivation(PSBTKeyDerivation(publicKey: publicKey.compressed, origin: origin))
            }
        }
    }

    /// A coin of the wallet to spend: the output it is, and the wallet key it pays.
    public struct Input: Sendable, Equatable {
        public let outPoint: BitcoinTransaction.OutPoint
        public let value: UInt64
        public let scriptPubKey: [UInt8]
        public let key: WalletKey
        /// How `key` spends `scriptPubKey`: p2wpkh, p2sh-p2wpkh or p2tr.
        public let scheme: BitcoinScheme

        /// A coin paying `scriptPubKey` (as the chain says), which must be `key`'s own p2wpkh,
        /// p2sh-p2wpkh or p2tr (BIP86) script: a key that does not pay the script is refused
        /// here, not found out when signing.
        public init(outPoint: BitcoinTransaction.OutPoint, value: UInt64, scriptPubKey: [UInt8], key: WalletKey) throws(BitcoinPayoutError) {
            guard let scheme = BitcoinKeyScripts.scheme(of: scriptPubKey, payingTo: key.publicKey) else {
                throw BitcoinPayoutError(.keyMismatch, "coin \(outPoint.txid):\(outPoint.index): key \(key.origin) does not pay its script \(Hex.encode(scriptPubKey))")
            }
            guard scheme != .p2pkh else {
                throw BitcoinPayoutError(.unsupportedInput, "coin \(outPoint.txid):\(outPoint.index) is p2pkh: only p2wpkh, p2sh-p2wpkh and p2tr coins are spent")
            }
            self.outPoint = outPoint
            self.value = value
            self.scriptPubKey = scriptPubKey
            self.key = key
            self.scheme = scheme
        }

        /// The coin as coin selection sees it.
        public var candidate: CoinSelection.Candidate { CoinSelection.Candidate(outPoint: outPoint, value: value, scheme: scheme) }
    }

    /// Where change goes: a wallet key and the script type to pay it with.
    public struct Change: Sendable, Equatable {
        public let key: WalletKey
        public let scheme: BitcoinScheme
        public let scriptPubKey: [UInt8]

        public init(key: WalletKey, scheme: BitcoinScheme) throws(BitcoinPayoutError) {
            self.key = key
            self.scheme = scheme
            scriptPubKey = try key.scriptPubKey(scheme)
        }
    }

    /// The order of inputs and outputs.
    public enum Order: String, Sendable {
        /// BIP69: inputs by previous txid (as shown) then output index, outputs by value then script.
        case bip69
        /// Inputs and payments as given, change last.
        case given
    }

    /// An unsigned PSBT and where its outputs went.
    public struct Built: Sendable {
        public let psbt: PSBT
        /// `paymentOutputIndices[i]` is the output index of payment `i`.
        public let paymentOutputIndices: [Int]
        /// The change output's index; nil without change.
        public let changeOutputIndex: Int?
        /// Inputs less outputs.
        public let fee: UInt64
        /// The estimated virtual size once signed (``BitcoinSizeEstimate``, an upper bound).
        public let virtualSize: UInt64
    }

    /// An unsigned PSBT spending `inputs` to `payments` and, when given, `change`.
    public static func build(
        inputs: [Input], payments: [BitcoinTransaction.Output], change: (to: Change, value: UInt64)? = nil, lockTime: UInt32 = 0, order: Order = .bip69
    ) throws(BitcoinPayoutError) -> Built {
        guard !inputs.isEmpty else { throw BitcoinPayoutError(.invalidRequest, "a transaction needs at least one input") }
        guard !payments.isEmpty || change != nil else { throw BitcoinPayoutError(.invalidRequest, "a transaction needs at least one output") }
        guard Set(inputs.map(\.outPoint)).count == inputs.count else {
            throw BitcoinPayoutError(.invalidRequest, "a coin is spent twice")
        }
        guard lockTime < 500_000_000 else {
            throw BitcoinPayoutError(.invalidRequest, "lock time \(lockTime) is a timestamp; give a block height (below 500,000,000) or 0")
        }
        let inputTotal = inputs.reduce(UInt128(0)) { $0 + UInt128($1.value) }
        let outputTotal = payments.reduce(UInt128(change?.value ?? 0)) { $0 + UInt128($1.value) }
        guard inputTotal >= outputTotal, let fee = UInt64(exactly: inputTotal - outputTotal) else {
            throw BitcoinPayoutError(.invalidRequest, "the outputs pay \(outputTotal) but the inputs hold \(inputTotal)")
        }

        var outputs = payments
        if let change { outputs.append(BitcoinTransaction.Output(value: change.value, scriptPubKey: change.to.scriptPubKey)) }
        let outputOrder = order == .bip69 ? bip69Order(outputs) : Array(outputs.indices)
        let orderedInputs = order == .bip69 ? inputs.sorted(by: bip69Precedes) : inputs
        let transaction = BitcoinTransaction(
            version: 2,
            inputs: orderedInputs.map { BitcoinTransaction.Input(previousOutput: $0.outPoint, sequence: replaceableSequence) },
            outputs: outputOrder.map { outputs[$0] }, lockTime: lockTime)
        var psbt: PSBT
        do { psbt = try PSBT(unsignedTransaction: transaction) } catch { throw BitcoinPayoutError(.invalidRequest, error.description) }
        for (index, input) in orderedInputs.enumerated() {
            input.key.describe(input.scheme, in: &psbt.inputs[index])
            psbt.inputs[index].witnessUTXO = BitcoinTransaction.Output(value: input.value, scriptPubKey: input.scriptPubKey)
        }
        // Where each of `outputs` landed.
        var position = [Int](repeating: 0, count: outputs.count)
        for (index, source) in outputOrder.enumerated() { position[source] = index }
        let changeIndex = change.map { _ in position[payments.count] }
        if let change, let changeIndex { change.to.key.describe(change.to.scheme, in: &psbt.outputs[changeIndex]) }
        let virtualSize = BitcoinSizeEstimate.virtualSize(inputs: orderedInputs.map(\.scheme), outputScripts: transaction.outputs.map(\.scriptPubKey))
        return Built(psbt: psbt, paymentOutputIndices: Array(position.prefix(payments.count)), changeOutputIndex: changeIndex, fee: fee, virtualSize: virtualSize)
    }

    /// The PSBT of a coin selection: the selected coins (found among `coins` by outpoint),
    /// `payments` as selected for, and the selection's change, if any, to `change` (whose scheme
    /// should be the one the selection was made for, or the fee rate will be slightly off).
    public static func build(
        selection: CoinSelection.Selection, from coins: [Input], payments: [BitcoinTransaction.Output], change: Change,
        lockTime: UInt32 = 0, order: Order = .bip69
    ) throws(BitcoinPayoutError) -> Built {
        let byOutPoint = Dictionary(coins.map { ($0.outPoint, $0) }, uniquingKeysWith: { first, _ in first })
        var inputs: [Input] = []
        for candidate in selection.inputs {
            guard let coin = byOutPoint[candidate.outPoint], coin.value == candidate.value else {
                throw BitcoinPayoutError(.invalidRequest, "selected coin \(candidate.outPoint.txid):\(candidate.outPoint.index) is not among the coins given (or has another value)")
            }
            inputs.append(coin)
        }
        return try build(inputs: inputs, payments: payments, change: selection.change.map { (change, $0) }, lockTime: lockTime, order: order)
    }

    /// BIP69 input order: previous txid as shown (byte-reversed), then output index.
    static func bip69Precedes(_ lhs: Input, _ rhs: Input) -> Bool {
        let left = lhs.outPoint.transactionHash.reversed(), right = rhs.outPoint.transactionHash.reversed()
        if left.elementsEqual(right) { return lhs.outPoint.index < rhs.outPoint.index }
        return left.lexicographicallyPrecedes(right)
    }

    /// The indices of `outputs` in BIP69 order: value, then script bytes; equal outputs keep their order.
    static func bip69Order(_ outputs: [BitcoinTransaction.Output]) -> [Int] {
        outputs.indices.sorted { lhs, rhs in
            let left = outputs[lhs], right = outputs[rhs]
            if left.value != right.value { return left.value < right.value }
            if left.scriptPubKey != right.scriptPubKey { return left.scriptPubKey.lexicographicallyPrecedes(right.scriptPubKey) }
            return lhs < rhs
        }
    }
}

/// The key-origin fields PSBT input and output maps share (BIP174, BIP371).
protocol PSBTKeyRecords {
    var redeemScript: [UInt8]? { get set }
    var tapInternalKey: [UInt8]? { get set }
    mutating func addBIP32Derivation(_ derivation: PSBTKeyDerivation)
    mutating func addTapBIP32Derivation(_ derivation: PSBTTapKeyDerivation)
}

extension PSBTInput: PSBTKeyRecords {}
extension PSBTOutput: PSBTKeyRecords {}
