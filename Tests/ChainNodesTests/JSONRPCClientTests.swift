import ChainNodes
import Chains
import CofferBase
import CofferTestSupport
import Foundation
import Testing

@Suite struct JSONRPCClientTests {
    static let quick = RetryPolicy(attempts: 2, initialDelay: .milliseconds(10), maximumDelay: .milliseconds(20))

    @Test func aURLWithCredentialsIsRefusedWithoutEchoingThem() {
        do {
            _ = try JSONRPCClient(url: "http://user:hunter2@127.0.0.1:9332/", dialect: .bitcoin)
            Issue.record("a URL with credentials was accepted")
        } catch {
            #expect(error.code == "invalid-rpc-url")
            #expect(!error.description.contains("hunter2"))
        }
    }

    @Test func aNodeThatIsNotListeningIsARetryableError() async throws {
        let client = try JSONRPCClient(url: "http://127.0.0.1:1/", dialect: .bitcoin, timeout: .seconds(2), retry: RetryPolicy(attempts: 2, initialDelay: .milliseconds(10)))
        do {
            _ = try await client.call("getblockcount")
            Issue.record("a call to a closed port succeeded")
        } catch {
            #expect(error.isRetryable)
            #expect(error.code == "node-unavailable")
        }
    }

    /// The error `call` (and a one-call batch) ends with against a server that always answers `body`.
    static func failure(status: Int = 200, contentType: String = "text/plain", body: String) async throws -> (call: NodeError?, batch: NodeError?) {
        let server = try CannedHTTPServer(status: status, contentType: contentType, body: body)
        defer { server.stop() }
        let client = try JSONRPCClient(url: server.url, dialect: .bitcoin, timeout: .seconds(5), retry: quick)
        var errors: (call: NodeError?, batch: NodeError?) = (nil, nil)
        do { _ = try await client.call("getblockcount") } catch { errors.call = error }
        do { _ = try await client.batch([("getblockcount", [])]) } catch { errors.batch = error }
        return errors
    }

    @Test func anAnswerThatIsNotJSONIsABadAnswer() async throws {
        let errors = try await Self.failure(body: "<html>hello, I am not a node</html>")
        #expect(errors.call?.code == "node-bad-answer" && errors.call?.isRetryable == true)
        #expect(errors.batch?.code == "node-bad-answer")
    }

    @Test func jsonOfTheWrongShapeIsABadAnswer() async throws {
        let notAnEnvelope = try await Self.failure(contentType: "application/json", body: #"[1, 2, 3]"#)
        #expect(notAnEnvelope.call?.code == "node-bad-answer")
        let noResult = try await Self.failure(contentType: "application/json", body: #"{"id": 1}"#)
        #expect(noResult.call?.code == "node-bad-answer")
        #expect(noResult.batch?.code == "node-bad-answer")
    }

    @Test func httpErrorsWithoutAnRPCErrorAreClassifiedByStatus() async throws {
        #expect(try await Self.failure(status: 503, body: "busy").call?.code == "node-unavailable")
        #expect(try await Self.failure(status: 500, body: "").call?.code == "node-unavailable")
        #expect(try await Self.failure(status: 404, body: "no such path").call?.code == "node-bad-answer")
        let refused = try await Self.failure(status: 401, body: "")
        #expect(refused.call?.code == "node-unauthorized" && refused.call?.isRetryable == true)
    }

    @Test func anRPCErrorUnderAnyStatusIsTheNodesRefusal() async throws {
        // Bitcoin Core: HTTP 404 for an unknown method, 500 for other errors, with a JSON body.
        for status in [404, 500] {
            let error = try await Self.failure(
                status: status, contentType: "application/json",
                body: #"{"result":null,"error":{"code":-32601,"message":"Method not found"},"id":1}"#).call
            #expect(error?.code == "node-refused" && error?.isRetryable == false)
            #expect(error?.members["rpc_code"] == .number("-32601"))
            #expect(error?.description.contains("Method not found") == true)
        }
        // -28: still warming up, which is worth retrying.
        let warmup = try await Self.failure(
            status: 500, contentType: "application/json",
            body: #"{"result":null,"error":{"code":-28,"message":"Loading block index..."},"id":1}"#).call
        #expect(warmup?.code == "node-unavailable")
    }

    /// Large string results (raw blocks) take a shortcut past the JSON parser: the value must be
    /// the parser's in every case, the shortcut's and the ones it leaves to the parser.
    @Test func largeResultsReadAsTheParserReadsThem() async throws {
        let hex = String(repeating: "0123456789abcdef", count: 10_000)
        let bodies = [
            #"{"result":"\#(hex)","error":null,"id":1}"#,
            #"{"result":"\#(hex)\n\u00e9","error":null,"id":1}"#,
            #"{"result":"\#(hex)é","error":null,"id":1}"#,
            #"{"result":["\#(hex)"],"error":null,"id":1}"#,
            #"{"error":null,"id":1,"result":"\#(hex)"}"#,
            #"{"result":"\#(hex)", "error" : null , "id":1}   "#,
            #"{"result":"short","error":null,"id":1}"#,
        ]
        for body in bodies {
            let server = try CannedHTTPServer(contentType: "application/json", body: body)
            defer { server.stop() }
            let client = try JSONRPCClient(url: server.url, dialect: .bitcoin, timeout: .seconds(5), retry: .once)
            #expect(try await client.call("getblock") == JSONValue(parsing: body)["result"], "\(body.prefix(12))…\(body.suffix(30))")
        }
        // A large string cut short is no answer at all.
        let server = try CannedHTTPServer(contentType: "application/json", body: #"{"result":"\#(hex)"#)
        defer { server.stop() }
        let client = try JSONRPCClient(url: server.url, dialect: .bitcoin, timeout: .seconds(5), retry: .once)
        await #expect(throws: NodeError.self) { try await client.call("getblock") }
    }

    @Test func bytesThatAreNotHTTPAreRetryableAndNeverACrash() async throws {
        let server = try CannedHTTPServer(rawResponse: Array("\u{1}\u{2}garbage\r\n\r\n".utf8))
        defer { server.stop() }
        let client = try JSONRPCClient(url: server.url, dialect: .bitcoin, timeout: .seconds(5), retry: Self.quick)
        do {
            _ = try await client.call("getblockcount")
            Issue.record("garbage was accepted")
        } catch {
            #expect(error.isRetryable)
        }
    }

    @Test func anUnreadableCookieFileIsReported() async throws {
        let client = try JSONRPCClient(url: "http://127.0.0.1:1/", dialect: .bitcoin, credentials: .cookieFile(path: "/nonexistent/.cookie"), retry: .once)
        do {
            _ = try await client.call("getblockcount")
            Issue.record("a call without its cookie file went out")
        } catch {
            #expect(error.code == "node-credentials")
        }
    }
}
