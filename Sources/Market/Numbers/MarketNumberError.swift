import CofferBase

/// A price that cannot be read or a computation on prices whose exact result does not fit.
/// Codes: `invalid-price` (malformed text, a zero divisor, an exponent or scale out of range;
/// category `invalidInput`) and `arithmetic-overflow` (the result exceeds 2^128-1 or the
/// representable range; category `rejected`: the inputs were well formed but the answer is not
/// representable). Never a trap: every failure of this module is one of these.
public struct MarketNumberError: CofferError, Equatable {
    public let code: String
    public let category: ErrorCategory
    public let description: String

    init(code: String, category: ErrorCategory, _ description: String) {
        self.code = code
        self.category = category
        self.description = description
    }

    /// Malformed input; the message names the field and what is wrong.
    static func invalidPrice(_ description: String) -> MarketNumberError {
        MarketNumberError(code: "invalid-price", category: .invalidInput, description)
    }

    /// An exact result that does not fit.
    static func overflow(_ description: String) -> MarketNumberError {
        MarketNumberError(code: "arithmetic-overflow", category: .rejected, description)
    }
}
