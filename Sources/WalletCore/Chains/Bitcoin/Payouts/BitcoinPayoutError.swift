import CofferBase

/// Why coins could not be selected for a payout, or its PSBT or fee-bumping replacement could
/// not be built. `kind` is the stable code; an insufficient-funds error also says how much was
/// available and how much was needed.
public struct BitcoinPayoutError: CofferError, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The usable coins, after the fee of spending each, cannot pay the outputs and their fee.
        case insufficientFunds = "insufficient-funds"
        /// There is nothing to pay.
        case noOutputs = "no-outputs"
        /// A payment is worth less than the dust threshold: nodes would not relay it.
        case amountBelowDust = "amount-below-dust"
        /// The request is malformed: a coin listed or spent twice, no inputs, a maximum of no
        /// inputs, outputs worth more than the inputs, sums beyond 64 bits, a lock time that is
        /// not a block height.
        case invalidRequest = "invalid-payout-request"
        /// An input's key does not pay the script it spends, or derives no script.
        case keyMismatch = "key-mismatch"
        /// An input of a kind the builder and signer do not handle (p2pkh, which needs the whole
        /// previous transaction; scripts that are not a single key's; finalised inputs).
        case unsupportedInput = "unsupported-input"
        /// The transaction to replace does not signal BIP125 replaceability.
        case notReplaceable = "not-replaceable"
        /// The transaction to replace has no change output to take the higher fee from.
        case noChange = "no-change"
        /// The higher fee would leave the change below the dust threshold.
        case changeBelowDust = "change-below-dust"
        /// The replacement's fee would exceed the maximum the caller allows.
        case feeAboveMaximum = "fee-above-maximum"
    }

    public let kind: Kind
    public let description: String
    /// For ``Kind/insufficientFunds``: the sum of the usable coins' effective values (value less
    /// the fee of spending them; at most `maximumInputs` of the largest), in satoshi.
    public let available: UInt64?
    /// For ``Kind/insufficientFunds``: the payments plus the fee of everything but the inputs.
    public let needed: UInt64?

    init(_ kind: Kind, _ description: String, available: UInt64? = nil, needed: UInt64? = nil) {
        self.kind = kind
        self.description = description
        self.available = available
        self.needed = needed
    }

    public var code: String { kind.rawValue }

    public var category: ErrorCategory {
        switch kind {
        case .noOutputs, .amountBelowDust, .invalidRequest, .keyMismatch, .unsupportedInput: .invalidInput
        case .insufficientFunds, .notReplaceable, .noChange, .changeBelowDust, .feeAboveMaximum: .rejected
        }
    }

    public var problemMembers: [(String, JSONValue)] {
        guard let available, let needed else { return [] }
        return [("available", .string(String(available))), ("needed", .string(String(needed)))]
    }
}
