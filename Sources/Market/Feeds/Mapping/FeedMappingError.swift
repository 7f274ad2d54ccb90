import CofferBase
/// Everything that can go wrong while building a ``FeedMapping`` or applying it to a body.
///
/// Every case names where the problem is (a mapping field, a byte offset, an item index and field)
/// so that an operator can fix a configuration or an exchange adapter from the log line alone.
/// Applying a mapping either returns observations that are exactly right or throws one of these:
/// it never guesses a price.
public enum FeedMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The mapping itself is invalid. `field` is the dotted name of the offending configuration
    /// field, e.g. `"price"`, `"pair.map.XBTUSD"` or `"time.format"`.
    case invalidMapping(field: String, reason: String)
    /// The body is larger than the mapping's `max_body_bytes`; it was not parsed.
    case bodyTooLarge(bytes: Int, limit: Int)
    /// The body is not valid JSON (RFC 8259, UTF-8). `offset` is the byte offset of the problem.
    /// Not JSON (the parser's reason, with where); nesting deeper than the parser's limit is this too.
    case malformedJSON(reason: String)
    /// The `items` path does not lead to an array or object in this body.
    case itemsNotFound(path: String)
    /// Item number `item` (0-based, in item order) has nothing (or `null`) at the path configured for `field`.
    case missingField(item: Int, field: String, path: String)
    /// Item number `item` has a value for `field` that cannot be used (wrong type, negative,
    /// not a decimal, unknown symbol, bad timestamp, …).
    case invalidField(item: Int, field: String, reason: String)

    public var description: String {
        switch self {
        case let .invalidMapping(field, reason):
            return field.isEmpty ? "invalid feed mapping: \(reason)" : "invalid feed mapping: \(field): \(reason)"
        case let .bodyTooLarge(bytes, limit):
            return "body of \(bytes) bytes exceeds the limit of \(limit) bytes"
        case let .malformedJSON(reason):
            return "malformed JSON: \(reason)"
        case let .itemsNotFound(path):
            return "items path '\(path)' not found in the body"
        case let .missingField(item, field, path):
            return "item \(item): \(field): missing at path '\(path)'"
        case let .invalidField(item, field, reason):
            return "item \(item): \(field): \(reason)"
        }
    }
}
