/// Splitting a transaction's fee among the payouts it paid.
public enum FeeSplit {
    /// Splits `total` into equal shares, none above its payout's cap: payouts whose cap is below
    /// the equal share pay their cap and the rest is shared equally by the others ("water
    /// filling"). Shares are whole units; the units left over by the division go one each to the
    /// earliest payouts (largest remainder with equal weights). The shares sum to `total`
    /// exactly; nil when `total` exceeds the sum of the caps.
    public static func split(_ total: UInt128, caps: [UInt128]) -> [UInt128]? {
        guard !caps.isEmpty else { return total == 0 ? [] : nil }
        var capacity: UInt128 = 0
        for cap in caps {
            let (sum, overflow) = capacity.addingReportingOverflow(cap)
            if overflow || sum >= total { capacity = total; break }
            capacity = sum
        }
        guard capacity >= total else { return nil }
        var shares = [UInt128](repeating: 0, count: caps.count)
        var remaining = total
        var open = caps.indices.sorted { caps[$0] < caps[$1] || (caps[$0] == caps[$1] && $0 < $1) }
        while let smallest = open.first {
            let equal = remaining / UInt128(open.count)
            guard caps[smallest] <= equal else { break }
            shares[smallest] = caps[smallest]
            remaining -= caps[smallest]
            open.removeFirst()
        }
        guard !open.isEmpty else { return shares }
        let equal = remaining / UInt128(open.count)
        var extra = Int(remaining % UInt128(open.count))
        // Every open cap exceeds `equal`, so one more unit still fits under it.
        for index in open.sorted() {
            shares[index] = equal + (extra > 0 ? 1 : 0)
            extra -= 1
        }
        return shares
    }
}
