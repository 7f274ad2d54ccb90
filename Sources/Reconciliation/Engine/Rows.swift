/// Which side of a reconciliation a row comes from.
public enum ReconSide: String, Sendable, Hashable, CaseIterable {
    /// Internal ledger transfers (what we believe happened).
    case ledger
    /// External statement lines (what the bank/PSP says happened).
    case statement
}

/// One row on either side. The engine never mutates rows and needs no I/O to read them.
///
/// `amount` is in minor units of `asset`, already normalised to one scale per asset by the
/// caller; the sign is the direction. `description` is free text compared only by
/// description conditions (for ledger rows: the transfer's reference plus metadata text).
public struct ReconRow: Sendable, Hashable {
    /// Unique per side; used in results and as the last tie-breaker.
    public var id: String
    public var amount: Int128
    public var asset: String
    /// Seconds since 1970-01-01T00:00:00Z.
    public var time: Int64
    /// Compared by `reference: exact` after trimming surrounding whitespace (case-sensitive).
    public var reference: String
    public var description: String

    public init(id: String, amount: Int128, asset: String, time: Int64, reference: String = "", description: String = "") {
        self.id = id
        self.amount = amount
        self.asset = asset
        self.time = time
        self.reference = reference
        self.description = description
    }
}

/// An exact signed difference between two `Int128` amounts.
///
/// The difference of two `Int128` values can need 129 bits (e.g. `max - min`), so it is kept
/// as sign + `UInt128` magnitude instead of trapping or silently wrapping.
public struct AmountDelta: Sendable, Hashable, CustomStringConvertible {
    /// True when the difference is strictly negative.
    public let isNegative: Bool
    public let magnitude: UInt128

    public static let zero = AmountDelta(isNegative: false, magnitude: 0)

    public init(isNegative: Bool, magnitude: UInt128) {
        self.isNegative = isNegative && magnitude != 0
        self.magnitude = magnitude
    }

    /// `lhs - rhs`, exact.
    public init(_ lhs: Int128, minus rhs: Int128) {
        self.init(isNegative: lhs < rhs, magnitude: AmountMath.absDiff(lhs, rhs))
    }

    /// The difference as `Int128` when it fits.
    public var int128: Int128? {
        if isNegative {
            if magnitude <= UInt128(Int128.max) { return -Int128(magnitude) }
            return magnitude == UInt128(Int128.max) + 1 ? Int128.min : nil
        }
        return magnitude <= UInt128(Int128.max) ? Int128(magnitude) : nil
    }

    public var description: String { (isNegative ? "-" : "") + String(magnitude) }
}
