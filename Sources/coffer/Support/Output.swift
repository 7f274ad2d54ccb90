import CofferBase

/// What commands print: each answer as one compact JSON line, written by the same encoder as the
/// HTTP API's responses, so both doors give the same answer for the same operation.
enum Output {
    static func print<T: Encodable>(_ value: T) throws {
        try Terminal.write(try JSONEncoding.encode(value) + [UInt8(ascii: "\n")], to: 1)
    }

    /// A listing: one line per item, then `{"next_cursor":"..."}` when more remain.
    static func print<T: Encodable>(page: Page<T>) throws {
        for item in page.items { try print(item) }
        if let next = page.nextCursor { try print(NextCursor(nextCursor: next)) }
    }

    struct NextCursor: Encodable {
        let nextCursor: PageCursor
        enum CodingKeys: String, CodingKey { case nextCursor = "next_cursor" }
    }
}
