/// A signature hash type: which parts of a transaction a signature commits to.
///
/// The low bits pick the outputs (ALL, NONE, SINGLE); `0x80` (ANYONECANPAY) commits to the
/// signed input only. Taproot adds DEFAULT (0), which means ALL and leaves the signature at
/// 64 bytes.
public struct SighashType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The 32-bit value segwit v0 hashes; the signature carries its low byte.
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    public static let `default` = SighashType(rawValue: 0x00)
    public static let all = SighashType(rawValue: 0x01)
    public static let none = SighashType(rawValue: 0x02)
    public static let single = SighashType(rawValue: 0x03)
    public static let allAnyoneCanPay = SighashType(rawValue: 0x81)
    public static let noneAnyoneCanPay = SighashType(rawValue: 0x82)
    public static let singleAnyoneCanPay = SighashType(rawValue: 0x83)

    /// Every type standard for segwit v0 (DEFAULT excluded) and, with DEFAULT, for taproot.
    public static let standardSegwitV0: Set<SighashType> = [.all, .none, .single, .allAnyoneCanPay, .noneAnyoneCanPay, .singleAnyoneCanPay]
    public static let validTaproot: Set<SighashType> = standardSegwitV0.union([.default])

    public var anyoneCanPay: Bool { rawValue & 0x80 != 0 }
    /// The output mode: 1 ALL (DEFAULT counts as ALL), 2 NONE, 3 SINGLE.
    var outputMode: UInt32 { rawValue & 0x03 == 0 ? 1 : rawValue & 0x03 }
    public var isNone: Bool { outputMode == 2 }
    public var isSingle: Bool { outputMode == 3 }

    public var description: String {
        switch self {
        case .default: "DEFAULT"
        case .all: "ALL"
        case .none: "NONE"
        case .single: "SINGLE"
        case .allAnyoneCanPay: "ALL|ANYONECANPAY"
        case .noneAnyoneCanPay: "NONE|ANYONECANPAY"
        case .singleAnyoneCanPay: "SINGLE|ANYONECANPAY"
        default: "0x" + String(rawValue, radix: 16)
        }
    }
}
