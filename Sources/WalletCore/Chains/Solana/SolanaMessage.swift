/// A Solana transaction message (legacy or v0), parsed and checked the way the runtime
/// sanitizes it. The exact bytes given are kept: they are what signers sign.
public struct SolanaMessage: Sendable, Equatable {
    /// Message format: legacy, or versioned v0 (with address lookup tables).
    public enum Version: Sendable, Equatable {
        case legacy
        case v0
    }

    /// The three counts that say which account keys sign and which are writable.
    public struct Header: Sendable, Equatable {
        /// The first `requiredSignatures` account keys must sign; the first of them pays the fee.
        public let requiredSignatures: Int
        /// The last `readonlySigned` of the signers are read-only.
        public let readonlySigned: Int
        /// The last `readonlyUnsigned` of the other static keys are read-only.
        public let readonlyUnsigned: Int
    }

    /// One instruction: a program, the accounts it touches (indices into all keys), its data.
    public struct Instruction: Sendable, Equatable {
        public let programIDIndex: Int
        public let accountIndices: [UInt8]
        public let data: [UInt8]
    }

    /// v0: accounts loaded from an on-chain address lookup table, by index into that table.
    public struct AddressTableLookup: Sendable, Equatable {
        public let tableAddress: [UInt8]
        public let writableIndices: [UInt8]
        public let readonlyIndices: [UInt8]
    }

    public let version: Version
    public let header: Header
    /// The static account keys, 32 bytes each; signers first.
    public let accountKeys: [[UInt8]]
    public let recentBlockhash: [UInt8]
    public let instructions: [Instruction]
    /// Empty for legacy messages.
    public let addressTableLookups: [AddressTableLookup]
    /// The serialized message: the bytes every signer signs.
    public let serialized: [UInt8]

    /// The public keys that must sign, in signature order.
    public var signerKeys: ArraySlice<[UInt8]> { accountKeys.prefix(header.requiredSignatures) }

    /// Parses a whole serialized message; bytes after it are an error.
    public init(serialized bytes: [UInt8]) throws(SolanaTransactionError) {
        var reader = SolanaWireReader(bytes)
        try self.init(reading: &reader)
        guard reader.remaining == 0 else {
            throw SolanaTransactionError("message has \(reader.remaining) bytes after its end")
        }
    }

    /// Parses the message at the reader's position up to where it ends.
    init(reading reader: inout SolanaWireReader) throws(SolanaTransactionError) {
        let start = reader.offset
        let first = try reader.readByte("the message header")
        if first & 0x80 != 0 {
            guard first & 0x7F == 0 else {
                throw SolanaTransactionError("unsupported message version \(first & 0x7F); only legacy and v0 exist")
            }
            version = .v0
            header = Header(
                requiredSignatures: Int(try reader.readByte("the message header")),
                readonlySigned: Int(try reader.readByte("the message header")),
                readonlyUnsigned: Int(try reader.readByte("the message header")))
        } else {
            version = .legacy
            header = Header(
                requiredSignatures: Int(first),
                readonlySigned: Int(try reader.readByte("the message header")),
                readonlyUnsigned: Int(try reader.readByte("the message header")))
        }
        let keyCount = try reader.readCompactU16("the account keys")
        accountKeys = try reader.readArray(keyCount, of: 32, "the account keys")
        recentBlockhash = try reader.readBytes(32, "the recent blockhash")
        let instructionCount = try reader.readCompactU16("the instructions")
        var instructions: [Instruction] = []
        for index in 0..<instructionCount {
            let what = "instruction \(index)"
            let program = Int(try reader.readByte(what))
            let accounts = try reader.readBytes(try reader.readCompactU16("\(what)'s accounts"), "\(what)'s accounts")
            let data = try reader.readBytes(try reader.readCompactU16("\(what)'s data"), "\(what)'s data")
            instructions.append(Instruction(programIDIndex: program, accountIndices: accounts, data: data))
        }
        self.instructions = instructions
        var lookups: [AddressTableLookup] = []
        if version == .v0 {
            let lookupCount = try reader.readCompactU16("the address table lookups")
            for index in 0..<lookupCount {
                let what = "address table lookup \(index)"
                let table = try reader.readBytes(32, what)
                let writable = try reader.readBytes(try reader.readCompactU16("\(what)'s writable indices"), what)
                let readonly = try reader.readBytes(try reader.readCompactU16("\(what)'s readonly indices"), what)
                lookups.append(AddressTableLookup(tableAddress: table, writableIndices: writable, readonlyIndices: readonly))
            }
        }
        addressTableLookups = lookups
        serialized = Array(reader.bytes[start..<reader.offset])
        try sanitize()
    }

    /// The runtime's structural rules (solana-program's Message::sanitize and v0's).
    private func sanitize() throws(SolanaTransactionError) {
        guard header.requiredSignatures >= 1 else {
            throw SolanaTransactionError("message requires no signatures; the fee payer must sign")
        }
        guard header.readonlySigned < header.requiredSignatures else {
            throw SolanaTransactionError("message marks all \(header.requiredSignatures) signers read-only; the fee payer must be writable")
        }
        guard header.requiredSignatures + header.readonlyUnsigned <= accountKeys.count else {
            throw SolanaTransactionError(
                "message header counts \(header.requiredSignatures) signers and \(header.readonlyUnsigned) read-only accounts but has only \(accountKeys.count) account keys")
        }
        guard Set(accountKeys).count == accountKeys.count else {
            throw SolanaTransactionError("message lists the same account key twice")
        }
        var loadedCount = 0
        for (index, lookup) in addressTableLookups.enumerated() {
            guard !lookup.writableIndices.isEmpty || !lookup.readonlyIndices.isEmpty else {
                throw SolanaTransactionError("address table lookup \(index) loads no accounts")
            }
            loadedCount += lookup.writableIndices.count + lookup.readonlyIndices.count
        }
        let totalKeys = accountKeys.count + loadedCount
        guard totalKeys <= 256 else {
            throw SolanaTransactionError("message uses \(totalKeys) accounts; at most 256 can be addressed")
        }
        for (index, instruction) in instructions.enumerated() {
            guard instruction.programIDIndex < accountKeys.count else {
                throw SolanaTransactionError(
                    "instruction \(index)'s program index \(instruction.programIDIndex) is not one of the \(accountKeys.count) static account keys")
            }
            guard instruction.programIDIndex != 0 else {
                throw SolanaTransactionError("instruction \(index) calls the fee payer as its program")
            }
            if let bad = instruction.accountIndices.first(where: { Int($0) >= totalKeys }) {
                throw SolanaTransactionError("instruction \(index) refers to account \(bad); the message has \(totalKeys)")
            }
        }
    }
}
