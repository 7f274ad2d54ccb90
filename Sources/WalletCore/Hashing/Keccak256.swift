/// Keccak-256 as used by Ethereum: the original Keccak submission with
/// capacity 512 bits (rate 136 bytes) and multi-rate padding `0x01 … 0x80`.
///
/// This is *not* NIST SHA3-256 (which pads with `0x06`); the two produce
/// different digests for every input. Ethereum addresses, function selectors,
/// event topics and transaction hashes all use this variant.
///
/// The one-shot functions keep the whole 1600-bit state in 25 local `UInt64`s
/// and never allocate on the raw-pointer path. For incremental input use
/// ``Keccak256/Hasher``.
public enum Keccak256 {
    /// Digest size in bytes.
    public static let digestByteCount = 32
    /// Sponge rate in bytes (1600 − 2·256 bits).
    public static let rateByteCount = 136

    /// Hashes `data` and returns the 32-byte digest.
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

    /// Allocation-free fast path: hashes `data` and writes 32 bytes to `out`.
    ///
    /// - Precondition: `out.count >= 32`. Only the first 32 bytes are written.
    public static func hash(_ data: UnsafeRawBufferPointer, into out: UnsafeMutableRawBufferPointer) {
        precondition(out.count >= digestByteCount, "Keccak256.hash(_:into:) needs a 32-byte output buffer")
        var state = KeccakState.zero
        var offset = 0
        let count = data.count
        if count >= rateByteCount, let base = data.baseAddress {
            while count - offset >= rateByteCount {
                absorbBlock(&state, UnsafeRawPointer(base + offset))
                KeccakState.permute(&state)
                offset += rateByteCount
            }
        }
        // Final (partial, possibly empty) block with Keccak pad10*1 using domain byte 0x01.
        var block: KeccakBlock = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &block) { blockBytes in
            let remaining = count - offset
            if remaining > 0, let base = data.baseAddress {
                blockBytes.baseAddress!.copyMemory(from: base + offset, byteCount: remaining)
            }
            blockBytes[remaining] ^= 0x01
            blockBytes[rateByteCount - 1] ^= 0x80
            absorbBlock(&state, UnsafeRawPointer(blockBytes.baseAddress!))
        }
        KeccakState.permute(&state)
        squeeze(state, into: out)
    }

    @usableFromInline
    static func digestArray(_ data: UnsafeRawBufferPointer) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: digestByteCount) { buffer, initialized in
            hash(data, into: UnsafeMutableRawBufferPointer(buffer))
            initialized = digestByteCount
        }
    }

    @inline(__always)
    static func absorbBlock(_ state: inout KeccakState.Lanes, _ p: UnsafeRawPointer) {
        @inline(__always) func lane(_ i: Int) -> UInt64 {
            UInt64(littleEndian: p.loadUnaligned(fromByteOffset: i &* 8, as: UInt64.self))
        }
        state.0 ^= lane(0)
        state.1 ^= lane(1)
        state.2 ^= lane(2)
        state.3 ^= lane(3)
        state.4 ^= lane(4)
        state.5 ^= lane(5)
        state.6 ^= lane(6)
        state.7 ^= lane(7)
        state.8 ^= lane(8)
        state.9 ^= lane(9)
        state.10 ^= lane(10)
        state.11 ^= lane(11)
        state.12 ^= lane(12)
        state.13 ^= lane(13)
        state.14 ^= lane(14)
        state.15 ^= lane(15)
        state.16 ^= lane(16)
    }

    @inline(__always)
    static func squeeze(_ state: KeccakState.Lanes, into out: UnsafeMutableRawBufferPointer) {
        let p = out.baseAddress!
        p.storeBytes(of: state.0.littleEndian, toByteOffset: 0, as: UInt64.self)
        p.storeBytes(of: state.1.littleEndian, toByteOffset: 8, as: UInt64.self)
        p.storeBytes(of: state.2.littleEndian, toByteOffset: 16, as: UInt64.self)
        p.storeBytes(of: state.3.littleEndian, toByteOffset: 24, as: UInt64.self)
    }

    /// Incremental Keccak-256. Feed bytes with ``update(_:)`` as often as you
    /// like, then call ``finalize()`` once. A value type: copying a hasher
    /// forks the computation.
    public struct Hasher: Sendable {
        private var state: KeccakState.Lanes = KeccakState.zero
        /// Number of bytes already XORed into the current (unpermuted) block.
        private var position = 0

        /// Creates a hasher with the empty-input state.
        public init() {}

        /// Absorbs `bytes`.
        public mutating func update(_ bytes: UnsafeRawBufferPointer) {
            var index = 0
            let count = bytes.count
            guard count > 0, let base = bytes.baseAddress else { return }
            // Top up a partially filled block byte by byte.
            while position != 0 && index < count {
                xorByte(base.load(fromByteOffset: index, as: UInt8.self), at: position)
                index += 1
                position += 1
                if position == Keccak256.rateByteCount {
                    KeccakState.permute(&state)
                    position = 0
                }
            }
            while count - index >= Keccak256.rateByteCount {
                Keccak256.absorbBlock(&state, base + index)
                KeccakState.permute(&state)
                index += Keccak256.rateByteCount
            }
            while index < count {
                xorByte(base.load(fromByteOffset: index, as: UInt8.self), at: position)
                index += 1
                position += 1
            }
        }

        /// Absorbs `bytes`.
        public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
            if bytes.withContiguousStorageIfAvailable({ update(UnsafeRawBufferPointer($0)) }) == nil {
                let copy = Array(bytes)
                copy.withUnsafeBytes { update($0) }
            }
        }

        /// Pads, permutes and returns the 32-byte digest. The hasher itself is
        /// left untouched, so `finalize()` may be called again (same result).
        public func finalize() -> [UInt8] {
            var copy = self
            copy.xorByte(0x01, at: position)
            copy.xorByte(0x80, at: Keccak256.rateByteCount - 1)
            KeccakState.permute(&copy.state)
            let final = copy.state
            return [UInt8](unsafeUninitializedCapacity: Keccak256.digestByteCount) { buffer, initialized in
                Keccak256.squeeze(final, into: UnsafeMutableRawBufferPointer(buffer))
                initialized = Keccak256.digestByteCount
            }
        }

        @inline(__always)
        private mutating func xorByte(_ byte: UInt8, at offset: Int) {
            withUnsafeMutableBytes(of: &state) { lanes in
                // Byte k of the rate is bits 8k..8k+7 of the little-endian lane stream.
                let laneIndex = offset >> 3
                let shift = UInt64((offset & 7) << 3)
                let p = lanes.baseAddress!.assumingMemoryBound(to: UInt64.self) + laneIndex
                p.pointee ^= UInt64(byte) << shift
            }
        }
    }
}

