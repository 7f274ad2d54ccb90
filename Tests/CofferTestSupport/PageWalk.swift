import CofferBase

/// Every page of a keyset listing, fetched from the first page until no cursor remains (at most
/// 1,000 pages), with what each page looked like so a test can check the paging rules.
public struct PageWalk<Item: Sendable> {
    public private(set) var items: [Item] = []
    /// Each page's size and whether it carried a cursor, in order.
    public private(set) var pages: [(count: Int, hasCursor: Bool)] = []

    /// Walks `fetch` with page size `limit`.
    public init(limit: Int, _ fetch: (PageCursor?) async throws -> Page<Item>) async throws {
        var cursor: PageCursor?
        self.limit = limit
        repeat {
            let page = try await fetch(cursor)
            items += page.items
            pages.append((page.items.count, page.nextCursor != nil))
            cursor = page.nextCursor
        } while cursor != nil && pages.count < 1_000
    }

    public let limit: Int

    /// No page exceeds the limit, and only full pages lead on (never to an empty page).
    public var isWellFormed: Bool {
        pages.allSatisfy { $0.count <= limit && (!$0.hasCursor || $0.count == limit) }
            && !pages.dropFirst().contains { $0.count == 0 }
    }
}
