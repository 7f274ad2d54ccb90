/// One input map of a PSBT: its ordered key-value pairs and typed views of the BIP174 and
/// BIP371 fields a signer and finaliser use. Fields without a typed view (hash preimages,
/// taproot script-path data, proprietary and unknown keys) are kept as pairs and round-trip.
public struct PSBTInput: Sendable, Equatable, PSBTMap {
    public internal(set) var entries: [PSBTKeyValue]

    init(entries: [PSBTKeyValue]) { self.entries = entries }

    /// BIP174/BIP371 input key types.
    public enum KeyType {
        public static let nonWitnessUTXO: UInt64 = 0x00
        public static let witnessUTXO: UInt64 = 0x01
        public static let partialSignature: UInt64 = 0x02
        public static let sighashType: UInt64 = 0x03
        public static let redeemScript: UInt64 = 0x04
        public static let witnessScript: UInt64 = 0x05
        public static let bip32Derivation: UInt64 = 0x06
        public static let finalScriptSig: UInt64 = 0x07
        public static let finalScriptWitness: UInt64 = 0x08
        public static let proofOfReservesCommitment: UInt64 = 0x09
        public static let ripemd160Preimage: UInt64 = 0x0A
        public static let sha256Preimage: UInt64 = 0x0B
        public static let hash160Preimage: UInt64 = 0x0C
        public static let hash256Preimage: UInt64 = 0x0D
        /// 0x0E...0x12 are PSBT version 2 fields (BIP370).
        static let version2Only: ClosedRange<UInt64> = 0x0E...0x12
        public static let tapKeySignature: UInt64 = 0x13
        public static let tapScriptSignature: UInt64 = 0x14
        public static let tapLeafScript: UInt64 = 0x15
        public static let tapBIP32Derivation: UInt64 = 0x16
        public static let tapInternalKey: UInt64 = 0x17
        public static let tapMerkleRoot: UInt64 = 0x18
        public static let proprietary: UInt64 = 0xFC
    }

    /// The whole previous transaction (PSBT_IN_NON_WITNESS_UTXO).
    public var nonWitnessUTXO: BitcoinTransaction? {
        get { first(KeyType.nonWitnessUTXO).flatMap { try? BitcoinTransaction(serialized: $0.value) } }
        set { setOrRemove(KeyType.nonWitnessUTXO, newValue?.serialized()) }
    }

    /// The spent output (PSBT_IN_WITNESS_UTXO).
    public var witnessUTXO: BitcoinTransaction.Output? {
        get { first(KeyType.witnessUTXO).flatMap { try? BitcoinTransaction.Output(serialized: $0.value) } }
        set { setOrRemove(KeyType.witnessUTXO, newValue?.serialized) }
    }

    /// ECDSA signatures by public key (PSBT_IN_PARTIAL_SIG): DER plus the sighash byte.
    public var partialSignatures: [(publicKey: [UInt8], signature: [UInt8])] {
        all(KeyType.partialSignature).map { ($0.keyData, $0.value) }
    }

    /// Adds or replaces the signature of `publicKey`.
    public mutating func setPartialSignature(_ signature: [UInt8], publicKey: [UInt8]) {
        set(PSBTKeyValue(keyType: KeyType.partialSignature, keyData: publicKey, value: signature))
    }

    /// The sighash type signers must use (PSBT_IN_SIGHASH_TYPE), when the creator fixed one.
    public var sighashType: SighashType? {
        get { first(KeyType.sighashType).map { SighashType(rawValue: $0.value.reversed().reduce(0) { $0 << 8 | UInt32($1) }) } }
        set {
            var value: [UInt8] = []
            if let newValue { value.appendLittleEndian(newValue.rawValue) }
            setOrRemove(KeyType.sighashType, newValue == nil ? nil : value)
        }
    }

    public var redeemScript: [UInt8]? {
        get { first(KeyType.redeemScript)?.value }
        set { setOrRemove(KeyType.redeemScript, newValue) }
    }

    public var witnessScript: [UInt8]? {
        get { first(KeyType.witnessScript)?.value }
        set { setOrRemove(KeyType.witnessScript, newValue) }
    }

    /// PSBT_IN_BIP32_DERIVATION records.
    public var bip32Derivations: [PSBTKeyDerivation] { keyDerivations(KeyType.bip32Derivation) }

    public mutating func addBIP32Derivation(_ derivation: PSBTKeyDerivation) {
        set(PSBTKeyValue(keyType: KeyType.bip32Derivation, keyData: derivation.publicKey, value: derivation.origin.serialized))
    }

    public var finalScriptSig: [UInt8]? { first(KeyType.finalScriptSig)?.value }

    /// The finished witness stack (PSBT_IN_FINAL_SCRIPTWITNESS).
    public var finalScriptWitness: [[UInt8]]? {
        first(KeyType.finalScriptWitness).flatMap { entry in
            var reader = BitcoinByteReader(entry.value, context: "final script witness")
            return try? BitcoinTransaction.readWitness(&reader)
        }
    }

    /// Whether a finaliser has already completed this input.
    public var isFinalized: Bool { first(KeyType.finalScriptSig) != nil || first(KeyType.finalScriptWitness) != nil }

    /// The taproot key-path signature (PSBT_IN_TAP_KEY_SIG): 64 bytes, or 65 with a sighash byte.
    public var tapKeySignature: [UInt8]? {
        get { first(KeyType.tapKeySignature)?.value }
        set { setOrRemove(KeyType.tapKeySignature, newValue) }
    }

