import ChainNodes
import Chains
import CofferBase
import Testing

@Suite struct JSONRPCClientTests {
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
}
