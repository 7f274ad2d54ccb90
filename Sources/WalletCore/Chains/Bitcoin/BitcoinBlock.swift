import Crypto

/// A serialised Bitcoin block (as `getblock <hash> 0` returns it) read for what a syncer needs:
/// the header and its hash, and per transaction its txid, the outputs it spends and the outputs it
/// creates. Bitcoin Core forks with the same block format (Litecoin without MWEB) read the same.
///
/// Built for the sync hot path: one pass over the bytes, no copy of them (output scripts are
/// slices of the block's own storage), txids hashed straight from the byte ranges of the legacy
/// serialisation, witnesses skipped. Strict: a truncated block, an impossible count, a
/// non-canonical CompactSize or a byte left over is a `BitcoinEncodingError`, never a trap.
public struct BitcoinBlock: Sendable {
    /// The 80-byte block header.
    public struct Header: Sendable, Equatable {
        /// Signed, as Bitcoin Core prints it (`version`).
        public let version: Int32
        public let previousBlockHash: BitcoinHash
        public let merkleRoot: BitcoinHash
        /// Seconds since 1970, as the miner wrote it.
        public let time: UInt32
        /// The compact difficulty target.
        public let bits: UInt32
        public let nonce: UInt32
        /// Double SHA-256 of the 80 header bytes: the block's hash.
        public let hash: BitcoinHash

        public static let size = 80

        /// Reads exactly one 80-byte header (`getblockheader <hash> false`).
        public init(serialized bytes: [UInt8]) throws(BitcoinEncodingError) {
            guard bytes.count == Self.size else {
                throw BitcoinEncodingError("a block header is \(Self.size) bytes, not \(bytes.count)")
            }
            self = bytes.withUnsafeBytes { Header(at: 0, in: $0) }
        }

