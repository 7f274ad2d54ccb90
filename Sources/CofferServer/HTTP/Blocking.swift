import Dispatch

/// Runs synchronous vault and database work (GRDB's blocking calls, key derivation, keystore
/// KDFs) on a Dispatch thread instead of Swift concurrency's few cooperative threads. Blocking
/// those threads deadlocks the server: GRDB's async reads hold a reader connection until a
/// cooperative thread resumes them, while the blocked threads wait for that very connection.
enum Blocking {
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
