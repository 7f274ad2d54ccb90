#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Key material held in its own heap buffer and wiped when the last reference goes away.
///
/// Swift arrays may be copied and freed without being cleared; secrets live here instead so
/// there is exactly one buffer to clear. Equality is constant-time.
public final class SecretBytes: @unchecked Sendable {
    // Immutable after init: safe to share between threads.
    private let buffer: UnsafeMutableRawBufferPointer

    /// Copies `bytes` into a fresh buffer. The caller should wipe its own copy if it can.
    public init<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        buffer = .allocate(byteCount: Swift.max(bytes.count, 1), alignment: 16)
        _ = buffer.initializeMemory(as: UInt8.self, from: bytes)
        count = bytes.count
    }

    /// Creates a buffer of `count` bytes filled by `body`.
    public init<E: Error>(count: Int, _ body: (UnsafeMutableRawBufferPointer) throws(E) -> Void) throws(E) {
        // Filled before `self` is fully initialised: a class whose init throws after that point
        // runs deinit, which would free the buffer a second time.
        let memory = UnsafeMutableRawBufferPointer.allocate(byteCount: Swift.max(count, 1), alignment: 16)
        memory.initializeMemory(as: UInt8.self, repeating: 0)
        do {
            try body(UnsafeMutableRawBufferPointer(rebasing: memory[0..<count]))
        } catch {
            SecretBytes.wipe(memory)
            memory.deallocate()
            throw error
        }
        buffer = memory
        self.count = count
    }

    public let count: Int

    deinit {
        SecretBytes.wipe(buffer)
        buffer.deallocate()
    }

    /// Read access without copying the secret into a Swift array.
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    /// A copy as an array, for the rare caller that must hand bytes to an API taking `[UInt8]`.
    /// The caller owns wiping it (`SecretBytes.wipe(&array)`).
    public func copyBytes() -> [UInt8] {
        Array(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
    }

    /// Clears memory in a way the optimizer may not remove.
    public static func wipe(_ memory: UnsafeMutableRawBufferPointer) {
        guard let base = memory.baseAddress, memory.count > 0 else { return }
        #if canImport(Glibc)
        explicit_bzero(base, memory.count)
        #else
        memset_s(base, memory.count, 0, memory.count)
        #endif
    }

    /// Clears an array in place.
    public static func wipe(_ array: inout [UInt8]) {
        array.withUnsafeMutableBytes { wipe($0) }
    }
}

extension SecretBytes: Equatable {
    /// Constant-time comparison: the time taken depends only on the lengths.
    public static func == (lhs: SecretBytes, rhs: SecretBytes) -> Bool {
        lhs.withUnsafeBytes { a in rhs.withUnsafeBytes { b in ConstantTime.equals(a, b) } }
    }
}

/// Comparisons whose running time does not depend on where inputs differ.
public enum ConstantTime {
    public static func equals(_ a: UnsafeRawBufferPointer, _ b: UnsafeRawBufferPointer) -> Bool {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for i in 0..<a.count { difference |= a[i] ^ b[i] }
        return difference == 0
    }

    public static func equals<A: Collection, B: Collection>(_ a: A, _ b: B) -> Bool
    where A.Element == UInt8, B.Element == UInt8 {
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for (x, y) in zip(a, b) { difference |= x ^ y }
        return difference == 0
    }
}
