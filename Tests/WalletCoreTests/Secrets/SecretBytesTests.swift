import Testing
import WalletCore

struct SecretBytesTests {
    struct Refused: Error {}

    /// Regression: a throwing fill used to free the buffer twice (once in init, once in deinit),
    /// corrupting the heap; run it many times so the allocator would notice.
    @Test func throwingFillFreesOnce() {
        for _ in 0..<2000 {
            #expect(throws: Refused.self) {
                _ = try SecretBytes(count: 32) { (_: UnsafeMutableRawBufferPointer) throws(Refused) in throw Refused() }
            }
            let kept = SecretBytes([UInt8](repeating: 7, count: 48))
            #expect(kept.copyBytes() == [UInt8](repeating: 7, count: 48))
        }
    }

    @Test func fillAndCompare() throws {
        let a = try SecretBytes(count: 4) { (out: UnsafeMutableRawBufferPointer) throws(Refused) in
            for i in 0..<4 { out[i] = UInt8(i) }
        }
        #expect(a == SecretBytes([0, 1, 2, 3]))
        #expect(a != SecretBytes([0, 1, 2, 4]))
        #expect(a != SecretBytes([0, 1, 2]))
    }
}
