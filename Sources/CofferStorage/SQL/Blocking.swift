import Dispatch

/// Runs synchronous work (a database transaction, key derivation, a keystore KDF) on a Dispatch
/// thread instead of Swift concurrency's few cooperative threads. Blocking those threads can
/// deadlock: GRDB's async reads and postgres-nio's pool resume on them, while the blocked
/// threads would wait for exactly that.
public enum Blocking {
    public static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try body() }) }
        }
    }
}
