import Foundation

/// Writing to the terminal: stdout for results, stderr for diagnostics and progress.
enum Terminal {
    static var stderrIsTerminal: Bool { isatty(STDERR_FILENO) == 1 }
    static var stdinIsTerminal: Bool { isatty(STDIN_FILENO) == 1 }

    /// Prints one diagnostic line and exits with `status`.
    static func fail(_ message: String, hint: String?, status: Int32) -> Never {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        var text = "coffer: error: \(line)"
        if let hint { text += " (\(hint))" }
        writeError(text + "\n")
        exit(status)
    }

    static func writeError(_ text: String) {
        try? write(Array(text.utf8), to: STDERR_FILENO)
    }

    static func print(_ text: String) throws {
        try write(Array((text + "\n").utf8), to: STDOUT_FILENO)
    }

    /// Writes all of `bytes`, retrying on short writes and EINTR.
    static func write(_ bytes: [UInt8], to descriptor: Int32) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw CLIError("cannot write output: \(String(cString: strerror(errno)))")
                }
                offset += written
            }
        }
    }
}

/// A failure the CLI reports as one line with exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Wrong or conflicting options: reported as one line with exit status 2.
struct UsageError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
