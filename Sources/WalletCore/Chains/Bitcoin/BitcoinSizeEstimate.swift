/// The size of a transaction before it is signed, for its fee: weight units (BIP141: four per
/// byte outside the witness, one per witness byte) summed exactly from the inputs' spend types
/// and the outputs' scripts, and rounded up to virtual bytes once, at the end.
///
/// Every estimate is an upper bound of the signed transaction's size. ECDSA signatures are
/// assumed to be ``ecdsaSignatureBytes`` long, a 72-byte DER signature and the sighash byte. The
/// low-S signatures relay policy requires have at most 71 DER bytes (70 or 71 but for one in
/// 256), so a p2wpkh or p2sh-p2wpkh input is over-estimated by one to three witness bytes (at
/// most ¾ vbyte), a p2pkh input by one to three bytes. Taproot key-path spends are assumed to use SIGHASH_DEFAULT (a 64-byte
/// signature, exact), which is what ``PSBT/sign(with:allowedSighashTypes:schnorrAuxiliaryRandomness:)``
/// makes for inputs without PSBT_IN_SIGHASH_TYPE.
public enum BitcoinSizeEstimate {
    /// An ECDSA signature as pushed on the stack: a 72-byte DER signature and the sighash byte.
    public static let ecdsaSignatureBytes: UInt64 = 73
    /// A BIP340 signature with SIGHASH_DEFAULT (a 65th byte only for other sighash types).
    public static let schnorrSignatureBytes: UInt64 = 64
    /// A compressed public key.
    static let publicKeyBytes: UInt64 = 33
    /// Outpoint (32 + 4) and sequence (4).
    static let inputFixedBytes: UInt64 = 40

    /// The weight an input spent under `scheme` adds: its outpoint, sequence and scriptSig (four
    /// units a byte) and its witness (one a byte). In a segwit transaction (`segwitTransaction`,
    /// the default) a p2pkh input still carries an empty witness, one byte.
    public static func inputWeight(_ scheme: BitcoinScheme, segwitTransaction: Bool = true) -> UInt64 {
        let signaturePush = 1 + ecdsaSignatureBytes
        let keyPush = 1 + publicKeyBytes
        // A witness: its item count and each item with its length byte.
        let ecdsaWitness = 1 + signaturePush + keyPush
        switch scheme {
        case .p2wpkh:
            return 4 * (inputFixedBytes + 1) + ecdsaWitness
        case .p2shP2wpkh:
            // scriptSig: the push of the 22-byte redeem script `OP_0 <20-byte key hash>`.
            let scriptSig: UInt64 = 1 + 22
            return 4 * (inputFixedBytes + 1 + scriptSig) + ecdsaWitness
        case .p2tr:
            return 4 * (inputFixedBytes + 1) + 1 + 1 + schnorrSignatureBytes
        case .p2pkh:
            let scriptSig = signaturePush + keyPush
            return 4 * (inputFixedBytes + 1 + scriptSig) + (segwitTransaction ? 1 : 0)
        }
    }

    /// The weight of an output paying `scriptPubKey`: value, script length and script.
    public static func outputWeight(scriptPubKey: [UInt8]) -> UInt64 {
        outputWeight(scriptLength: scriptPubKey.count)
    }

    /// The weight of an output whose script is `scriptLength` bytes long.
    public static func outputWeight(scriptLength: Int) -> UInt64 {
        4 * (8 + compactSizeLength(scriptLength) + UInt64(scriptLength))
    }

    /// The length of the scriptPubKey `scheme` pays to: 25 (p2pkh), 23 (p2sh), 22 (p2wpkh), 34 (p2tr).
    public static func scriptLength(_ scheme: BitcoinScheme) -> Int {
        switch scheme {
        case .p2pkh: 25
        case .p2shP2wpkh: 23
        case .p2wpkh: 22
        case .p2tr: 34
        }
    }

