public import CofferBase

/// Why a policy, a signing request or an approval was refused: a stable code, a category and a
/// message that names the field or rule at fault.
public struct PolicyError: CofferError, Equatable {
    public let code: String
    public let category: ErrorCategory
    public let description: String

    /// A malformed policy or request (the default): the message says what is wrong.
    public init(_ description: String) {
        self.init(.invalidInput, "invalid-request", description)
    }

    public init(_ category: ErrorCategory, _ code: String, _ description: String) {
        self.category = category
        self.code = code
        self.description = description
    }
}