        /// The caller has checked that 80 bytes follow `offset`.
        init(at offset: Int, in buffer: UnsafeRawBufferPointer) {
            let header = UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + Self.size])
            version = Int32(bitPattern: header.uint32(at: 0))
            previousBlockHash = BitcoinHash(internalOrder: header, at: 4)
            merkleRoot = BitcoinHash(internalOrder: header, at: 36)
            time = header.uint32(at: 68)
            bits = header.uint32(at: 72)
            nonce = header.uint32(at: 76)
            hash = BitcoinHash(DoubleSHA256.digest(header))
        }
    }

    /// An output being spent: the transaction that created it and its index there.
    public struct OutPoint: Sendable, Hashable {
        public let txid: BitcoinHash
        public let index: UInt32

        public init(txid: BitcoinHash, index: UInt32) {
            self.txid = txid
            self.index = index
        }

        /// The outpoint of a coinbase input, which spends nothing.
        public var isNull: Bool { txid == .zero && index == .max }
    }

    public struct Input: Sendable, Hashable {
        public let previousOutput: OutPoint
        /// Below 0xFFFFFFFE signals replaceability (BIP125).
        public let sequence: UInt32
    }

    public struct Output: Sendable, Equatable {
        /// In the chain's smallest unit (satoshi, litoshi).
        public let value: UInt64
        /// A slice of the block's (or transaction's) bytes: no copy per output.
        public let scriptPubKey: ArraySlice<UInt8>
    }

    /// A transaction as the syncer reads it; witnesses and input scripts are skipped.
    public struct Transaction: Sendable {
        /// Double SHA-256 of the legacy (non-witness) serialisation.
        public let txid: BitcoinHash
        public let version: Int32
        public let inputs: [Input]
        public let outputs: [Output]
        public let lockTime: UInt32
        /// Serialised with BIP144 witness data.
        public let hasWitness: Bool
        /// Serialised size in bytes, witness included (`size` in `getrawtransaction`).
        public let size: Int

        /// The first transaction of a block, which creates coins from nothing.
        public var isCoinbase: Bool { inputs.count == 1 && inputs[0].previousOutput.isNull }

        /// Reads exactly one serialised transaction (`getrawtransaction <txid>`).
        public init(serialized bytes: [UInt8]) throws(BitcoinEncodingError) {
            // `withUnsafeBytes` rethrows untyped: carry the typed error out in a Result.
            self = try bytes.withUnsafeBytes { buffer in
                Result { () throws(BitcoinEncodingError) -> Transaction in
                    var reader = BlockReader(buffer, context: "transaction")
                    let transaction = try Transaction(reading: &reader, storage: bytes)
                    try reader.expectEnd()
                    return transaction
                }
            }.get()
        }

        /// Reads one transaction at the reader's position; `storage` is the array `reader` reads,
        /// so output scripts can be slices of it.
        init(reading reader: inout BlockReader, storage: [UInt8]) throws(BitcoinEncodingError) {
            let start = reader.offset
            version = Int32(bitPattern: try reader.uint32("version"))
            // BIP144: a zero where the input count would be is the marker; the flag must be 1.
            hasWitness = try reader.peekByte("input count") == 0
            if hasWitness {
                reader.offset += 1
                let flag = try reader.byte("segwit flag")
                guard flag == 0x01 else {
                    throw reader.error("transaction at offset \(start) has segwit flag 0x\(Hex.encode([flag])); only 0x01 is defined")
                }
            }
            let legacyStart = reader.offset
            let inputCount = try reader.length("input count", minimumElementSize: 41)
            var inputs: [Input] = []
            inputs.reserveCapacity(inputCount)
            for _ in 0..<inputCount {
                try reader.need(36, "previous output")
                let previous = OutPoint(txid: BitcoinHash(internalOrder: reader.buffer, at: reader.offset),
                                        index: reader.buffer.uint32(at: reader.offset + 32))
                reader.offset += 36
                try reader.skip(try reader.length("scriptSig"), "scriptSig")
                inputs.append(Input(previousOutput: previous, sequence: try reader.uint32("sequence")))
            }
            let outputCount = try reader.length("output count", minimumElementSize: 9)
            var outputs: [Output] = []
            outputs.reserveCapacity(outputCount)
            for _ in 0..<outputCount {
                let value = try reader.uint64("output value")
                let scriptLength = try reader.length("output script")
                let scriptStart = reader.offset
                try reader.skip(scriptLength, "output script")
                outputs.append(Output(value: value, scriptPubKey: storage[scriptStart..<reader.offset]))
            }
            let legacyEnd = reader.offset
            if hasWitness {
                var anyWitness = false
                for _ in 0..<inputCount {
                    let items = try reader.length("witness item count")
                    anyWitness = anyWitness || items > 0
                    for _ in 0..<items { try reader.skip(try reader.length("witness item"), "witness item") }
                }
                // Bitcoin Core refuses the segwit form without witness data ("superfluous witness record").
                guard anyWitness else {
                    throw reader.error("transaction at offset \(start) uses the segwit serialisation but every witness is empty")
                }
            }
            lockTime = try reader.uint32("lock time")
            size = reader.offset - start
            self.inputs = inputs
            self.outputs = outputs
            let buffer = reader.buffer
            let end = reader.offset
            if hasWitness {
                // The legacy serialisation is version || inputs and outputs || lock time: three
                // ranges of the bytes at hand, hashed without building it.
                var hasher = SHA256()
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[start..<start + 4]))
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[legacyStart..<legacyEnd]))
                hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[end - 4..<end]))
                txid = hasher.finalize().withUnsafeBytes { BitcoinHash(SHA256.hash(data: $0)) }
            } else {
                txid = BitcoinHash(DoubleSHA256.digest(UnsafeRawBufferPointer(rebasing: buffer[start..<end])))
            }
        }
    }

    public let header: Header
    public let transactions: [Transaction]
    /// Serialised size in bytes.
    public let size: Int

    /// The block's hash (its header's).
    public var hash: BitcoinHash { header.hash }

    /// Reads exactly one serialised block.
    public init(serialized bytes: [UInt8]) throws(BitcoinEncodingError) {
        (header, transactions) = try bytes.withUnsafeBytes { buffer in
            Result { () throws(BitcoinEncodingError) -> (Header, [Transaction]) in
            var reader = BlockReader(buffer, context: "block")
            try reader.need(Header.size, "header")
            let header = Header(at: 0, in: buffer)
            reader.offset = Header.size
            // The smallest transaction is 60 bytes (one input, one output, empty scripts).
            let count = try reader.length("transaction count", minimumElementSize: 60)
            guard count > 0 else { throw reader.error("block has no transactions; every block has a coinbase") }
            var transactions: [Transaction] = []
            transactions.reserveCapacity(count)
            for _ in 0..<count {
                transactions.append(try Transaction(reading: &reader, storage: bytes))
            }
            try reader.expectEnd()
            return (header, transactions)
            }
        }.get()
        size = bytes.count
    }

    /// Reads a hex-encoded block (`getblock <hash> 0`).
    public init(hex: some StringProtocol) throws(BitcoinEncodingError) {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(hex) } catch { throw BitcoinEncodingError("block: \(error)") }
        try self.init(serialized: bytes)
    }

    /// The merkle root of the transactions' txids, to compare with `header.merkleRoot`: proof that
    /// the transactions read are the ones the header (and so the block hash) commits to.
    public func computedMerkleRoot() -> BitcoinHash {
        var level = transactions.map(\.txid)
        guard !level.isEmpty else { return .zero }
        return withUnsafeTemporaryAllocation(byteCount: 64, alignment: 8) { pair in
            while level.count > 1 {
                // An odd level pairs its last hash with itself.
                if level.count % 2 == 1 { level.append(level[level.count - 1]) }
                var next: [BitcoinHash] = []
                next.reserveCapacity(level.count / 2)
                for index in stride(from: 0, to: level.count, by: 2) {
                    level[index].store(into: pair, at: 0)
                    level[index + 1].store(into: pair, at: 32)
                    next.append(BitcoinHash(DoubleSHA256.digest(UnsafeRawBufferPointer(pair))))
                }
                level = next
            }
            return level[0]
        }
    }
}