/// 17 lanes = one 136-byte rate block.
@usableFromInline
typealias KeccakBlock = (
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
    UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
)

@usableFromInline
enum KeccakState {
    /// The 5×5 lanes of Keccak-f[1600]; lane (x, y) is element x + 5y.
    @usableFromInline
    typealias Lanes = (
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
        UInt64, UInt64, UInt64, UInt64, UInt64
    )

    static let zero: Lanes = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

    /// Keccak-f[1600] round constants (FIPS 202, section 3.2.5), derived from the rc(t) LFSR.
    @usableFromInline static let roundConstants: [UInt64] = [
        0x0000000000000001, 0x0000000000008082, 0x800000000000808A,
        0x8000000080008000, 0x000000000000808B, 0x0000000080000001,
        0x8000000080008081, 0x8000000000008009, 0x000000000000008A,
        0x0000000000000088, 0x0000000080008009, 0x000000008000000A,
        0x000000008000808B, 0x800000000000008B, 0x8000000000008089,
        0x8000000000008003, 0x8000000000008002, 0x8000000000000080,
        0x000000000000800A, 0x800000008000000A, 0x8000000080008081,
        0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
    ]

    @inline(__always)
    static func rotl(_ x: UInt64, _ n: UInt64) -> UInt64 {
        (x &<< n) | (x &>> (64 &- n))
    }

