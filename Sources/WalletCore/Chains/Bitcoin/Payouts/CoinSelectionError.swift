import CofferBase

/// Why coins could not be selected for a payment. `kind` is the stable code; an insufficient
/// funds error also says how much was available and how much was needed.
public struct CoinSelectionError: CofferError, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The usable coins, after the fee of spending each, cannot pay the outputs and their fee.
        case insufficientFunds = "insufficient-funds"
        /// There is nothing to pay.
        case noOutputs = "no-outputs"
        /// A payment is worth less than the dust threshold: nodes would not relay it.
        case amountBelowDust = "amount-below-dust"
        /// The request itself is unusable (duplicate coins, a maximum of no inputs, values whose
        /// sum does not fit in 64 bits).
        case invalidRequest = "invalid-coin-selection"
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
        case .insufficientFunds: .rejected
        case .noOutputs, .amountBelowDust, .invalidRequest: .invalidInput
        }
    }

    public var problemMembers: [(String, JSONValue)] {
        guard let available, let needed else { return [] }
        return [("available", .string(String(available))), ("needed", .string(String(needed)))]
    }
}
