/// Why a JSON text was refused: what is wrong and at which byte offset.
public struct JSONError: CofferError, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }

    public var code: String { "invalid-request" }
    public var category: ErrorCategory { .invalidInput }
}

