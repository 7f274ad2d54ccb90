/// Chooses the coins (UTXOs) that fund a Bitcoin-family payment, and its change and fee.
///
/// Each coin counts at its *effective value*: its value less the fee of spending it at the
/// request's rate (the fee of its input's virtual size, rounded up). Coins whose effective value
/// is not positive cost more to spend than they bring and are never selected. The *target* is
/// the payments plus the fee of everything but the inputs (version, lock time, counts, segwit
/// marker, the payment outputs).
///
/// 1. **Branch and bound** (Bitcoin Core's `SelectCoinsBnB`): a depth-first search, largest
///    effective value first, for a set whose effective value lies in `[target, target +
///    cost of change]`, the one with the least waste, within ``Request/maximumTries`` steps. Such
///    a set needs no change output: the excess, less than making and later spending change would
///    cost, goes to the fee.
/// 2. Otherwise **with change**: the smallest single coin that covers the target, a change output
///    and a change of at least the dust threshold; failing that, coins largest first until they
///    do. When every usable coin (at most ``Request/maximumInputs``) is taken and covers the target
///    but not a change above dust, there is no change and the remainder goes to the fee.
///
/// The fee is never below the request's rate times the transaction's estimated virtual size
/// (``BitcoinSizeEstimate``), rounded up: the parts are each rounded up, so their sum bounds the
/// whole. With change, the change takes everything above exactly that fee.
///
/// Funds are insufficient exactly when the usable coins' effective values (the largest
/// ``Request/maximumInputs`` of them) sum to less than the target. Ties between coins of equal
/// effective value are broken by a shuffle with the caller's random number generator, so a
/// seeded generator makes the selection reproducible.
public enum CoinSelection {
    /// A coin that may be spent.
    public struct Candidate: Sendable, Hashable {
        public let outPoint: BitcoinTransaction.OutPoint
        /// Satoshi (or the chain's smallest unit).
        public let value: UInt64
        /// How the coin is spent, which fixes its input's size.
        public let scheme: BitcoinScheme

        public init(outPoint: BitcoinTransaction.OutPoint, value: UInt64, scheme: BitcoinScheme) {
            self.outPoint = outPoint
            self.value = value
            self.scheme = scheme
        }

        /// The input's weight in a segwit transaction (``BitcoinSizeEstimate/inputWeight(_:segwitTransaction:)``).
        public var inputWeight: UInt64 { BitcoinSizeEstimate.inputWeight(scheme) }
    }

    /// What to pay, from which coins, at which rate.
    public struct Request: Sendable {
        public var candidates: [Candidate]
        /// The payment outputs, each worth at least `dustThreshold`.
        public var payments: [BitcoinTransaction.Output]
        public var feeRate: BitcoinFeeRate
        /// The script type of the change output, should there be one.
        public var changeScheme: BitcoinScheme
        /// The least value of an output: payments below it are refused, a smaller change is not made.
        public var dustThreshold: UInt64
        /// At most this many inputs; nil for no limit.
        public var maximumInputs: Int?
        /// The rate the change is expected to be spent at later, for the cost of change and the
        /// waste of an input (Bitcoin Core's long-term fee rate); nil: `feeRate`.
        public var longTermFeeRate: BitcoinFeeRate?
        /// Steps of the branch-and-bound search before it gives up (Bitcoin Core: 100,000).
        public var maximumTries: Int

        public init(
            candidates: [Candidate], payments: [BitcoinTransaction.Output], feeRate: BitcoinFeeRate, changeScheme: BitcoinScheme,
            dustThreshold: UInt64, maximumInputs: Int? = nil, longTermFeeRate: BitcoinFeeRate? = nil, maximumTries: Int = 100_000
        ) {
            self.candidates = candidates
            self.payments = payments
            self.feeRate = feeRate
            self.changeScheme = changeScheme
            self.dustThreshold = dustThreshold
            self.maximumInputs = maximumInputs
            self.longTermFeeRate = longTermFeeRate
            self.maximumTries = maximumTries
        }
    }

    /// How a selection was found.
    public enum Method: String, Sendable {
        case branchAndBound = "branch-and-bound"
        case singleCoin = "single-coin"
        case largestFirst = "largest-first"
        /// Every coin worth spending into one output of the wallet (a consolidation).
        case consolidation
    }

    /// The coins chosen, and what becomes of their value: `inputTotal == payments + change + fee`.
    public struct Selection: Sendable, Equatable {
        /// The coins to spend, largest effective value first.
        public let inputs: [Candidate]
        /// The change output's value; nil when there is none (always nil for branch and bound).
        public let change: UInt64?
        public let fee: UInt64
        /// The estimated virtual size of the signed transaction (an upper bound).
        public let virtualSize: UInt64
        public let method: Method

        /// The sum of the inputs' values.
        public var inputTotal: UInt64 { inputs.reduce(0) { $0 + $1.value } }
    }

