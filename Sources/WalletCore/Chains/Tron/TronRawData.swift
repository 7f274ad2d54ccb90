/// The fields of a TRON `Transaction.raw` (protobuf) that a signer checks before signing.
///
/// Only the outer message is read; contracts stay opaque bytes. Reading it proves the input is a
/// transaction body (not a txID, a signed transaction or JSON pasted by mistake) and exposes
/// what an operator may want to see or police: block reference, expiry, contract count, fee limit.
public struct TronRawData: Sendable, Equatable {
    /// Field 1: the 2 bytes of the reference block's height.
    public let refBlockBytes: [UInt8]
    /// Field 4: 8 bytes of the reference block's hash.
    public let refBlockHash: [UInt8]
    /// Field 8: expiry, milliseconds since 1970.
    public let expiration: UInt64
    /// Field 14: creation time, milliseconds since 1970, when present.
    public let timestamp: UInt64?
    /// Field 18: the most SUN the transaction may burn for energy, when present.
    public let feeLimit: UInt64?
    /// Field 11: the contracts, each a serialised `Transaction.Contract`.
    public let contracts: [[UInt8]]

    /// Parses the protobuf wire format strictly: no truncation, no unknown wire types, no
    /// trailing bytes, and the fields every TRON transaction has (1, 4, 8 and at least one 11).
    public init(_ bytes: [UInt8]) throws(TronTransactionError) {
        guard !bytes.isEmpty else { throw TronTransactionError("raw_data is empty") }
        var reader = ProtobufReader(bytes)
        var refBlockBytes: [UInt8]?, refBlockHash: [UInt8]?, expiration: UInt64?
        var timestamp: UInt64?, feeLimit: UInt64?
        var contracts: [[UInt8]] = []
        while !reader.isAtEnd {
            let (field, wireType) = try reader.readKey()
            switch (field, wireType) {
            case (1, 2): refBlockBytes = try reader.readLengthDelimited()
            case (4, 2): refBlockHash = try reader.readLengthDelimited()
            case (8, 0): expiration = try reader.readVarint()
            case (11, 2): contracts.append(try reader.readLengthDelimited())
            case (14, 0): timestamp = try reader.readVarint()
            case (18, 0): feeLimit = try reader.readVarint()
            case (1, _), (4, _), (8, _), (11, _), (14, _), (18, _):
                throw TronTransactionError("raw_data field \(field) has wire type \(wireType), not the one TRON uses")
            default: try reader.skip(wireType: wireType, field: field)
            }
        }
        guard let refBlockBytes, refBlockBytes.count == 2 else {
            throw TronTransactionError("raw_data is not a TRON transaction: ref_block_bytes (field 1, 2 bytes) is missing or wrong")
        }
        guard let refBlockHash, refBlockHash.count == 8 else {
            throw TronTransactionError("raw_data is not a TRON transaction: ref_block_hash (field 4, 8 bytes) is missing or wrong")
        }
        guard let expiration else {
            throw TronTransactionError("raw_data is not a TRON transaction: expiration (field 8) is missing")
        }
        guard !contracts.isEmpty else {
            throw TronTransactionError("raw_data is not a TRON transaction: it has no contract (field 11)")
        }
        self.refBlockBytes = refBlockBytes
        self.refBlockHash = refBlockHash
        self.expiration = expiration
        self.timestamp = timestamp
        self.feeLimit = feeLimit
        self.contracts = contracts
    }
}

/// Protobuf wire-format reading, bounds-checked at every step.
struct ProtobufReader {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var isAtEnd: Bool { offset >= bytes.count }

    mutating func readVarint() throws(TronTransactionError) -> UInt64 {
        var value: UInt64 = 0
        for index in 0..<10 {
            guard offset < bytes.count else { throw TronTransactionError("raw_data is truncated inside a varint") }
            let byte = bytes[offset]
            offset += 1
            if index == 9 && byte > 1 { throw TronTransactionError("raw_data has a varint longer than 64 bits") }
            value |= UInt64(byte & 0x7F) << (7 * UInt64(index))
            if byte & 0x80 == 0 { return value }
        }
        throw TronTransactionError("raw_data has a varint longer than 64 bits")
    }

    mutating func readKey() throws(TronTransactionError) -> (field: UInt64, wireType: UInt64) {
        let key = try readVarint()
        let field = key >> 3
        guard field >= 1 else { throw TronTransactionError("raw_data has a field number 0 at byte \(offset)") }
        return (field, key & 7)
    }

    mutating func readLengthDelimited() throws(TronTransactionError) -> [UInt8] {
        let length = try readVarint()
        guard length <= UInt64(bytes.count - offset) else {
            throw TronTransactionError("raw_data is truncated: a field claims \(length) bytes, \(bytes.count - offset) remain")
        }
        let end = offset + Int(length)
        defer { offset = end }
        return Array(bytes[offset..<end])
    }

    mutating func skip(wireType: UInt64, field: UInt64) throws(TronTransactionError) {
        switch wireType {
        case 0: _ = try readVarint()
        case 1: try advance(8)
        case 2: _ = try readLengthDelimited()
        case 5: try advance(4)
        default: throw TronTransactionError("raw_data field \(field) has unsupported wire type \(wireType)")
        }
    }

    private mutating func advance(_ count: Int) throws(TronTransactionError) {
        guard bytes.count - offset >= count else { throw TronTransactionError("raw_data is truncated inside a fixed-size field") }
        offset += count
    }
}
