/// A fee rate in the chain's smallest unit (satoshi, litoshi) per 1,000 virtual bytes, the unit of
/// Bitcoin Core's `estimatesmartfee` and relay settings once their BTC/kvB is converted to integers.
///
/// Fees are always rounded up: a transaction of `v` vbytes at rate `r` pays `ceil(r · v / 1000)`,
/// so it never falls below the rate it was built for.
public struct BitcoinFeeRate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Smallest units per 1,000 virtual bytes.
    public let perKilovbyte: UInt64

    public init(perKilovbyte: UInt64) {
        self.perKilovbyte = perKilovbyte
    }

    /// `satoshis` per virtual byte (1 sat/vB is 1,000 sat/kvB).
    public static func perVbyte(_ satoshis: UInt64) -> BitcoinFeeRate {
        BitcoinFeeRate(perKilovbyte: satoshis * 1_000)
    }

    /// The fee for `virtualSize` vbytes, rounded up. Exact in `UInt128`, so no rate overflows.
    public func fee(virtualSize: UInt64) -> UInt128 {
        (UInt128(perKilovbyte) * UInt128(virtualSize) + 999) / 1_000
    }

    public static func < (lhs: BitcoinFeeRate, rhs: BitcoinFeeRate) -> Bool { lhs.perKilovbyte < rhs.perKilovbyte }

    public var description: String { "\(perKilovbyte) sat/kvB" }
}
