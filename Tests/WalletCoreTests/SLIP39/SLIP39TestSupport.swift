import CofferTestSupport
import WalletCore


/// Picking shares out of a split backup.
enum SLIP39Subsets {
    /// A random valid scheme: 1 to 4 groups (now and then 16-of-16), thresholds respecting
    /// SLIP-39's rule that a 1-of-N group has N = 1.
    static func randomScheme(using rng: inout SplitMix64) -> (groupThreshold: Int, groups: [SLIP39GroupSpec]) {
        if Int.random(in: 0..<20, using: &rng) == 0 {
            return (1, [SLIP39GroupSpec(memberThreshold: 16, memberCount: 16)])
        }
        let groups = (0..<Int.random(in: 1...4, using: &rng)).map { _ in
            let count = Int.random(in: 1...5, using: &rng)
            let threshold = count == 1 ? 1 : Int.random(in: 2...count, using: &rng)
            return SLIP39GroupSpec(memberThreshold: threshold, memberCount: count)
        }
        return (Int.random(in: 1...groups.count, using: &rng), groups)
    }

    /// Enough mnemonics, shuffled: `groupThreshold` random groups with at least their threshold of
    /// shares each, plus at random extra shares and a few shares of the other groups.
    static func sufficient(_ mnemonics: [[String]], groupThreshold: Int, groups: [SLIP39GroupSpec],
                           using rng: inout SplitMix64) -> [String] {
        let chosen = Set(Array(groups.indices).shuffled(using: &rng).prefix(groupThreshold))
        var picked: [String] = []
        for (index, group) in groups.enumerated() {
            let members = mnemonics[index].shuffled(using: &rng)
            let count = chosen.contains(index)
                ? Int.random(in: group.memberThreshold...group.memberCount, using: &rng)
                : Int.random(in: 0...(group.memberThreshold - 1), using: &rng)
            picked += members.prefix(count)
        }
        return picked.shuffled(using: &rng)
    }

    /// Too few mnemonics, shuffled: fewer than `groupThreshold` complete groups, and fewer than
    /// the threshold of shares of every other group.
    static func insufficient(_ mnemonics: [[String]], groupThreshold: Int, groups: [SLIP39GroupSpec],
                             using rng: inout SplitMix64) -> [String] {
        let complete = Set(Array(groups.indices).shuffled(using: &rng).prefix(Int.random(in: 0..<groupThreshold, using: &rng)))
        var picked: [String] = []
        for (index, group) in groups.enumerated() {
            let members = mnemonics[index].shuffled(using: &rng)
            let count = complete.contains(index)
                ? group.memberThreshold
                : Int.random(in: 0...(group.memberThreshold - 1), using: &rng)
            picked += members.prefix(count)
        }
        return picked.shuffled(using: &rng)
    }
}