    /// Selects coins for `request`; `generator` shuffles coins of equal effective value.
    public static func select(_ request: Request, using generator: inout some RandomNumberGenerator) throws(BitcoinPayoutError) -> Selection {
        let plan = try Plan(request)
        var pool = plan.usable
        pool.shuffle(using: &generator)
        // Largest effective value first; among equals, the shuffled order.
        pool = pool.enumerated().sorted { ($0.element.effectiveValue, $1.offset) > ($1.element.effectiveValue, $0.offset) }.map(\.element)
        let limit = min(pool.count, request.maximumInputs ?? Int.max)
        let available = pool.prefix(limit).reduce(Int128(0)) { $0 + $1.effectiveValue }
        guard available >= plan.target else {
            let limited = limit < pool.count ? ", the largest \(limit) of \(pool.count) usable coins (maximumInputs)" : ""
            throw BitcoinPayoutError(
                .insufficientFunds,
                "insufficient funds: the usable coins are worth \(available) after the fee of spending them\(limited); "
                    + "the payments and their fee need \(plan.target)",
                available: UInt64(available), needed: UInt64(plan.target))
        }
        if let chosen = BranchAndBound.search(
            pool, target: plan.target, costOfChange: plan.costOfChange, maximumInputs: limit, maximumTries: request.maximumTries) {
            return plan.selection(chosen.map { pool[$0] }, change: false, method: .branchAndBound)
        }
        let targetWithChange = plan.target + plan.changeCost + Int128(request.dustThreshold)
        if let single = pool.last(where: { $0.effectiveValue >= targetWithChange }) {
            return plan.selection([single], change: true, method: .singleCoin)
        }
        var chosen: [Plan.Coin] = []
        var total = Int128(0)
        for coin in pool.prefix(limit) {
            chosen.append(coin)
            total += coin.effectiveValue
            if total >= targetWithChange { return plan.selection(chosen, change: true, method: .largestFirst) }
        }
        return plan.selection(chosen, change: false, method: .largestFirst)
    }

    /// A consolidation of `candidates` into one output of the wallet (`changeScheme`) at
    /// `feeRate`: the coins worth more than the fee of spending them, the most valuable first, at
    /// most `maximumInputs`; everything they hold less the fee becomes the output (`change`).
    /// Refused when fewer than `minimumInputs` coins are worth spending or the output would be
    /// below `dustThreshold`.
    public static func consolidation(
        _ candidates: [Candidate], feeRate: BitcoinFeeRate, changeScheme: BitcoinScheme, dustThreshold: UInt64, minimumInputs: Int = 2, maximumInputs: Int = 500
    ) throws(BitcoinPayoutError) -> Selection {
        guard minimumInputs >= 1, maximumInputs >= minimumInputs else {
            throw BitcoinPayoutError(.invalidRequest, "a consolidation needs 1 <= minimumInputs <= maximumInputs, got \(minimumInputs) and \(maximumInputs)")
        }
        guard Set(candidates.map(\.outPoint)).count == candidates.count else {
            throw BitcoinPayoutError(.invalidRequest, "a coin is listed twice among the candidates")
        }
        let worth = candidates.filter { UInt128($0.value) > feeRate.fee(virtualSize: BitcoinSizeEstimate.virtualSize(weight: $0.inputWeight)) }
            .sorted { ($0.value, $0.outPoint.index) > ($1.value, $1.outPoint.index) }
        let chosen = Array(worth.prefix(maximumInputs))
        guard chosen.count >= minimumInputs else {
            throw BitcoinPayoutError(.insufficientFunds, "\(chosen.count) coin(s) are worth spending at this fee rate; the consolidation wants at least \(minimumInputs)",
                                     available: chosen.reduce(0) { $0 + $1.value }, needed: 0)
        }
        let weight = BitcoinSizeEstimate.overheadWeight(inputCount: chosen.count, outputCount: 1, segwit: true)
            + chosen.reduce(UInt64(0)) { $0 + $1.inputWeight }
            + BitcoinSizeEstimate.outputWeight(scriptLength: BitcoinSizeEstimate.scriptLength(changeScheme))
        let size = BitcoinSizeEstimate.virtualSize(weight: weight)
        let fee = UInt64(clamping: feeRate.fee(virtualSize: size))
        let total = chosen.reduce(UInt64(0)) { $0 + $1.value }
        guard total > fee, total - fee >= dustThreshold else {
            throw BitcoinPayoutError(.insufficientFunds, "the coins hold \(total), too little to pay the fee of \(fee) and leave an output above dust",
                                     available: total, needed: fee + dustThreshold)
        }
        return Selection(inputs: chosen, change: total - fee, fee: fee, virtualSize: size, method: .consolidation)
    }

