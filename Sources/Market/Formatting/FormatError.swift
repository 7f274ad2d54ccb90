/// Error thrown by ``MoneyFormatter`` for unknown locales, malformed amounts and bad currency codes.
public struct FormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