    /// Keccak-f[1600]: 24 rounds of θ, ρ, π, χ, ι over the state, kept in locals
    /// so the optimizer can hold it in registers / a fixed stack frame.
    @inline(__always)
    static func permute(_ state: inout Lanes) {
        var a0 = state.0
        var a1 = state.1
        var a2 = state.2
        var a3 = state.3
        var a4 = state.4
        var a5 = state.5
        var a6 = state.6
        var a7 = state.7
        var a8 = state.8
        var a9 = state.9
        var a10 = state.10
        var a11 = state.11
        var a12 = state.12
        var a13 = state.13
        var a14 = state.14
        var a15 = state.15
        var a16 = state.16
        var a17 = state.17
        var a18 = state.18
        var a19 = state.19
        var a20 = state.20
        var a21 = state.21
        var a22 = state.22
        var a23 = state.23
        var a24 = state.24
        for round in 0..<24 {
            let c0 = a0 ^ a5 ^ a10 ^ a15 ^ a20
            let c1 = a1 ^ a6 ^ a11 ^ a16 ^ a21
            let c2 = a2 ^ a7 ^ a12 ^ a17 ^ a22
            let c3 = a3 ^ a8 ^ a13 ^ a18 ^ a23
            let c4 = a4 ^ a9 ^ a14 ^ a19 ^ a24
            let d0 = c4 ^ rotl(c1, 1)
            let d1 = c0 ^ rotl(c2, 1)
            let d2 = c1 ^ rotl(c3, 1)
            let d3 = c2 ^ rotl(c4, 1)
            let d4 = c3 ^ rotl(c0, 1)
            // Row 0: ρ and π into b, then χ (and ι on lane 0).
            let b00 = a0 ^ d0
            let b01 = rotl(a6 ^ d1, 44)
            let b02 = rotl(a12 ^ d2, 43)
            let b03 = rotl(a18 ^ d3, 21)
            let b04 = rotl(a24 ^ d4, 14)
            let e0 = b00 ^ (~b01 & b02) ^ roundConstants[round]
            let e1 = b01 ^ (~b02 & b03)
            let e2 = b02 ^ (~b03 & b04)
            let e3 = b03 ^ (~b04 & b00)
            let e4 = b04 ^ (~b00 & b01)
            // Row 1: ρ and π into b, then χ (and ι on lane 0).
            let b10 = rotl(a3 ^ d3, 28)
            let b11 = rotl(a9 ^ d4, 20)
            let b12 = rotl(a10 ^ d0, 3)
            let b13 = rotl(a16 ^ d1, 45)
            let b14 = rotl(a22 ^ d2, 61)
            let e5 = b10 ^ (~b11 & b12)
            let e6 = b11 ^ (~b12 & b13)
            let e7 = b12 ^ (~b13 & b14)
            let e8 = b13 ^ (~b14 & b10)
            let e9 = b14 ^ (~b10 & b11)
            // Row 2: ρ and π into b, then χ (and ι on lane 0).
            let b20 = rotl(a1 ^ d1, 1)
            let b21 = rotl(a7 ^ d2, 6)
            let b22 = rotl(a13 ^ d3, 25)
            let b23 = rotl(a19 ^ d4, 8)
            let b24 = rotl(a20 ^ d0, 18)
            let e10 = b20 ^ (~b21 & b22)
            let e11 = b21 ^ (~b22 & b23)
            let e12 = b22 ^ (~b23 & b24)
            let e13 = b23 ^ (~b24 & b20)
            let e14 = b24 ^ (~b20 & b21)
            // Row 3: ρ and π into b, then χ (and ι on lane 0).
            let b30 = rotl(a4 ^ d4, 27)
            let b31 = rotl(a5 ^ d0, 36)
            let b32 = rotl(a11 ^ d1, 10)
            let b33 = rotl(a17 ^ d2, 15)
            let b34 = rotl(a23 ^ d3, 56)
            let e15 = b30 ^ (~b31 & b32)
            let e16 = b31 ^ (~b32 & b33)
            let e17 = b32 ^ (~b33 & b34)
            let e18 = b33 ^ (~b34 & b30)
            let e19 = b34 ^ (~b30 & b31)
            // Row 4: ρ and π into b, then χ (and ι on lane 0).
            let b40 = rotl(a2 ^ d2, 62)
            let b41 = rotl(a8 ^ d3, 55)
            let b42 = rotl(a14 ^ d4, 39)
            let b43 = rotl(a15 ^ d0, 41)
            let b44 = rotl(a21 ^ d1, 2)
            let e20 = b40 ^ (~b41 & b42)
            let e21 = b41 ^ (~b42 & b43)
            let e22 = b42 ^ (~b43 & b44)
            let e23 = b43 ^ (~b44 & b40)
            let e24 = b44 ^ (~b40 & b41)
            a0 = e0
            a1 = e1
            a2 = e2
            a3 = e3
            a4 = e4
            a5 = e5
            a6 = e6
            a7 = e7
            a8 = e8
            a9 = e9
            a10 = e10
            a11 = e11
            a12 = e12
            a13 = e13
            a14 = e14
            a15 = e15
            a16 = e16
            a17 = e17
            a18 = e18
            a19 = e19
            a20 = e20
            a21 = e21
            a22 = e22
            a23 = e23
            a24 = e24
        }
        state.0 = a0
        state.1 = a1
        state.2 = a2
        state.3 = a3
        state.4 = a4
        state.5 = a5
        state.6 = a6
        state.7 = a7
        state.8 = a8
        state.9 = a9
        state.10 = a10
        state.11 = a11
        state.12 = a12
        state.13 = a13
        state.14 = a14
        state.15 = a15
        state.16 = a16
        state.17 = a17
        state.18 = a18
        state.19 = a19
        state.20 = a20
        state.21 = a21
        state.22 = a22
        state.23 = a23
        state.24 = a24
    }
}
