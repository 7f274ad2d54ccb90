/// RIPEMD-160 (Dobbertin, Bosselaers, Preneel 1996), the 160-bit hash used in
/// Bitcoin's HASH160 = RIPEMD-160(SHA-256(x)) for P2PKH / P2WPKH key hashes.
///
/// Implemented from the specification; the compression function is fully
/// unrolled with the chaining values in locals, so the raw-pointer path does
/// not allocate.
public enum RIPEMD160 {
    /// Digest size in bytes.
    public static let digestByteCount = 20
    /// Block size in bytes.
    public static let blockByteCount = 64

    /// Hashes `data` and returns the 20-byte digest.
    @inlinable
    public static func hash<Bytes: Sequence>(_ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        if let digest = data.withContiguousStorageIfAvailable({ buffer in
            digestArray(UnsafeRawBufferPointer(buffer))
        }) {
            return digest
        }
        let copy = Array(data)
        return copy.withUnsafeBytes { digestArray($0) }
    }

    /// Allocation-free fast path: hashes `data` and writes 20 bytes to `out`.
    ///
    /// - Precondition: `out.count >= 20`. Only the first 20 bytes are written.
    public static func hash(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= digestByteCount, "RIPEMD160.hash(_:into:) needs a 20-byte output buffer")
        var h = RIPEMD160State()
        let count = data.count
        var offset = 0
        if count >= blockByteCount, let base = data.baseAddress {
            while count - offset >= blockByteCount {
                h.compress(UnsafeRawPointer(base + offset))
                offset += blockByteCount
            }
        }
        // MD-style padding: 0x80, zeros, 64-bit little-endian bit length.
        var tail: (UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
                   UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &tail) { block in
            let remaining = count - offset
            if remaining > 0, let base = data.baseAddress {
                block.baseAddress!.copyMemory(from: base + offset, byteCount: remaining)
            }
            block[remaining] = 0x80
            let blocks = remaining + 9 > blockByteCount ? 2 : 1
            let bitLength = UInt64(truncatingIfNeeded: count) &<< 3
            block.storeBytes(of: bitLength.littleEndian, toByteOffset: blocks * blockByteCount - 8, as: UInt64.self)
            h.compress(UnsafeRawPointer(block.baseAddress!))
            if blocks == 2 {
                h.compress(UnsafeRawPointer(block.baseAddress! + blockByteCount))
            }
        }
        let p = out.baseAddress!
        p.storeBytes(of: h.h0.littleEndian, toByteOffset: 0, as: UInt32.self)
        p.storeBytes(of: h.h1.littleEndian, toByteOffset: 4, as: UInt32.self)
        p.storeBytes(of: h.h2.littleEndian, toByteOffset: 8, as: UInt32.self)
        p.storeBytes(of: h.h3.littleEndian, toByteOffset: 12, as: UInt32.self)
        p.storeBytes(of: h.h4.littleEndian, toByteOffset: 16, as: UInt32.self)
    }

    @usableFromInline
    static func digestArray(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: digestByteCount) { buffer, initialized in
            hash(data, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = digestByteCount
        }
    }
}

