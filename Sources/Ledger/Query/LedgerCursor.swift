/// A keyset-pagination position: the (commit timestamp, id) of the last row returned. Its text
/// form is opaque to clients; a page resumes strictly after it, so no OFFSET scan is needed.
public struct LedgerCursor: Sendable, Equatable {
    public let timestamp: UInt64
    public let id: String

    public init(timestamp: UInt64, id: String) {
        self.timestamp = timestamp
        self.id = id
    }

    /// `<timestamp>.<id>`, e.g. `1700000000000000001.t1`.
    public var text: String { "\(timestamp).\(id)" }

    /// Parses the text form; a cursor not produced by the ledger is refused.
    public init(parsing text: String) throws(LedgerError) {
        let invalid = LedgerError("cursor \"\(text.prefix(80))\" is not one printed by the ledger; pass the next_cursor value unchanged")
        guard let dot = text.firstIndex(of: "."), let timestamp = UInt64(text[..<dot]),
              text[..<dot].utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              LedgerID(String(text[text.index(after: dot)...])) != nil
        else { throw invalid }
        self.init(timestamp: timestamp, id: String(text[text.index(after: dot)...]))
    }
}

/// One page of a query: the rows, and the cursor to pass for the next page (nil when no more remain).
public struct LedgerPage<Row: Sendable & Equatable>: Sendable, Equatable {
    public let rows: [Row]
    public let nextCursor: LedgerCursor?

    public init(rows: [Row], nextCursor: LedgerCursor?) {
        self.rows = rows
        self.nextCursor = nextCursor
    }
}