    /// Everything but the inputs and outputs: version and lock time, the two counts and, for a
    /// segwit transaction, the marker and flag (two witness bytes).
    public static func overheadWeight(inputCount: Int, outputCount: Int, segwit: Bool) -> UInt64 {
        4 * (4 + 4 + compactSizeLength(inputCount) + compactSizeLength(outputCount)) + (segwit ? 2 : 0)
    }

    /// The weight of a transaction spending `inputs` (their spend types) and paying `outputScripts`.
    public static func weight(inputs: [BitcoinScheme], outputScripts: [[UInt8]]) -> UInt64 {
        weight(inputs: inputs, outputScriptLengths: outputScripts.map(\.count))
    }

    /// The same, from the lengths of the output scripts.
    public static func weight(inputs: [BitcoinScheme], outputScriptLengths: [Int]) -> UInt64 {
        let segwit = inputs.contains { $0 != .p2pkh }
        return overheadWeight(inputCount: inputs.count, outputCount: outputScriptLengths.count, segwit: segwit)
            + inputs.reduce(0) { $0 + inputWeight($1, segwitTransaction: segwit) }
            + outputScriptLengths.reduce(0) { $0 + outputWeight(scriptLength: $1) }
    }

    /// The virtual size of a transaction spending `inputs` and paying `outputScripts`, rounded up.
    public static func virtualSize(inputs: [BitcoinScheme], outputScripts: [[UInt8]]) -> UInt64 {
        virtualSize(weight: weight(inputs: inputs, outputScripts: outputScripts))
    }

    /// Weight units to virtual bytes, rounded up (BIP141).
    public static func virtualSize(weight: UInt64) -> UInt64 {
        (weight + 3) / 4
    }

    /// Bitcoin Core's dust threshold of an output paying `scriptPubKey` (`GetDustThreshold`): the
    /// fee, at `dustRelayFeeRate` (Bitcoin Core's default 3,000 sat/kvB), of the output and of the
    /// input that would spend it (67 bytes for a witness program, 148 otherwise). An output worth
    /// less is not relayed. Unspendable (`OP_RETURN`) outputs have no threshold: 0.
    public static func dustThreshold(scriptPubKey: [UInt8], dustRelayFeeRate: BitcoinFeeRate = BitcoinFeeRate(perKilovbyte: 3_000)) -> UInt64 {
        if scriptPubKey.first == 0x6A { return 0 }
        let spendBytes: UInt64 = isWitnessProgram(scriptPubKey) ? 32 + 4 + 1 + 107 / 4 + 4 : 32 + 4 + 1 + 107 + 4
        let bytes = outputWeight(scriptPubKey: scriptPubKey) / 4 + spendBytes
        // Bitcoin Core's CFeeRate::GetFee truncates, but never to zero at a non-zero rate.
        let fee = UInt128(dustRelayFeeRate.perKilovbyte) * UInt128(bytes) / 1_000
        return UInt64(clamping: fee == 0 && dustRelayFeeRate.perKilovbyte > 0 ? 1 : fee)
    }

    /// `OP_n <2 to 40 bytes>`, n from 0 to 16 (BIP141).
    static func isWitnessProgram(_ script: [UInt8]) -> Bool {
        guard (4...42).contains(script.count), script[0] == 0x00 || (0x51...0x60).contains(script[0]) else { return false }
        return Int(script[1]) == script.count - 2
    }

    static func compactSizeLength(_ value: Int) -> UInt64 {
        switch value {
        case ..<0xFD: 1
        case ...0xFFFF: 3
        case ...0xFFFF_FFFF: 5
        default: 9
        }
    }
}

extension BitcoinTransaction {
    /// The transaction's weight (BIP141): three times its size without witnesses plus its full size.
    public var weight: UInt64 {
        UInt64(3 * serialized(includingWitness: false).count + serialized().count)
    }

    /// The virtual size, weight / 4 rounded up: what fee rates are quoted per.
    public var virtualSize: UInt64 { BitcoinSizeEstimate.virtualSize(weight: weight) }
}
