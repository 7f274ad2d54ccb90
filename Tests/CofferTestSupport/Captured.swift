import Synchronization

/// A value written from inside a transaction body (a ledger companion, an `alongside` write) and
/// checked after it: those bodies run on a thread of their own, outside the test's task, so they
/// record what they saw here and the test asserts on it afterwards.
public final class Captured<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    public init(_ initial: Value) { storage = Mutex(initial) }

    public var value: Value { storage.withLock { $0 } }

    public func set(_ newValue: Value) { storage.withLock { $0 = newValue } }

    public func update(_ body: (inout Value) -> Void) { storage.withLock { body(&$0) } }
}
