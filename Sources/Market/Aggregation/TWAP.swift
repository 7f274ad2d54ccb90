/// Time-weighted average price over a trailing window.
///
/// Model: each recorded price holds from its time until the next record (the latest one until
/// the query time). `value(at: t)` integrates that step function over
/// `[max(t − window, first record time), t]` and divides by the length of that interval,
/// rounding half-even. Time before the first record does not count (no invented price). When
/// the interval is empty (window ≤ 0, or `t` equals the only record time) the value is the price
/// in effect at `t`.
///
/// Records must come in time order: a record at the same time as the latest replaces its
/// price; a record older than the latest is ignored. `value(at:)` answers nil before any
/// record and for a `t` earlier than the latest record.
///
/// Incremental: closed segments sit in a queue with a running 256-bit sum of
/// `price × seconds`; `record` is O(1) amortised (segments that ended before
/// `latest − window` are dropped); `value` clips only segments that expired since the latest
/// record.
public struct TWAP: Sendable {
    public let window: Int64

    private struct Segment: Sendable {
        var price: UInt128
        var start: Int64
        var end: Int64
    }

    private var segments: [Segment] = []
    private var head = 0
    /// Sum of `price × (end − start)` over `segments[head...]`.
    private var closedSum = Wide256.zero
    private var latest: (price: UInt128, time: Int64)?

    public init(window: Int64) {
        self.window = window
    }

    public mutating func record(price: UInt128, at time: Int64) {
        guard let current = latest else {
            latest = (price, time)
            return
        }
        guard time >= current.time else { return }
        guard time > current.time else {
            latest = (price, time)
            return
        }
        segments.append(Segment(price: current.price, start: current.time, end: time))
        closedSum += Wide256(current.price, times: FixedPoint.span(from: current.time, to: time))
        latest = (price, time)
        let cutoff = FixedPoint.minus(time, window)
        while head < segments.count, segments[head].end <= cutoff {
            let old = segments[head]
            closedSum -= Wide256(old.price, times: FixedPoint.span(from: old.start, to: old.end))
            head += 1
        }
        if head > 32, head * 2 > segments.count {
            segments.removeFirst(head)
            head = 0
        }
    }

    public func value(at time: Int64) -> UInt128? {
        guard let current = latest, time >= current.time else { return nil }
        let cutoff = FixedPoint.minus(time, window)
        // The whole window lies within the latest price's run.
        if current.time <= cutoff || window <= 0 { return current.price }
        var sum = closedSum + Wide256(current.price, times: FixedPoint.span(from: current.time, to: time))
        var start = head < segments.count ? segments[head].start : current.time
        var index = head
        while index < segments.count, segments[index].start < cutoff {
            let segment = segments[index]
            if segment.end <= cutoff {
                sum -= Wide256(segment.price, times: FixedPoint.span(from: segment.start, to: segment.end))
                start = segment.end
            } else {
                sum -= Wide256(segment.price, times: FixedPoint.span(from: segment.start, to: cutoff))
                start = cutoff
            }
            index += 1
        }
        guard time > start else { return current.price }
        return sum.dividedHalfEven(by: FixedPoint.span(from: start, to: time)) ?? current.price
    }
}