/// A bounds-checked cursor over a block's bytes; reads in place, throws on truncation.
struct BlockReader {
    let buffer: UnsafeRawBufferPointer
    var offset = 0
    let context: String

    init(_ buffer: UnsafeRawBufferPointer, context: String) {
        self.buffer = buffer
        self.context = context
    }

    func error(_ message: String) -> BitcoinEncodingError { BitcoinEncodingError("\(context): \(message)") }

    @inline(__always)
    func need(_ count: Int, _ what: String) throws(BitcoinEncodingError) {
        guard count <= buffer.count - offset else {
            throw error("truncated: \(what) needs \(count) bytes at offset \(offset), only \(buffer.count - offset) left")
        }
    }

    @inline(__always)
    mutating func skip(_ count: Int, _ what: String) throws(BitcoinEncodingError) {
        try need(count, what)
        offset += count
    }

    func peekByte(_ what: String) throws(BitcoinEncodingError) -> UInt8 {
        try need(1, what)
        return buffer[offset]
    }

    @inline(__always)
    mutating func byte(_ what: String) throws(BitcoinEncodingError) -> UInt8 {
        try need(1, what)
        defer { offset += 1 }
        return buffer[offset]
    }

    @inline(__always)
    mutating func uint32(_ what: String) throws(BitcoinEncodingError) -> UInt32 {
        try need(4, what)
        defer { offset += 4 }
        return buffer.uint32(at: offset)
    }

    @inline(__always)
    mutating func uint64(_ what: String) throws(BitcoinEncodingError) -> UInt64 {
        try need(8, what)
        defer { offset += 8 }
        return UInt64(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }

    /// A CompactSize; non-canonical encodings are refused, as Bitcoin Core does.
    mutating func compactSize(_ what: String) throws(BitcoinEncodingError) -> UInt64 {
        let first = try byte(what)
        let value: UInt64
        let minimum: UInt64
        switch first {
        case 0xFD:
            try need(2, what)
            value = UInt64(UInt16(littleEndian: buffer.loadUnaligned(fromByteOffset: offset, as: UInt16.self)))
            offset += 2
            minimum = 0xFD
        case 0xFE:
            value = UInt64(try uint32(what))
            minimum = 0x1_0000
        case 0xFF:
            value = try uint64(what)
            minimum = 0x1_0000_0000
        default:
            return UInt64(first)
        }
        guard value >= minimum else { throw error("non-canonical CompactSize for \(what) at offset \(offset)") }
        return value
    }

    /// A count or length that fits in what is left, so a forged count cannot allocate or overflow.
    mutating func length(_ what: String, minimumElementSize: Int = 1) throws(BitcoinEncodingError) -> Int {
        let value = try compactSize(what)
        guard value <= UInt64((buffer.count - offset) / minimumElementSize) else {
            throw error("truncated: \(what) is \(value) at offset \(offset), more than the \(buffer.count - offset) bytes left can hold")
        }
        return Int(value)
    }

    func expectEnd() throws(BitcoinEncodingError) {
        guard offset == buffer.count else {
            throw error("\(buffer.count - offset) unexpected bytes after the end at offset \(offset)")
        }
    }
}

extension UnsafeRawBufferPointer {
    /// A little-endian UInt32 at `offset` (bounds checked by the caller).
    @inline(__always)
    func uint32(at offset: Int) -> UInt32 {
        UInt32(littleEndian: loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }
}
