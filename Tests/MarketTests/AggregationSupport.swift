@testable import Market

/// Deterministic generator for property tests seeded by PropertyBased.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Whole units at 18 decimals.
func units(_ whole: UInt128) -> UInt128 { whole * PriceScale.one }

func obs(_ source: String, _ price: UInt128, at time: Int64, volume: UInt128? = nil, weight: UInt32 = 1, pair: String = "BTC/USD") -> MarketObservation {
    MarketObservation(source: source, pair: pair, price: price, volume: volume, sourceTime: time, receivedAt: time, weight: weight)
}