// The five RIPEMD-160 boolean functions and rotation (spec section 3).
@inline(__always) private func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &<< n) | (x &>> (32 &- n)) }
@inline(__always) private func f1(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { x ^ y ^ z }
@inline(__always) private func f2(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { (x & y) | (~x & z) }
@inline(__always) private func f3(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { (x | ~y) ^ z }
@inline(__always) private func f4(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { (x & z) | (y & ~z) }
@inline(__always) private func f5(_ x: UInt32, _ y: UInt32, _ z: UInt32) -> UInt32 { x ^ (y | ~z) }

/// The five 32-bit chaining values.
struct RIPEMD160State {
    var h0: UInt32 = 0x6745_2301
    var h1: UInt32 = 0xEFCD_AB89
    var h2: UInt32 = 0x98BA_DCFE
    var h3: UInt32 = 0x1032_5476
    var h4: UInt32 = 0xC3D2_E1F0

    /// Processes one 64-byte block at `p`: two parallel 80-step lines, unrolled.
    @inline(__always)
    mutating func compress(_ p: UnsafeRawPointer) {
        @inline(__always) func word(_ i: Int) -> UInt32 {
            UInt32(littleEndian: p.loadUnaligned(fromByteOffset: i &* 4, as: UInt32.self))
        }
        let x0 = word(0)
        let x1 = word(1)
        let x2 = word(2)
        let x3 = word(3)
        let x4 = word(4)
        let x5 = word(5)
        let x6 = word(6)
        let x7 = word(7)
        let x8 = word(8)
        let x9 = word(9)
        let x10 = word(10)
        let x11 = word(11)
        let x12 = word(12)
        let x13 = word(13)
        let x14 = word(14)
        let x15 = word(15)
        var la = h0, lb = h1, lc = h2, ld = h3, le = h4
        var ra = h0, rb = h1, rc = h2, rd = h3, re = h4
        // Left line
        la = rotl(la &+ f1(lb, lc, ld) &+ x0, 11) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f1(la, lb, lc) &+ x1, 14) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f1(le, la, lb) &+ x2, 15) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f1(ld, le, la) &+ x3, 12) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f1(lc, ld, le) &+ x4, 5) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f1(lb, lc, ld) &+ x5, 8) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f1(la, lb, lc) &+ x6, 7) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f1(le, la, lb) &+ x7, 9) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f1(ld, le, la) &+ x8, 11) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f1(lc, ld, le) &+ x9, 13) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f1(lb, lc, ld) &+ x10, 14) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f1(la, lb, lc) &+ x11, 15) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f1(le, la, lb) &+ x12, 6) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f1(ld, le, la) &+ x13, 7) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f1(lc, ld, le) &+ x14, 9) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f1(lb, lc, ld) &+ x15, 8) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f2(la, lb, lc) &+ x7 &+ 0x5A827999, 7) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f2(le, la, lb) &+ x4 &+ 0x5A827999, 6) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f2(ld, le, la) &+ x13 &+ 0x5A827999, 8) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f2(lc, ld, le) &+ x1 &+ 0x5A827999, 13) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f2(lb, lc, ld) &+ x10 &+ 0x5A827999, 11) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f2(la, lb, lc) &+ x6 &+ 0x5A827999, 9) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f2(le, la, lb) &+ x15 &+ 0x5A827999, 7) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f2(ld, le, la) &+ x3 &+ 0x5A827999, 15) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f2(lc, ld, le) &+ x12 &+ 0x5A827999, 7) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f2(lb, lc, ld) &+ x0 &+ 0x5A827999, 12) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f2(la, lb, lc) &+ x9 &+ 0x5A827999, 15) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f2(le, la, lb) &+ x5 &+ 0x5A827999, 9) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f2(ld, le, la) &+ x2 &+ 0x5A827999, 11) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f2(lc, ld, le) &+ x14 &+ 0x5A827999, 7) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f2(lb, lc, ld) &+ x11 &+ 0x5A827999, 13) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f2(la, lb, lc) &+ x8 &+ 0x5A827999, 12) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f3(le, la, lb) &+ x3 &+ 0x6ED9EBA1, 11) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f3(ld, le, la) &+ x10 &+ 0x6ED9EBA1, 13) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f3(lc, ld, le) &+ x14 &+ 0x6ED9EBA1, 6) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f3(lb, lc, ld) &+ x4 &+ 0x6ED9EBA1, 7) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f3(la, lb, lc) &+ x9 &+ 0x6ED9EBA1, 14) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f3(le, la, lb) &+ x15 &+ 0x6ED9EBA1, 9) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f3(ld, le, la) &+ x8 &+ 0x6ED9EBA1, 13) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f3(lc, ld, le) &+ x1 &+ 0x6ED9EBA1, 15) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f3(lb, lc, ld) &+ x2 &+ 0x6ED9EBA1, 14) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f3(la, lb, lc) &+ x7 &+ 0x6ED9EBA1, 8) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f3(le, la, lb) &+ x0 &+ 0x6ED9EBA1, 13) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f3(ld, le, la) &+ x6 &+ 0x6ED9EBA1, 6) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f3(lc, ld, le) &+ x13 &+ 0x6ED9EBA1, 5) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f3(lb, lc, ld) &+ x11 &+ 0x6ED9EBA1, 12) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f3(la, lb, lc) &+ x5 &+ 0x6ED9EBA1, 7) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f3(le, la, lb) &+ x12 &+ 0x6ED9EBA1, 5) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f4(ld, le, la) &+ x1 &+ 0x8F1BBCDC, 11) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f4(lc, ld, le) &+ x9 &+ 0x8F1BBCDC, 12) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f4(lb, lc, ld) &+ x11 &+ 0x8F1BBCDC, 14) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f4(la, lb, lc) &+ x10 &+ 0x8F1BBCDC, 15) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f4(le, la, lb) &+ x0 &+ 0x8F1BBCDC, 14) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f4(ld, le, la) &+ x8 &+ 0x8F1BBCDC, 15) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f4(lc, ld, le) &+ x12 &+ 0x8F1BBCDC, 9) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f4(lb, lc, ld) &+ x4 &+ 0x8F1BBCDC, 8) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f4(la, lb, lc) &+ x13 &+ 0x8F1BBCDC, 9) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f4(le, la, lb) &+ x3 &+ 0x8F1BBCDC, 14) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f4(ld, le, la) &+ x7 &+ 0x8F1BBCDC, 5) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f4(lc, ld, le) &+ x15 &+ 0x8F1BBCDC, 6) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f4(lb, lc, ld) &+ x14 &+ 0x8F1BBCDC, 8) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f4(la, lb, lc) &+ x5 &+ 0x8F1BBCDC, 6) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f4(le, la, lb) &+ x6 &+ 0x8F1BBCDC, 5) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f4(ld, le, la) &+ x2 &+ 0x8F1BBCDC, 12) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f5(lc, ld, le) &+ x4 &+ 0xA953FD4E, 9) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f5(lb, lc, ld) &+ x0 &+ 0xA953FD4E, 15) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f5(la, lb, lc) &+ x5 &+ 0xA953FD4E, 5) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f5(le, la, lb) &+ x9 &+ 0xA953FD4E, 11) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f5(ld, le, la) &+ x7 &+ 0xA953FD4E, 6) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f5(lc, ld, le) &+ x12 &+ 0xA953FD4E, 8) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f5(lb, lc, ld) &+ x2 &+ 0xA953FD4E, 13) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f5(la, lb, lc) &+ x10 &+ 0xA953FD4E, 12) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f5(le, la, lb) &+ x14 &+ 0xA953FD4E, 5) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f5(ld, le, la) &+ x1 &+ 0xA953FD4E, 12) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f5(lc, ld, le) &+ x3 &+ 0xA953FD4E, 13) &+ la; ld = rotl(ld, 10)
        la = rotl(la &+ f5(lb, lc, ld) &+ x8 &+ 0xA953FD4E, 14) &+ le; lc = rotl(lc, 10)
        le = rotl(le &+ f5(la, lb, lc) &+ x11 &+ 0xA953FD4E, 11) &+ ld; lb = rotl(lb, 10)
        ld = rotl(ld &+ f5(le, la, lb) &+ x6 &+ 0xA953FD4E, 8) &+ lc; la = rotl(la, 10)
        lc = rotl(lc &+ f5(ld, le, la) &+ x15 &+ 0xA953FD4E, 5) &+ lb; le = rotl(le, 10)
        lb = rotl(lb &+ f5(lc, ld, le) &+ x13 &+ 0xA953FD4E, 6) &+ la; ld = rotl(ld, 10)
        // Right line
        ra = rotl(ra &+ f5(rb, rc, rd) &+ x5 &+ 0x50A28BE6, 8) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f5(ra, rb, rc) &+ x14 &+ 0x50A28BE6, 9) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f5(re, ra, rb) &+ x7 &+ 0x50A28BE6, 9) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f5(rd, re, ra) &+ x0 &+ 0x50A28BE6, 11) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f5(rc, rd, re) &+ x9 &+ 0x50A28BE6, 13) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f5(rb, rc, rd) &+ x2 &+ 0x50A28BE6, 15) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f5(ra, rb, rc) &+ x11 &+ 0x50A28BE6, 15) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f5(re, ra, rb) &+ x4 &+ 0x50A28BE6, 5) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f5(rd, re, ra) &+ x13 &+ 0x50A28BE6, 7) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f5(rc, rd, re) &+ x6 &+ 0x50A28BE6, 7) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f5(rb, rc, rd) &+ x15 &+ 0x50A28BE6, 8) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f5(ra, rb, rc) &+ x8 &+ 0x50A28BE6, 11) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f5(re, ra, rb) &+ x1 &+ 0x50A28BE6, 14) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f5(rd, re, ra) &+ x10 &+ 0x50A28BE6, 14) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f5(rc, rd, re) &+ x3 &+ 0x50A28BE6, 12) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f5(rb, rc, rd) &+ x12 &+ 0x50A28BE6, 6) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f4(ra, rb, rc) &+ x6 &+ 0x5C4DD124, 9) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f4(re, ra, rb) &+ x11 &+ 0x5C4DD124, 13) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f4(rd, re, ra) &+ x3 &+ 0x5C4DD124, 15) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f4(rc, rd, re) &+ x7 &+ 0x5C4DD124, 7) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f4(rb, rc, rd) &+ x0 &+ 0x5C4DD124, 12) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f4(ra, rb, rc) &+ x13 &+ 0x5C4DD124, 8) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f4(re, ra, rb) &+ x5 &+ 0x5C4DD124, 9) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f4(rd, re, ra) &+ x10 &+ 0x5C4DD124, 11) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f4(rc, rd, re) &+ x14 &+ 0x5C4DD124, 7) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f4(rb, rc, rd) &+ x15 &+ 0x5C4DD124, 7) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f4(ra, rb, rc) &+ x8 &+ 0x5C4DD124, 12) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f4(re, ra, rb) &+ x12 &+ 0x5C4DD124, 7) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f4(rd, re, ra) &+ x4 &+ 0x5C4DD124, 6) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f4(rc, rd, re) &+ x9 &+ 0x5C4DD124, 15) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f4(rb, rc, rd) &+ x1 &+ 0x5C4DD124, 13) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f4(ra, rb, rc) &+ x2 &+ 0x5C4DD124, 11) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f3(re, ra, rb) &+ x15 &+ 0x6D703EF3, 9) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f3(rd, re, ra) &+ x5 &+ 0x6D703EF3, 7) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f3(rc, rd, re) &+ x1 &+ 0x6D703EF3, 15) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f3(rb, rc, rd) &+ x3 &+ 0x6D703EF3, 11) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f3(ra, rb, rc) &+ x7 &+ 0x6D703EF3, 8) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f3(re, ra, rb) &+ x14 &+ 0x6D703EF3, 6) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f3(rd, re, ra) &+ x6 &+ 0x6D703EF3, 6) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f3(rc, rd, re) &+ x9 &+ 0x6D703EF3, 14) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f3(rb, rc, rd) &+ x11 &+ 0x6D703EF3, 12) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f3(ra, rb, rc) &+ x8 &+ 0x6D703EF3, 13) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f3(re, ra, rb) &+ x12 &+ 0x6D703EF3, 5) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f3(rd, re, ra) &+ x2 &+ 0x6D703EF3, 14) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f3(rc, rd, re) &+ x10 &+ 0x6D703EF3, 13) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f3(rb, rc, rd) &+ x0 &+ 0x6D703EF3, 13) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f3(ra, rb, rc) &+ x4 &+ 0x6D703EF3, 7) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f3(re, ra, rb) &+ x13 &+ 0x6D703EF3, 5) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f2(rd, re, ra) &+ x8 &+ 0x7A6D76E9, 15) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f2(rc, rd, re) &+ x6 &+ 0x7A6D76E9, 5) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f2(rb, rc, rd) &+ x4 &+ 0x7A6D76E9, 8) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f2(ra, rb, rc) &+ x1 &+ 0x7A6D76E9, 11) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f2(re, ra, rb) &+ x3 &+ 0x7A6D76E9, 14) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f2(rd, re, ra) &+ x11 &+ 0x7A6D76E9, 14) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f2(rc, rd, re) &+ x15 &+ 0x7A6D76E9, 6) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f2(rb, rc, rd) &+ x0 &+ 0x7A6D76E9, 14) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f2(ra, rb, rc) &+ x5 &+ 0x7A6D76E9, 6) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f2(re, ra, rb) &+ x12 &+ 0x7A6D76E9, 9) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f2(rd, re, ra) &+ x2 &+ 0x7A6D76E9, 12) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f2(rc, rd, re) &+ x13 &+ 0x7A6D76E9, 9) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f2(rb, rc, rd) &+ x9 &+ 0x7A6D76E9, 12) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f2(ra, rb, rc) &+ x7 &+ 0x7A6D76E9, 5) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f2(re, ra, rb) &+ x10 &+ 0x7A6D76E9, 15) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f2(rd, re, ra) &+ x14 &+ 0x7A6D76E9, 8) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f1(rc, rd, re) &+ x12, 8) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f1(rb, rc, rd) &+ x15, 5) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f1(ra, rb, rc) &+ x10, 12) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f1(re, ra, rb) &+ x4, 9) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f1(rd, re, ra) &+ x1, 12) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f1(rc, rd, re) &+ x5, 5) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f1(rb, rc, rd) &+ x8, 14) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f1(ra, rb, rc) &+ x7, 6) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f1(re, ra, rb) &+ x6, 8) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f1(rd, re, ra) &+ x2, 13) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f1(rc, rd, re) &+ x13, 6) &+ ra; rd = rotl(rd, 10)
        ra = rotl(ra &+ f1(rb, rc, rd) &+ x14, 5) &+ re; rc = rotl(rc, 10)
        re = rotl(re &+ f1(ra, rb, rc) &+ x0, 15) &+ rd; rb = rotl(rb, 10)
        rd = rotl(rd &+ f1(re, ra, rb) &+ x3, 13) &+ rc; ra = rotl(ra, 10)
        rc = rotl(rc &+ f1(rd, re, ra) &+ x9, 11) &+ rb; re = rotl(re, 10)
        rb = rotl(rb &+ f1(rc, rd, re) &+ x11, 11) &+ ra; rd = rotl(rd, 10)
        let t = h1 &+ lc &+ rd
        h1 = h2 &+ ld &+ re
        h2 = h3 &+ le &+ ra
        h3 = h4 &+ la &+ rb
        h4 = h0 &+ lb &+ rc
        h0 = t
    }
}
