/// A FIFO queue with O(1) amortized push/pop at both ends used by the sliding windows; storage is
/// compacted as the front advances, so it holds only live elements (plus slack).
struct WindowQueue<Element: Sendable>: Sendable {
    private var storage: [Element] = []
    private var head = 0

    var isEmpty: Bool { head == storage.count }
    var count: Int { storage.count - head }
    var first: Element? { isEmpty ? nil : storage[head] }
    var last: Element? { isEmpty ? nil : storage[storage.count - 1] }

    mutating func append(_ element: Element) { storage.append(element) }

    mutating func removeLast() { storage.removeLast() }

    @discardableResult
    mutating func removeFirst() -> Element {
        let element = storage[head]
        head += 1
        if head == storage.count {
            storage.removeAll(keepingCapacity: storage.count <= 64)
            head = 0
        } else if head >= 32 && head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
        return element
    }
}

/// The window `(now − window, now]` starts after this cutoff: entries at or before it are out.
/// Saturates instead of overflowing.
func windowCutoff(_ now: Int64, _ window: Int64) -> Int64 {
    let (cutoff, overflow) = now.subtractingReportingOverflow(window)
    return overflow ? Int64.min : cutoff
}

/// `a − b` clamped to `Int64`'s range.
func saturatingMinus(_ a: Int64, _ b: Int64) -> Int64 {
    let (value, overflow) = a.subtractingReportingOverflow(b)
    if !overflow { return value }
    return b < 0 ? Int64.max : Int64.min
}

/// A price at a time.
struct TimedPrice: Sendable, Hashable {
    var price: UInt128
    var time: Int64
}

/// Sliding-window minimum and maximum (monotonic queues): `minimum` is the lowest price in the
/// window (the latest such), `maximum` the highest. Memory is at most the ticks in the window.
struct SlidingExtremes: Sendable {
    /// Prices strictly increasing front to back; the front is the window minimum.
    private var lows = WindowQueue<TimedPrice>()
    /// Prices strictly decreasing front to back; the front is the window maximum.
    private var highs = WindowQueue<TimedPrice>()

    var isEmpty: Bool { lows.isEmpty }
    var entries: Int { lows.count + highs.count }
    var minimum: TimedPrice? { lows.first }
    var maximum: TimedPrice? { highs.first }

    /// Drops entries at or before `cutoff`.
    mutating func prune(after cutoff: Int64) {
        while let front = lows.first, front.time <= cutoff { lows.removeFirst() }
        while let front = highs.first, front.time <= cutoff { highs.removeFirst() }
    }

    /// Adds a price; times must not decrease (the engine clock guarantees it).
    mutating func push(_ point: TimedPrice) {
        while let back = lows.last, back.price >= point.price { lows.removeLast() }
        lows.append(point)
        while let back = highs.last, back.price <= point.price { highs.removeLast() }
        highs.append(point)
    }
}

/// One account's transfers in a rolling window, with a running count and exact total.
struct TransferWindow: Sendable {
    private var entries = WindowQueue<(time: Int64, amount: UInt128)>()
    private(set) var total = Wide256.zero

    var count: Int { entries.count }
    var isEmpty: Bool { entries.isEmpty }
    var oldest: Int64? { entries.first?.time }

    mutating func prune(after cutoff: Int64) {
        while let front = entries.first, front.time <= cutoff {
            entries.removeFirst()
            total = total - Wide256(front.amount)
        }
    }

    mutating func add(_ amount: UInt128, at time: Int64) {
        entries.append((time, amount))
        total = total + Wide256(amount)
    }
}
