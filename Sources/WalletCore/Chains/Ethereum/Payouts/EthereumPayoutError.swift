public import CofferBase

/// Why EIP-1559 fees could not be suggested or raised, or a payout transaction could not be
/// built. `kind` is the stable code.
public struct EthereumPayoutError: CofferError, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The fee history is unusable: no base fee, or a block's rewards lack the percentile asked for.
        case invalidFeeHistory = "invalid-fee-history"
        /// The fee cap is below the next block's base fee: no transaction within it can be included.
        case feeCapBelowBaseFee = "fee-cap-below-base-fee"
        /// A replacement must raise both fees by at least 10%, and the cap does not leave room for that.
        case replacementAboveCap = "replacement-above-cap"
        /// Fees that no transaction can carry: a tip above the fee cap.
        case invalidFees = "invalid-fees"
        /// A payout field that cannot be used: an address, the chain id.
        case invalidPayout = "invalid-payout"
    }

    public let kind: Kind
    public let description: String

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    public var code: String { kind.rawValue }

    public var category: ErrorCategory {
        switch kind {
        case .invalidFeeHistory, .invalidFees, .invalidPayout: .invalidInput
        case .feeCapBelowBaseFee, .replacementAboveCap: .rejected
        }
    }
}
