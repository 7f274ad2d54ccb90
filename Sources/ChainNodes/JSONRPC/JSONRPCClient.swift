import AsyncHTTPClient
public import CofferBase
public import Chains
import Foundation
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

    /// Uses the process-wide shared HTTP client unless one is given.
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
        self.http = httpClient ?? HTTPClient.shared
    }

    /// Calls `method` with positional `params` and returns its `result` (which may be `null`).
    public func call(_ method: String, _ params: [JSONValue] = []) async throws(NodeError) -> JSONValue {
        var attempt = 1
        while true {
            do {
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
        guard !calls.isEmpty else { return [] }
        var attempt = 1
        while true {
            do {
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

    private func batchOnce(_ calls: [(method: String, params: [JSONValue])]) async throws(NodeError) -> [JSONValue] {
        let body = JSONValue.array(calls.enumerated().map { envelope($0.element.method, $0.element.params, id: $0.offset) })
        let answer = try await post(body.bytes, what: "a batch of \(calls.count) calls")
        guard case .array(let items) = answer, items.count == calls.count else {
            throw NodeError.garbage("\(displayURL) answered a batch of \(calls.count) calls with something else")
        }
        var results = [JSONValue?](repeating: nil, count: calls.count)
        for item in items {
            guard case .number(let literal)? = item["id"], let id = Int(literal), results.indices.contains(id), results[id] == nil else {
                throw NodeError.garbage("\(displayURL) answered a batch with an unknown or repeated id")
            }
            results[id] = try result(of: item, method: calls[id].method)
        }
        return results.map { $0! }
    }

    private func result(of answer: JSONValue, method: String) throws(NodeError) -> JSONValue {
        guard case .object = answer else { throw NodeError.garbage("\(method) on \(displayURL): the answer is \(answer.kindName), not an object") }
        if let error = answer["error"], error != .null {
            let code = error["code"].flatMap { if case .number(let n) = $0 { Int(n) } else { nil } }
            let message = error["message"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? error.text
            // -28: Bitcoin Core is still loading (RPC_IN_WARMUP); try again later.
            if code == -28 { throw NodeError.unreachable("\(method) on \(displayURL): the node is starting (\(message))") }
            throw NodeError(.rejected, "node-refused", "\(method) on \(displayURL) failed: \(message)\(code.map { " (code \($0))" } ?? "")",
                            members: code.map { ["rpc_code": .integer($0)] } ?? [:])
        }
        guard let value = answer["result"] else { throw NodeError.garbage("\(method) on \(displayURL): the answer has neither result nor error") }
        return value
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
            response = try await http.execute(request, timeout: .init(timeout))
            bytes = try await response.body.collect(upTo: 512 * 1024 * 1024)
        } catch {
            throw NodeError.unreachable("\(what) on \(displayURL): \(Self.describe(error))")
        }
        switch response.status.code {
        case 401, 403:
            throw NodeError(.unavailable, "node-unauthorized", "\(displayURL) refused the credentials (HTTP \(response.status.code)); check the cookie or password file")
        case 200:
            do { return try JSONValue(parsing: bytes.readableBytesView) } catch {
                throw NodeError.garbage("\(what) on \(displayURL): the answer is not JSON (\(error))")
            }
        case 500 where bytes.readableBytes > 0:
            // Bitcoin Core answers RPC errors with HTTP 500 and a JSON body; read it.
            guard let answer = try? JSONValue(parsing: bytes.readableBytesView) else {
                throw NodeError.unreachable("\(what) on \(displayURL): HTTP 500")
            }
            return answer
        default:
            throw NodeError.unreachable("\(what) on \(displayURL): HTTP \(response.status.code)")
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
