extension CoinSelection {
    /// Bitcoin Core's branch-and-bound search (`SelectCoinsBnB`, after Murch's "An Evaluation of
    /// Coin Selection Strategies"), with an input-count bound added.
    enum BranchAndBound {
        /// The indices into `pool` (sorted by effective value, largest first) of the least wasteful
        /// set whose effective value lies in `[target, target + costOfChange]`, with at most
        /// `maximumInputs` coins, found within `maximumTries` steps; nil if none was.
        ///
        /// Waste is the sum of the inputs' `waste` (their fee now less at the long-term rate) plus
        /// the excess over the target. The search walks the inclusion branch first and backtracks
        /// when the branch cannot reach the target, overshoots the window, holds too many coins or,
        /// while fees are above the long-term rate, is already more wasteful than the best.
        static func search(_ pool: [Plan.Coin], target: Int128, costOfChange: Int128, maximumInputs: Int, maximumTries: Int) -> [Int]? {
            var remaining = pool.reduce(Int128(0)) { $0 + $1.effectiveValue }
            guard remaining >= target, !pool.isEmpty else { return nil }
            // Adding coins only adds waste when fees are above their long-term level.
            let wasteGrows = pool[0].waste > 0
            var included: [Bool] = []
            var value = Int128(0)
            var waste = Int128(0)
            var count = 0
            var best: [Bool]?
            var bestWaste = Int128.max
            for _ in 0..<maximumTries {
                var backtrack = false
                if value + remaining < target || value > target + costOfChange || count > maximumInputs || (wasteGrows && waste > bestWaste) {
                    backtrack = true
                } else if value >= target {
                    let total = waste + value - target
                    if total <= bestWaste {
                        best = included
                        bestWaste = total
                        if total == 0 { break }
                    }
                    backtrack = true
                }
                if backtrack {
                    // Back to the last coin included whose exclusion branch is still unexplored.
                    while let last = included.last, !last {
                        included.removeLast()
                        remaining += pool[included.count].effectiveValue
                    }
                    guard !included.isEmpty else { break }
                    included[included.count - 1] = false
                    let coin = pool[included.count - 1]
                    value -= coin.effectiveValue
                    waste -= coin.waste
                    count -= 1
                } else {
                    let coin = pool[included.count]
                    remaining -= coin.effectiveValue
                    // A coin equal to the previous one, which was left out, would only repeat that branch.
                    if let last = included.last, !last, coin.effectiveValue == pool[included.count - 1].effectiveValue,
                       coin.waste == pool[included.count - 1].waste {
                        included.append(false)
                    } else {
                        included.append(true)
                        value += coin.effectiveValue
                        waste += coin.waste
                        count += 1
                    }
                }
            }
            return best.map { flags in flags.indices.filter { flags[$0] } }
        }
    }
}
