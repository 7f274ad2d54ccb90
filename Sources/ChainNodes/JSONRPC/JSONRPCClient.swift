import AsyncHTTPClient
public import CofferBase
public import Chains
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// A JSON-RPC client over HTTP POST, as Bitcoin Core (1.0 style) and Ethereum nodes (2.0) speak it.
///
/// Every call has a timeout; transport failures, HTTP 5xx without an RPC error, unreadable answers
/// and "node is warming up" are retried per `RetryPolicy` and then surface as a retryable
/// `NodeError`. An RPC error the node returns on purpose is not retried: it is `NodeError.refused`
/// with the node's code and message. Credentials are read from their file per request and never
/// appear in an error or a log line; neither does the URL's user information.
public final class JSONRPCClient: Sendable {
    public enum Dialect: Sendable { case bitcoin, ethereum }

    public let url: String
    public let dialect: Dialect
    public let credentials: NodeCredentials
    public let timeout: Duration
    public let retry: RetryPolicy
    /// The URL without user information, for messages.
    public let displayURL: String
    private let http: HTTPClient

    /// Uses `sharedHTTPClient` unless another client is given.
    public init(url: String, dialect: Dialect, credentials: NodeCredentials = .none, timeout: Duration = .seconds(30),
                retry: RetryPolicy = RetryPolicy(), httpClient: HTTPClient? = nil) throws(NodeError) {
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = parsed.host, !host.isEmpty else {
            throw NodeError(.invalidInput, "invalid-rpc-url", "the RPC URL must be http://host:port[/path] or https://...")
        }
        guard parsed.user == nil, parsed.password == nil else {
            throw NodeError(.invalidInput, "invalid-rpc-url", "the RPC URL must not carry credentials; give a cookie or password file instead")
        }
        self.url = url
        self.displayURL = "\(scheme)://\(host)\(parsed.port.map { ":\($0)" } ?? "")\(parsed.path)"
        self.dialect = dialect
        self.credentials = credentials
        self.timeout = timeout
        self.retry = retry
        self.http = httpClient ?? Self.sharedHTTPClient
    }

    /// The process-wide HTTP client of every node client (and of webhook delivery, whose
    /// receivers want the same settings): one connection pool per host, kept alive
    /// between calls. Unlike `HTTPClient.shared` (a browser's settings), it reports a refused
    /// connection at once instead of retrying it inside until the deadline, so a node that is down
    /// is known after one connect attempt and the retries are `RetryPolicy`'s; and it follows no
    /// redirect, which could carry the credentials elsewhere.
    public static let sharedHTTPClient: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow,
            timeout: .init(connect: .seconds(10)),
            connectionPool: .init(idleTimeout: .seconds(60)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(
            eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration,
            backgroundActivityLogger: Logger(label: "coffer.chain-nodes", factory: { _ in SwiftLogNoOpLogHandler() }))
    }()

    /// Calls `method` with positional `params` and returns its `result` (which may be `null`).
    public func call(_ method: String, _ params: [JSONValue] = []) async throws(NodeError) -> JSONValue {
        var attempt = 1
        while true {
            do throws(NodeError) {
                return try await callOnce(method, params)
            } catch {
                guard error.isRetryable, attempt < retry.attempts else { throw error }
                try? await Task.sleep(for: retry.delay(beforeRetry: attempt))
                if Task.isCancelled { throw NodeError.unreachable("\(method) on \(displayURL) was cancelled") }
                attempt += 1
            }
        }
    }

    /// Several calls in one HTTP request (a JSON-RPC batch); results in the order of `calls`.
    /// A call the node refuses fails the whole batch with that call's error.
    public func batch(_ calls: [(method: String, params: [JSONValue])]) async throws(NodeError) -> [JSONValue] {
        var values: [JSONValue] = []
        values.reserveCapacity(calls.count)
        for result in try await batchResults(calls) {
            values.append(try result.get())
        }
        return values
    }

    /// Several calls in one HTTP request, each with its own outcome: the node's result, or its
    /// refusal (`node-refused`, e.g. a transaction that left the mempool between two calls).
    /// Only a failure of the request as a whole (transport, credentials, an unreadable answer)
    /// throws, after the retries.
    public func batchResults(_ calls: [(method: String, params: [JSONValue])]) async throws(NodeError) -> [Result<JSONValue, NodeError>] {
        guard !calls.isEmpty else { return [] }
        var attempt = 1
        while true {
            do throws(NodeError) {
                return try await batchOnce(calls)
            } catch {
                guard error.isRetryable, attempt < retry.attempts else { throw error }
                try? await Task.sleep(for: retry.delay(beforeRetry: attempt))
                if Task.isCancelled { throw NodeError.unreachable("a batch on \(displayURL) was cancelled") }
                attempt += 1
            }
        }
    }

    private func envelope(_ method: String, _ params: [JSONValue], id: Int) -> JSONValue {
        var members: [(key: String, value: JSONValue)] = []
        members.append(("jsonrpc", .string(dialect == .ethereum ? "2.0" : "1.0")))
        members.append(("id", .integer(id)))
        members.append(("method", .string(method)))
        members.append(("params", .array(params)))
        return .object(members)
    }

    private func callOnce(_ method: String, _ params: [JSONValue]) async throws(NodeError) -> JSONValue {
        let answer = try await post(envelope(method, params, id: 1).bytes, what: method)
        return try result(of: answer, method: method)
    }

