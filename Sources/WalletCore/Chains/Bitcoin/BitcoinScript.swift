/// The few standard output scripts a signer needs to build and recognise.
public enum BitcoinScript {
    /// What an output script pays to, for the templates this package signs.
    public enum Template: Sendable, Equatable {
        /// `OP_0 <20-byte key hash>`
        case p2wpkh(publicKeyHash: [UInt8])
        /// `OP_HASH160 <20-byte script hash> OP_EQUAL`
        case p2sh(scriptHash: [UInt8])
        /// `OP_1 <32-byte x-only output key>`
        case p2tr(outputKey: [UInt8])
        /// Anything else (p2pkh, p2wsh, bare multisig, future witness versions...).
        case other
    }

    /// Recognises the templates above; everything else is ``Template/other``.
    public static func template(of script: [UInt8]) -> Template {
        if script.count == 22, script[0] == 0x00, script[1] == 0x14 { return .p2wpkh(publicKeyHash: Array(script[2...])) }
        if script.count == 23, script[0] == 0xA9, script[1] == 0x14, script[22] == 0x87 { return .p2sh(scriptHash: Array(script[2..<22])) }
        if script.count == 34, script[0] == 0x51, script[1] == 0x20 { return .p2tr(outputKey: Array(script[2...])) }
        return .other
    }

    public static func p2wpkh(publicKeyHash: [UInt8]) -> [UInt8] { [0x00, 0x14] + publicKeyHash }
    public static func p2sh(scriptHash: [UInt8]) -> [UInt8] { [0xA9, 0x14] + scriptHash + [0x87] }
    public static func p2tr(outputKey: [UInt8]) -> [UInt8] { [0x51, 0x20] + outputKey }
    public static func p2pkh(publicKeyHash: [UInt8]) -> [UInt8] { [0x76, 0xA9, 0x14] + publicKeyHash + [0x88, 0xAC] }

    /// The BIP143 scriptCode of a p2wpkh spend: the p2pkh script of the same key hash.
    public static func p2wpkhScriptCode(publicKeyHash: [UInt8]) -> [UInt8] { p2pkh(publicKeyHash: publicKeyHash) }

    /// A minimal push of `data` (as a scriptSig pushes a p2sh redeem script).
    public static func push(_ data: [UInt8]) -> [UInt8] {
        switch data.count {
        case 0..<0x4C: [UInt8(data.count)] + data
        case 0x4C...0xFF: [0x4C, UInt8(data.count)] + data
        case 0x100...0xFFFF: [0x4D, UInt8(data.count & 0xFF), UInt8(data.count >> 8)] + data
        default: [0x4E] + withUnsafeBytes(of: UInt32(data.count).littleEndian, Array.init) + data
        }
    }
}