    /// The request's amounts, worked out once: the usable coins with their effective values, the
    /// target and the costs of change. Signed 128-bit arithmetic throughout: nothing overflows.
    struct Plan {
        struct Coin {
            let candidate: Candidate
            /// Value less the fee of spending it now.
            let effectiveValue: Int128
            /// The fee of spending it now less the fee of spending it at the long-term rate.
            let waste: Int128
        }

        let request: Request
        let usable: [Coin]
        /// Payments plus the fee of the transaction's parts other than the inputs.
        let target: Int128
        /// What a change output adds to the fee now.
        let changeCost: Int128
        /// `changeCost` plus the fee of spending the change later: the most branch and bound may
        /// give to the fee instead of making change.
        let costOfChange: Int128

        init(_ request: Request) throws(BitcoinPayoutError) {
            self.request = request
            guard !request.payments.isEmpty else { throw BitcoinPayoutError(.noOutputs, "there is nothing to pay: give at least one payment output") }
            if let index = request.payments.firstIndex(where: { $0.value < request.dustThreshold }) {
                throw BitcoinPayoutError(
                    .amountBelowDust,
                    "payment \(index) is \(request.payments[index].value), below the dust threshold \(request.dustThreshold): nodes would not relay it")
            }
            if let maximum = request.maximumInputs, maximum < 1 {
                throw BitcoinPayoutError(.invalidRequest, "maximumInputs must be at least 1, got \(maximum)")
            }
            guard Set(request.candidates.map(\.outPoint)).count == request.candidates.count else {
                throw BitcoinPayoutError(.invalidRequest, "a coin is listed twice among the candidates")
            }
            let paid = request.payments.reduce(Int128(0)) { $0 + Int128($1.value) }
            let held = request.candidates.reduce(Int128(0)) { $0 + Int128($1.value) }
            guard paid <= Int128(UInt64.max), held <= Int128(UInt64.max) else {
                throw BitcoinPayoutError(.invalidRequest, "the payments or the candidate coins add up to more than 2^64 - 1")
            }
            let rate = request.feeRate
            let longTerm = request.longTermFeeRate ?? rate
            func fee(_ rate: BitcoinFeeRate, weight: UInt64) -> Int128 {
                Int128(rate.fee(virtualSize: BitcoinSizeEstimate.virtualSize(weight: weight)))
            }
            // The most inputs the transaction can have fixes the width of the input count.
            let inputCount = min(request.candidates.count, request.maximumInputs ?? Int.max)
            let paymentsWeight = request.payments.reduce(UInt64(0)) { $0 + BitcoinSizeEstimate.outputWeight(scriptPubKey: $1.scriptPubKey) }
            let changeWeight = BitcoinSizeEstimate.outputWeight(scriptLength: BitcoinSizeEstimate.scriptLength(request.changeScheme))
            let withoutChange = BitcoinSizeEstimate.overheadWeight(inputCount: inputCount, outputCount: request.payments.count, segwit: true)
            let withChange = BitcoinSizeEstimate.overheadWeight(inputCount: inputCount, outputCount: request.payments.count + 1, segwit: true)
            let baseFee = fee(rate, weight: withoutChange + paymentsWeight)
            target = paid + baseFee
            changeCost = fee(rate, weight: withChange + paymentsWeight + changeWeight) - baseFee
            costOfChange = changeCost + fee(longTerm, weight: BitcoinSizeEstimate.inputWeight(request.changeScheme))
            usable = request.candidates.compactMap { candidate in
                let spendFee = fee(rate, weight: candidate.inputWeight)
                let effective = Int128(candidate.value) - spendFee
                guard effective > 0 else { return nil }
                return Coin(candidate: candidate, effectiveValue: effective, waste: spendFee - fee(longTerm, weight: candidate.inputWeight))
            }
        }

        /// The selection of `coins`, with change when `change` (the coins then cover the target,
        /// the change output and a change of at least dust, by construction).
        func selection(_ coins: [Coin], change: Bool, method: Method) -> Selection {
            let inputs = coins.map(\.candidate)
            let inputTotal = inputs.reduce(UInt64(0)) { $0 + $1.value }
            let paid = request.payments.reduce(UInt64(0)) { $0 + $1.value }
            var scriptLengths = request.payments.map(\.scriptPubKey.count)
            if change { scriptLengths.append(BitcoinSizeEstimate.scriptLength(request.changeScheme)) }
            let virtualSize = BitcoinSizeEstimate.virtualSize(
                weight: BitcoinSizeEstimate.weight(inputs: inputs.map(\.scheme), outputScriptLengths: scriptLengths))
            guard change else {
                return Selection(inputs: inputs, change: nil, fee: inputTotal - paid, virtualSize: virtualSize, method: method)
            }
            // The estimate of the parts bounds the whole: the change takes what exactly the rate leaves.
            let fee = UInt64(request.feeRate.fee(virtualSize: virtualSize))
            return Selection(inputs: inputs, change: inputTotal - paid - fee, fee: fee, virtualSize: virtualSize, method: method)
        }
    }
}