    /// The 32-byte x-only internal key (PSBT_IN_TAP_INTERNAL_KEY).
    public var tapInternalKey: [UInt8]? {
        get { first(KeyType.tapInternalKey)?.value }
        set { setOrRemove(KeyType.tapInternalKey, newValue) }
    }

    /// The 32-byte script tree root committed to by the output key (PSBT_IN_TAP_MERKLE_ROOT).
    public var tapMerkleRoot: [UInt8]? {
        get { first(KeyType.tapMerkleRoot)?.value }
        set { setOrRemove(KeyType.tapMerkleRoot, newValue) }
    }

    /// PSBT_IN_TAP_BIP32_DERIVATION records.
    public var tapBIP32Derivations: [PSBTTapKeyDerivation] { tapKeyDerivations(KeyType.tapBIP32Derivation) }

    public mutating func addTapBIP32Derivation(_ derivation: PSBTTapKeyDerivation) {
        set(PSBTKeyValue(keyType: KeyType.tapBIP32Derivation, keyData: derivation.xOnlyPublicKey, value: derivation.serializedValue))
    }

    /// Checks one pair against BIP174/BIP371 (key data and value shapes); unknown types pass.
    static func validate(_ entry: PSBTKeyValue) throws(PSBTError) {
        switch entry.keyType {
        case KeyType.nonWitnessUTXO:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_IN_NON_WITNESS_UTXO")
            do { _ = try BitcoinTransaction(serialized: entry.value) } catch {
                throw PSBTError("PSBT_IN_NON_WITNESS_UTXO is not a valid transaction: \(error.description)")
            }
        case KeyType.witnessUTXO:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_IN_WITNESS_UTXO")
            do { _ = try BitcoinTransaction.Output(serialized: entry.value) } catch {
                throw PSBTError("PSBT_IN_WITNESS_UTXO is not a valid output: \(error.description)")
            }
        case KeyType.partialSignature:
            try PSBTFieldCheck.publicKey(entry.keyData, "PSBT_IN_PARTIAL_SIG")
            guard !entry.value.isEmpty else { throw PSBTError("PSBT_IN_PARTIAL_SIG signature is empty") }
        case KeyType.sighashType:
            try PSBTFieldCheck.fixedValue(entry, 4, "PSBT_IN_SIGHASH_TYPE")
        case KeyType.redeemScript:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_IN_REDEEM_SCRIPT")
        case KeyType.witnessScript:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_IN_WITNESS_SCRIPT")
        case KeyType.bip32Derivation:
            try PSBTFieldCheck.publicKey(entry.keyData, "PSBT_IN_BIP32_DERIVATION")
            try PSBTFieldCheck.keyOrigin(entry.value, "PSBT_IN_BIP32_DERIVATION")
        case KeyType.finalScriptSig:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_IN_FINAL_SCRIPTSIG")
        case KeyType.finalScriptWitness:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_IN_FINAL_SCRIPTWITNESS")
            try PSBTFieldCheck.witnessStack(entry.value, "PSBT_IN_FINAL_SCRIPTWITNESS")
        case KeyType.proofOfReservesCommitment:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_IN_POR_COMMITMENT")
        case KeyType.ripemd160Preimage, KeyType.hash160Preimage:
            try PSBTFieldCheck.length(entry.keyData, 20, "hash160/ripemd160 preimage key")
        case KeyType.sha256Preimage, KeyType.hash256Preimage:
            try PSBTFieldCheck.length(entry.keyData, 32, "sha256/hash256 preimage key")
        case KeyType.version2Only:
            try PSBTFieldCheck.version2Only(entry, map: "input")
        case KeyType.tapKeySignature:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_IN_TAP_KEY_SIG")
            try PSBTFieldCheck.schnorrSignature(entry.value, "PSBT_IN_TAP_KEY_SIG")
        case KeyType.tapScriptSignature:
            try PSBTFieldCheck.length(entry.keyData, 64, "PSBT_IN_TAP_SCRIPT_SIG key (x-only key and leaf hash)")
            try PSBTFieldCheck.schnorrSignature(entry.value, "PSBT_IN_TAP_SCRIPT_SIG")
        case KeyType.tapLeafScript:
            guard entry.keyData.count >= 33, (entry.keyData.count - 33) % 32 == 0, entry.keyData.count <= 33 + 128 * 32 else {
                throw PSBTError("PSBT_IN_TAP_LEAF_SCRIPT control block must be 33 + 32·m bytes (m ≤ 128), got \(entry.keyData.count)")
            }
            guard !entry.value.isEmpty else { throw PSBTError("PSBT_IN_TAP_LEAF_SCRIPT value must end with the leaf version") }
        case KeyType.tapBIP32Derivation:
            try PSBTFieldCheck.length(entry.keyData, 32, "PSBT_IN_TAP_BIP32_DERIVATION x-only key")
            try PSBTFieldCheck.tapKeyOrigin(entry.value, "PSBT_IN_TAP_BIP32_DERIVATION")
        case KeyType.tapInternalKey:
            try PSBTFieldCheck.fixedValue(entry, 32, "PSBT_IN_TAP_INTERNAL_KEY")
        case KeyType.tapMerkleRoot:
            try PSBTFieldCheck.fixedValue(entry, 32, "PSBT_IN_TAP_MERKLE_ROOT")
        default:
            break
        }
    }
}
