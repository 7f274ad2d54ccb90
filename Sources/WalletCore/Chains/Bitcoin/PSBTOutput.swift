/// One output map of a PSBT: ordered pairs with typed views of the common fields.
public struct PSBTOutput: Sendable, Equatable, PSBTMap {
    public internal(set) var entries: [PSBTKeyValue]

    init(entries: [PSBTKeyValue]) { self.entries = entries }

    /// BIP174/BIP371 output key types.
    public enum KeyType {
        public static let redeemScript: UInt64 = 0x00
        public static let witnessScript: UInt64 = 0x01
        public static let bip32Derivation: UInt64 = 0x02
        /// 0x03 (amount) and 0x04 (script) are PSBT version 2 fields (BIP370).
        static let version2Only: ClosedRange<UInt64> = 0x03...0x04
        public static let tapInternalKey: UInt64 = 0x05
        public static let tapTree: UInt64 = 0x06
        public static let tapBIP32Derivation: UInt64 = 0x07
        public static let proprietary: UInt64 = 0xFC
    }

    /// The p2sh output's redeem script (PSBT_OUT_REDEEM_SCRIPT), e.g. a p2sh-p2wpkh change's.
    public var redeemScript: [UInt8]? {
        get { first(KeyType.redeemScript)?.value }
        set { setOrRemove(KeyType.redeemScript, newValue) }
    }

    public var witnessScript: [UInt8]? { first(KeyType.witnessScript)?.value }
    /// The 32-byte x-only internal key of a taproot output (PSBT_OUT_TAP_INTERNAL_KEY).
    public var tapInternalKey: [UInt8]? {
        get { first(KeyType.tapInternalKey)?.value }
        set { setOrRemove(KeyType.tapInternalKey, newValue) }
    }

    /// Whether the output declares a taproot script tree (PSBT_OUT_TAP_TREE).
    public var hasTapTree: Bool { first(KeyType.tapTree) != nil }

    /// PSBT_OUT_BIP32_DERIVATION records: where the keys of the output's script come from (a
    /// wallet writes them for its own change). A claim, not a proof: see
    /// ``PSBT/ownedOutputScheme(_:keys:)``.
    public var bip32Derivations: [PSBTKeyDerivation] { keyDerivations(KeyType.bip32Derivation) }

    public mutating func addBIP32Derivation(_ derivation: PSBTKeyDerivation) {
        set(PSBTKeyValue(keyType: KeyType.bip32Derivation, keyData: derivation.publicKey, value: derivation.origin.serialized))
    }

    /// PSBT_OUT_TAP_BIP32_DERIVATION records.
    public var tapBIP32Derivations: [PSBTTapKeyDerivation] { tapKeyDerivations(KeyType.tapBIP32Derivation) }

    public mutating func addTapBIP32Derivation(_ derivation: PSBTTapKeyDerivation) {
        set(PSBTKeyValue(keyType: KeyType.tapBIP32Derivation, keyData: derivation.xOnlyPublicKey, value: derivation.serializedValue))
    }

    static func validate(_ entry: PSBTKeyValue) throws(PSBTError) {
        switch entry.keyType {
        case KeyType.redeemScript:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_OUT_REDEEM_SCRIPT")
        case KeyType.witnessScript:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_OUT_WITNESS_SCRIPT")
        case KeyType.bip32Derivation:
            try PSBTFieldCheck.publicKey(entry.keyData, "PSBT_OUT_BIP32_DERIVATION")
            try PSBTFieldCheck.keyOrigin(entry.value, "PSBT_OUT_BIP32_DERIVATION")
        case KeyType.version2Only:
            try PSBTFieldCheck.version2Only(entry, map: "output")
        case KeyType.tapInternalKey:
            try PSBTFieldCheck.fixedValue(entry, 32, "PSBT_OUT_TAP_INTERNAL_KEY")
        case KeyType.tapTree:
            try PSBTFieldCheck.noKeyData(entry, "PSBT_OUT_TAP_TREE")
            try validateTapTree(entry.value)
        case KeyType.tapBIP32Derivation:
            try PSBTFieldCheck.length(entry.keyData, 32, "PSBT_OUT_TAP_BIP32_DERIVATION x-only key")
            try PSBTFieldCheck.tapKeyOrigin(entry.value, "PSBT_OUT_TAP_BIP32_DERIVATION")
        default:
            break
        }
    }

    /// `{depth (≤128), leaf version, CompactSize script}*`, at least one leaf.
    private static func validateTapTree(_ value: [UInt8]) throws(PSBTError) {
        var reader = BitcoinByteReader(value, context: "PSBT_OUT_TAP_TREE")
        guard !value.isEmpty else { throw PSBTError("PSBT_OUT_TAP_TREE must hold at least one leaf") }
        do throws(BitcoinEncodingError) {
            while !reader.isAtEnd {
                let depth = try reader.readByte("leaf depth")
                guard depth <= 128 else { throw BitcoinEncodingError("PSBT_OUT_TAP_TREE leaf depth \(depth) exceeds 128") }
                _ = try reader.readByte("leaf version")
                _ = try reader.readVarBytes("leaf script")
            }
        } catch {
            throw PSBTError(error.description)
        }
    }
}
