/// Where the next page of a listing starts: the keyset position of the last row returned (a
/// commit timestamp, a row sequence number) and, where positions can repeat, the row's id as a
/// tie-break. Every listing in Coffer pages this way, so a page never rescans what came before
/// (no OFFSET) and rows added meanwhile are neither skipped nor repeated.
///
/// Its text form, `<position>` or `<position>.<key>`, is what `next_cursor` carries; clients pass
/// it back unchanged.
public struct PageCursor: Sendable, Hashable, CustomStringConvertible {
    public let position: UInt64
    /// The tie-break id; empty when positions are unique.
    public let key: String

    public init(position: UInt64, key: String = "") {
        self.position = position
        self.key = key
    }

    public var text: String { key.isEmpty ? String(position) : "\(position).\(key)" }
    public var description: String { text }

    /// Parses the text form; a cursor Coffer did not print is refused.
    public init(parsing text: String) throws(PagingError) {
        let invalid = PagingError("cursor \"\(text.prefix(80))\" is not one Coffer printed; pass the next_cursor value unchanged")
        let digits = text.utf8.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        guard !digits.isEmpty, let position = UInt64(String(decoding: digits, as: UTF8.self)) else { throw invalid }
        let rest = text.utf8.dropFirst(digits.count)
        var key = ""
        if let dot = rest.first {
            guard dot == UInt8(ascii: "."), rest.count > 1, rest.count <= 256,
                  rest.dropFirst().allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else { throw invalid }
            key = String(decoding: rest.dropFirst(), as: UTF8.self)
        }
        self.init(position: position, key: key)
    }
}

extension PageCursor: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        try self.init(parsing: text)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

/// Which page to read: how many rows at most and after which cursor.
public struct PageRequest: Sendable, Equatable {
    public static let defaultLimit = 100

    public let limit: Int
    public let after: PageCursor?

    public init(limit: Int = PageRequest.defaultLimit, after: PageCursor? = nil) {
        self.limit = limit
        self.after = after
    }

    /// A page request from a caller's text, checking `limit` is 1...`maximum`.
    public init(limit: Int?, cursor: String?, maximum: Int) throws(PagingError) {
        let limit = limit ?? min(Self.defaultLimit, maximum)
        guard (1...maximum).contains(limit) else { throw PagingError("limit must be a whole number from 1 to \(maximum)") }
        self.init(limit: limit, after: try cursor.map { text throws(PagingError) in try PageCursor(parsing: text) })
    }
}

/// One page of a listing and where the next one starts (nil: nothing more). On the wire:
/// `{"data":[...],"next_cursor":"..."|null}`.
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var nextCursor: PageCursor?

    public init(items: [Item], nextCursor: PageCursor?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The same page with each item transformed.
    public func map<Other: Sendable>(_ transform: (Item) throws -> Other) rethrows -> Page<Other> {
        Page<Other>(items: try items.map(transform), nextCursor: nextCursor)
    }

    /// A page of at most `limit` rows from `rows`, which the caller read with `LIMIT limit + 1`:
    /// the extra row only says that more remain, so the last page never leads to an empty one.
    public static func keyset(_ rows: [Item], limit: Int, cursor: (Item) -> PageCursor) -> Page {
        let kept = Array(rows.prefix(limit))
        return Page(items: kept, nextCursor: rows.count > limit ? kept.last.map(cursor) : nil)
    }
}

extension Page: Equatable where Item: Equatable {}

/// The member names of `Page` on the wire.
private enum PageKeys: String, CodingKey {
    case items = "data", nextCursor = "next_cursor"
}

extension Page: Encodable where Item: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: PageKeys.self)
        try container.encode(items, forKey: .items)
        try container.encodeIfPresent(nextCursor, forKey: .nextCursor)
    }
}

extension Page: Decodable where Item: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: PageKeys.self)
        self.init(items: try container.decode([Item].self, forKey: .items),
                  nextCursor: try container.decodeIfPresent(PageCursor.self, forKey: .nextCursor))
    }
}

/// A limit or cursor that cannot be used.
public struct PagingError: CofferError, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
    public var code: String { "invalid-request" }
    public var category: ErrorCategory { .invalidInput }
}
