import CofferTestSupport
import Testing

/// One EVM fixture for all the tests of a suite: started before its first test, stopped after
/// its last (also when one fails). Its start costs seconds of imports in Python, so the suites
/// whose tests do not rewrite history share one; a test that reverts the chain starts its own.
struct SharedEVMFixture: SuiteTrait, TestScoping {
    @TaskLocal static var current: EVMFixture?

    func provideScope(for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void) async throws {
        try await EVMFixture.run { fixture in
            try await Self.$current.withValue(fixture) { try await function() }
        }
    }

    /// The fixture of the running suite.
    static func fixture() throws -> EVMFixture {
        try #require(current, "the test's suite has no .sharedEVMFixture trait")
    }
}

extension Trait where Self == SharedEVMFixture {
    /// Runs the suite's tests against one EVM fixture.
    static var sharedEVMFixture: Self { Self() }
}

/// The suites that share one chain (their tests in extensions, one file each). They run one
/// test at a time, so each block holds exactly what the test put in it and a test can name
/// every payment of its blocks.
@Suite(.sharedEVMFixture, .serialized) struct EVMSharedChain {}
