/// The lower weighted median: the smallest value `v` such that the values `<= v` carry at least
/// half the total weight (`2 × weight(≤ v) >= total`). With all weights 1 it is the ordinary
/// lower median, element `(n − 1) / 2` of the sorted values. Entries of weight 0 take no part;
/// nil when there is no entry of positive weight. Deterministic: it depends only on the
/// multiset of (value, weight), not on input order. Weights are summed in 64 bits (no overflow
/// for fewer than 2^32 entries).
public enum WeightedMedian {
    public static func of(_ values: [(value: UInt128, weight: UInt32)]) -> UInt128? {
        let weighted = values.filter { $0.weight > 0 }.sorted { $0.value < $1.value }
        let total = weighted.reduce(UInt64(0)) { $0 + UInt64($1.weight) }
        guard total > 0 else { return nil }
        var cumulative: UInt64 = 0
        for entry in weighted {
            cumulative += UInt64(entry.weight)
            if cumulative * 2 >= total { return entry.value }
        }
        return weighted.last?.value
    }
}
