import Foundation

/// A one-line progress bar on stderr, redrawn at most ten times a second.
struct ProgressBar {
    let total: UInt32
    let label: String
    private let started = DispatchTime.now()
    private var lastDraw: UInt64 = 0

    init(total: UInt32, label: String) {
        self.total = total
        self.label = label
    }

    mutating func update(_ done: UInt32) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard now - lastDraw >= 100_000_000 || done == total else { return }
        lastDraw = now
        draw(done, now: now)
    }

    func finish() {
        Terminal.writeError("\n")
    }

    private func draw(_ done: UInt32, now: UInt64) {
        let width = 30
        let filled = total == 0 ? width : Int(UInt64(done) * UInt64(width) / UInt64(total))
        let elapsedNanos = max(1, now - started.uptimeNanoseconds)
        let rate = UInt64(done) * 1_000_000_000 / elapsedNanos
        let percent = total == 0 ? 100 : UInt64(done) * 100 / UInt64(total)
        let bar = String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled)
        Terminal.writeError("\r\(label) [\(bar)] \(percent)% \(done)/\(total) \(rate)/s")
    }
}

/// Collects output into large writes: one system call per ~256 KiB instead of per record.
final class BufferedOutput {
    private let descriptor: Int32
    private var buffer: [UInt8] = []
    private let threshold = 256 * 1024

    init(descriptor: Int32) {
        self.descriptor = descriptor
        buffer.reserveCapacity(threshold * 2)
    }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= threshold { try flush() }
    }

    func flush() throws {
        guard !buffer.isEmpty else { return }
        try Terminal.write(buffer, to: descriptor)
        buffer.removeAll(keepingCapacity: true)
    }
}