    private func batchOnce(_ calls: [(method: String, params: [JSONValue])]) async throws(NodeError) -> [Result<JSONValue, NodeError>] {
        let body = JSONValue.array(calls.enumerated().map { envelope($0.element.method, $0.element.params, id: $0.offset) })
        let answer = try await post(body.bytes, what: "a batch of \(calls.count) calls")
        guard case .array(let items) = answer, items.count == calls.count else {
            // A node refuses a malformed batch as a whole with one error object.
            if case .object = answer, let error = answer["error"], error != .null {
                throw rpcError(error, method: "a batch of \(calls.count) calls")
            }
            throw NodeError.garbage("\(displayURL) answered a batch of \(calls.count) calls with something else")
        }
        var results = [Result<JSONValue, NodeError>?](repeating: nil, count: calls.count)
        for item in items {
            guard case .number(let literal)? = item["id"], let id = Int(literal), results.indices.contains(id), results[id] == nil else {
                throw NodeError.garbage("\(displayURL) answered a batch with an unknown or repeated id")
            }
            do throws(NodeError) {
                results[id] = .success(try result(of: item, method: calls[id].method))
            } catch where !error.isRetryable {
                results[id] = .failure(error)
            }
        }
        return results.map { $0! }
    }

    private func result(of answer: JSONValue, method: String) throws(NodeError) -> JSONValue {
        guard case .object = answer else { throw NodeError.garbage("\(method) on \(displayURL): the answer is \(answer.kindName), not an object") }
        if let error = answer["error"], error != .null { throw rpcError(error, method: method) }
        guard let value = answer["result"] else { throw NodeError.garbage("\(method) on \(displayURL): the answer has neither result nor error") }
        return value
    }

    /// The error a node returned on purpose: refused, with its RPC code in `rpc_code`.
    private func rpcError(_ error: JSONValue, method: String) -> NodeError {
        let code = error["code"].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } }
        let message = error["message"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? error.text
        // -28: Bitcoin Core is still loading (RPC_IN_WARMUP); try again later.
        if code == -28 { return NodeError.unreachable("\(method) on \(displayURL): the node is starting (\(message))") }
        return NodeError(.rejected, "node-refused", "\(method) on \(displayURL) failed: \(message)\(code.map { " (code \($0))" } ?? "")",
                         members: code.map { ["rpc_code": .integer($0)] } ?? [:])
    }

    private func post(_ body: [UInt8], what: String) async throws(NodeError) -> JSONValue {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        if let authorization = try credentials.authorizationHeader() {
            request.headers.add(name: "Authorization", value: authorization)
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        let bytes: ByteBuffer
        do {
            // The deadline covers the whole exchange, the body's last byte included.
            response = try await http.execute(request, timeout: .init(timeout))
            bytes = try await response.body.collect(upTo: Self.maximumAnswerSize)
        } catch {
            throw NodeError.unreachable("\(what) on \(displayURL): \(Self.describe(error))")
        }
        let status = response.status.code
        if status == 401 || status == 403 {
            throw NodeError(.unavailable, "node-unauthorized",
                            "\(displayURL) refused the credentials (HTTP \(status)); check the cookie or password file")
        }
        // Bitcoin Core answers RPC errors with a JSON body under HTTP 500 (404 for an unknown
        // method, 400 for a malformed request): read it whatever the status.
        let answer = bytes.readableBytes > 0 ? bytes.readableBytesView.withContiguousStorageIfAvailable { try? Self.parseAnswer($0) } ?? nil : nil
        if let answer, status == 200 || Self.carriesError(answer) { return answer }
        switch status {
        case 200:
            throw NodeError.garbage("\(what) on \(displayURL): the answer is not JSON (\(bytes.readableBytes) bytes)")
        case 408, 429, 500...599:
            throw NodeError.unreachable("\(what) on \(displayURL): HTTP \(status)")
        default:
            throw NodeError.garbage("\(what) on \(displayURL): HTTP \(status) without a JSON-RPC answer; is this the node's RPC URL?")
        }
    }

    /// Parses an answer. A large string result without escapes — a raw block or transaction in
    /// hex, as Bitcoin Core writes it first: `{"result":"0100…","error":null,"id":1}` — is cut
    /// out of the bytes directly and only the envelope around it goes through the JSON parser;
    /// the value is the same as the parser's, in a fraction of the time (this is the sync path).
    static func parseAnswer(_ bytes: UnsafeBufferPointer<UInt8>) throws(JSONError) -> JSONValue {
        let prefix = Array(#"{"result":""#.utf8)
        guard bytes.count > 65_536, bytes.starts(with: prefix) else { return try JSONValue(parsing: bytes) }
        var end = prefix.count
        // Printable ASCII other than quote and backslash needs no unescaping or UTF-8 validation.
        while end < bytes.count, bytes[end] >= 0x20, bytes[end] < 0x7F, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\") {
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\"") else { return try JSONValue(parsing: bytes) }
        let envelope = try JSONValue(parsing: prefix + bytes[end...])
        guard case .object(var members) = envelope, members.first?.key == "result" else { return try JSONValue(parsing: bytes) }
        members[0].value = .string(String(decoding: UnsafeBufferPointer(rebasing: bytes[prefix.count..<end]), as: UTF8.self))
        return .object(members)
    }

    /// The largest answer read: a raw block of 4 MB weight is at most 8 MB of hex; a batch of raw
    /// mempool transactions stays far below.
    static let maximumAnswerSize = 256 * 1024 * 1024

    /// Whether a non-200 answer is a JSON-RPC error object (or a batch of answers).
    private static func carriesError(_ answer: JSONValue) -> Bool {
        switch answer {
        case .array: true
        case .object: answer["error"].map { $0 != .null } ?? false
        default: false
        }
    }

    private static func describe(_ error: any Error) -> String {
        if let client = error as? HTTPClientError {
            if client == .deadlineExceeded || client == .readTimeout || client == .connectTimeout { return "timed out" }
            return "\(client)"
        }
        return String(describing: error)
    }
}

extension JSONRPCClient.Dialect: Equatable {}
