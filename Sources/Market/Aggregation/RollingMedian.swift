/// Median of the samples recorded within a trailing window: those with
/// `time > t − window` and `time <= t` (the latest sample is never after `t`, see below). The
/// lower median (element `(n − 1) / 2` of the sorted samples), so always one of the recorded
/// prices; nil when the window holds no sample.
///
/// Samples must come in time order; one older than the latest is ignored. `value(at:)` answers
/// nil for a `t` earlier than the latest sample.
///
/// Kept as a sorted array of prices plus a time-ordered queue; `record` drops samples that fell
/// out of the window (`time <= latest − window`), `value` at a later time leaves out the ones
/// that expired since without changing the state.
public struct RollingMedian: Sendable {
    public let window: Int64
    private var sorted: [UInt128] = []
    private var queue: [(price: UInt128, time: Int64)] = []
    private var head = 0

    public init(window: Int64) {
        self.window = window
    }

    public mutating func record(_ price: UInt128, at time: Int64) {
        if let last = queue.last, time < last.time { return }
        queue.append((price, time))
        sorted.insert(price, at: Self.lowerBound(of: price, in: sorted))
        let cutoff = FixedPoint.minus(time, window)
        while head < queue.count, queue[head].time <= cutoff {
            sorted.remove(at: Self.lowerBound(of: queue[head].price, in: sorted))
            head += 1
        }
        if head > 32, head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }

    public func value(at time: Int64) -> UInt128? {
        guard let last = queue.last, time >= last.time else { return nil }
        let cutoff = FixedPoint.minus(time, window)
        var expired: [UInt128] = []
        var index = head
        while index < queue.count, queue[index].time <= cutoff {
            expired.append(queue[index].price)
            index += 1
        }
        guard !expired.isEmpty else {
            return sorted.isEmpty ? nil : sorted[(sorted.count - 1) / 2]
        }
        var remaining = sorted
        for price in expired {
            remaining.remove(at: Self.lowerBound(of: price, in: remaining))
        }
        return remaining.isEmpty ? nil : remaining[(remaining.count - 1) / 2]
    }

    private static func lowerBound(of price: UInt128, in values: [UInt128]) -> Int {
        var low = 0
        var high = values.count
        while low < high {
            let middle = (low + high) / 2
            if values[middle] < price { low = middle + 1 } else { high = middle }
        }
        return low
    }
}
