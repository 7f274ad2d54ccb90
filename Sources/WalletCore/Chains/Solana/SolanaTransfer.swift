/// What a Solana transaction pays in SOL: one System Program `Transfer` (lamports), decoded so a
/// signing policy can compare it with the stated intent. Compute-budget instructions may sit
/// beside it; any other program makes the transaction uncheckable and is refused.
public struct SolanaTransfer: Sendable, Equatable {
    public let source: String
    public let destination: String
    public let lamports: UInt64

    /// The System Program: 32 zero bytes ("11111111111111111111111111111111").
    static let systemProgram = [UInt8](repeating: 0, count: 32)
    /// "ComputeBudget111111111111111111111111111111".
    static let computeBudgetProgram: [UInt8] = try! Base58.decode("ComputeBudget111111111111111111111111111111")

    public init(message: SolanaMessage) throws(SolanaTransactionError) {
        var transfers: [(source: [UInt8], destination: [UInt8], lamports: UInt64)] = []
        for (position, instruction) in message.instructions.enumerated() {
            guard instruction.programIDIndex < message.accountKeys.count else {
                throw SolanaTransactionError("instruction \(position) calls a program from an address lookup table; it cannot be checked")
            }
            let program = message.accountKeys[instruction.programIDIndex]
            if program == Self.computeBudgetProgram { continue }
            guard program == Self.systemProgram else {
                throw SolanaTransactionError("instruction \(position) calls program \(SolanaAddress.encode(publicKey: program)), not a plain SOL transfer")
            }
            let data = instruction.data
            guard data.count == 12, data[0] == 2, data[1] == 0, data[2] == 0, data[3] == 0, instruction.accountIndices.count == 2 else {
                throw SolanaTransactionError("instruction \(position) is a System Program call other than Transfer")
            }
            let indices = instruction.accountIndices.map(Int.init)
            guard indices.allSatisfy({ $0 < message.accountKeys.count }) else {
                throw SolanaTransactionError("instruction \(position) uses accounts from an address lookup table; it cannot be checked")
            }
            let lamports = (0..<8).reduce(UInt64(0)) { $0 | UInt64(data[4 + $1]) << (8 * UInt64($1)) }
            transfers.append((message.accountKeys[indices[0]], message.accountKeys[indices[1]], lamports))
        }
        guard transfers.count == 1, let transfer = transfers.first else {
            throw SolanaTransactionError("the transaction must hold exactly one SOL transfer; it holds \(transfers.count)")
        }
        source = SolanaAddress.encode(publicKey: transfer.source)
        destination = SolanaAddress.encode(publicKey: transfer.destination)
        lamports = transfer.lamports
    }
}
