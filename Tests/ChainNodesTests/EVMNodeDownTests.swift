import ChainNodes
import Chains
import CofferBase
import CofferTestSupport
import Testing

/// A node that stops answering is a retryable error for the syncer, never a guess.
@Suite struct EVMNodeDownTests {
    @Test func aStoppedNodeIsARetryableNodeError() async throws {
        let fixture = try await EVMFixture.start()
        defer { fixture.stop() }
        #expect(try await EVMChainSource(node: EthereumRPCNode(url: fixture.url)).tip().height == 0)

        fixture.stop()
        #expect(!fixture.isRunning)
        // async-http-client retries a refused connection until the request's deadline: a short
        // timeout keeps the test short (each attempt takes all of it).
        let source = EVMChainSource(node: try EthereumRPCNode(
            url: fixture.url, timeout: .seconds(1), retry: RetryPolicy(attempts: 2, initialDelay: .milliseconds(10))))
        await Self.expectRetryable { () async throws(NodeError) in _ = try await source.tip() }
        await Self.expectRetryable { () async throws(NodeError) in _ = try await source.block(at: 0, tokens: ["0x" + String(repeating: "1", count: 40)]) }
        await Self.expectRetryable { () async throws(NodeError) in _ = try await source.transactionState("0x" + String(repeating: "ab", count: 32)) }
    }

    static func expectRetryable(_ read: () async throws(NodeError) -> Void, sourceLocation: SourceLocation = #_sourceLocation) async {
        do {
            try await read()
            Issue.record("a stopped node answered", sourceLocation: sourceLocation)
        } catch {
            #expect(error.isRetryable && error.code == "node-unavailable", sourceLocation: sourceLocation)
        }
    }
}
