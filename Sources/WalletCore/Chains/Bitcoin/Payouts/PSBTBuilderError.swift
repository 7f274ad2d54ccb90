import CofferBase

/// Why an unsigned PSBT or its fee-bumping replacement could not be built. `kind` is the stable code.
public struct PSBTBuilderError: CofferError, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// The transaction asked for is malformed: no inputs or outputs, a coin spent twice,
        /// outputs worth more than the inputs, a lock time that is not a block height.
        case invalidTransaction = "invalid-transaction"
        /// An input's key does not pay the script it spends, or derives no script.
        case keyMismatch = "key-mismatch"
        /// An input of a kind the builder and signer do not handle (p2pkh, which needs the whole
        /// previous transaction; scripts that are not a single key's).
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

    init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    public var code: String { kind.rawValue }

    public var category: ErrorCategory {
        switch kind {
        case .invalidTransaction, .keyMismatch, .unsupportedInput: .invalidInput
        case .notReplaceable, .noChange, .changeBelowDust, .feeAboveMaximum: .rejected
        }
    }
}
