import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// A TCP listener on 127.0.0.1 that answers every request with canned bytes and closes the
/// connection: a stand-in for a node that answers garbage (HTTP 200 with a body that is not
/// JSON-RPC), so clients can be shown to fail cleanly, or for a webhook receiver whose answers
/// the test scripts. It keeps every request it read (`requests`). `stop()` it when done.
public final class CannedHTTPServer: @unchecked Sendable {
    public let port: Int
    public var url: String { "http://127.0.0.1:\(port)/" }
    private let listener: Int32
    private let response: @Sendable (Int) -> [UInt8]
    private let done = DispatchSemaphore(value: 0)
    private let stopped = Mutex(false)
    private let log = Mutex<[[UInt8]]>([])

    /// Every request read so far (head and body), in order.
    public var requests: [[UInt8]] { log.withLock { $0 } }

    /// Answers `HTTP/1.1 <status>` with `body` (Content-Type `contentType`) to every request.
    public convenience init(status: Int = 200, contentType: String = "text/plain", body: String) throws {
        try self.init { _ in (status, body) }
    }

    /// Answers the n-th request (from 0) with the status and plain-text body `answer` gives.
    public convenience init(answer: @escaping @Sendable (Int) -> (status: Int, body: String), contentType: String = "text/plain") throws {
        try self.init(rawResponses: { index in
            let (status, body) = answer(index)
            let head = "HTTP/1.1 \(status) Canned\r\nContent-Type: \(contentType)\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n"
            return Array(head.utf8) + Array(body.utf8)
        })
    }

    /// Writes `rawResponse` as it is (it may be no valid HTTP at all) to every connection.
    public convenience init(rawResponse: [UInt8]) throws {
        try self.init(rawResponses: { _ in rawResponse })
    }

    private init(rawResponses: @escaping @Sendable (Int) -> [UInt8]) throws {
        response = rawResponses
        (listener, port) = try boundLoopbackSocket(listening: 16)
        Thread { [self] in serve() }.start()
    }

    private func serve() {
        defer { done.signal() }
        while true {
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else {
                if errno == EINTR { continue }
                return  // shut down
            }
            let request = readRequest(connection)
            let index = log.withLock { requests in
                requests.append(request)
                return requests.count - 1
            }
            response(index).withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = send(connection, bytes.baseAddress! + offset, bytes.count - offset, Int32(MSG_NOSIGNAL))
                    if written <= 0 { break }
                    offset += written
                }
            }
            shutdown(connection, Int32(SHUT_RDWR))
            close(connection)
        }
    }

    /// Reads the request head and as much body as Content-Length announces (so the client is not
    /// reset while still sending).
    private func readRequest(_ connection: Int32) -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(connection, $0.baseAddress!, $0.count, 0) }
            if count <= 0 { return received }
            received += buffer[0..<count]
            let separator = Array("\r\n\r\n".utf8)
            guard let headEnd = received.indices.dropLast(3).first(where: { received[$0..<$0 + 4].elementsEqual(separator) }).map({ $0 + 4 }) else {
                continue
            }
            let head = String(decoding: received[..<headEnd], as: UTF8.self).lowercased()
            let announced = head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            if headEnd + announced <= received.count { return received }
        }
    }

    /// Stops listening and waits for the serving thread to end. Safe to call more than once.
    public func stop() {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        done.wait()
    }
}
