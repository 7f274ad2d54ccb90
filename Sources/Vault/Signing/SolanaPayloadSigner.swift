import CofferBase
import WalletCore

/// Signs ``SolanaTransactionPayload``s: one SOL transfer (System Program `Transfer`, optionally
/// beside ComputeBudget instructions), signed with the wallet's ed25519 key in its
/// required-signer slot.
///
/// The most fee it can pay, in lamports: 5,000 per required signature, plus the priority fee,
/// `SetComputeUnitPrice` (micro-lamports per compute unit) × the compute-unit limit
/// (`SetComputeUnitLimit` as given, else the runtime's default of 200,000 per instruction that is
/// not a ComputeBudget one, at most 1,400,000) / 1,000,000, rounded up.
public struct SolanaPayloadSigner: PayloadSigner {
    public typealias Payload = SolanaTransactionPayload

    public init() {}

    public func decode(_ payload: SolanaTransactionPayload, walletKeys: WalletPublicKeys?) throws(PolicyError) -> DecodedPayload {
        let message = payload.transaction.message
        let transfer: SolanaTransfer
        do { transfer = try SolanaTransfer(message: message) } catch { throw PolicyError("\(error)") }
        return DecodedPayload(
            transfers: [DecodedTransfer(destination: transfer.destination, tokenContract: nil, amount: UInt128(transfer.lamports))],
            maximumFee: .atMost(try Self.maximumFee(message)), feeUnit: "lamports")
    }

    public func sign(_ payload: SolanaTransactionPayload, secret: WalletSecret) throws -> SigningResult {
        var transaction = payload.transaction
        let seed: SecretBytes
        switch secret {
        case .seed(let masterSeed):
            guard let path = payload.path else { throw PolicyError("an HD wallet needs a \"path\" such as m/44'/501'/0'/0'") }
            seed = try Ed25519HDKey(seed: masterSeed).derive(path: path).privateKey
        case .privateKey(let key, .ed25519):
            seed = key
        case .privateKey(_, .secp256k1):
            throw PolicyError("a secp256k1 key cannot sign Solana transactions")
        case .watchOnly:
            throw VaultError.watchOnly("of this request")
        }
        try transaction.sign(with: [try SolanaKeypair(seed: seed)])
        return .solanaTx(SolanaSigningResult(transaction: transaction))
    }

    static let lamportsPerSignature: UInt128 = 5_000
    static let defaultUnitsPerInstruction: UInt128 = 200_000
    static let maximumUnits: UInt128 = 1_400_000
    static let microLamportsPerLamport: UInt128 = 1_000_000
    /// "ComputeBudget111111111111111111111111111111".
    static let computeBudgetProgram: [UInt8] = try! Base58.decode("ComputeBudget111111111111111111111111111111")

    /// Base fee plus priority fee, from the message's header and ComputeBudget instructions. A
    /// ComputeBudget instruction that is malformed, unknown or repeated (which the runtime
    /// refuses) makes the fee uncheckable.
    static func maximumFee(_ message: SolanaMessage) throws(PolicyError) -> UInt128 {
        var unitLimit: UInt32?
        var unitPrice: UInt64?
        var otherInstructions: UInt128 = 0
        for (position, instruction) in message.instructions.enumerated() {
            guard message.accountKeys[instruction.programIDIndex] == computeBudgetProgram else {
                otherInstructions += 1
                continue
            }
            let data = instruction.data
            func littleEndian(_ bytes: ArraySlice<UInt8>) -> UInt64 { bytes.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) } }
            switch (data.first, data.count) {
            case (2, 5):
                guard unitLimit == nil else { throw PolicyError("instruction \(position) sets the compute-unit limit a second time; the network refuses such a transaction") }
                unitLimit = UInt32(littleEndian(data[1...]))
            case (3, 9):
                guard unitPrice == nil else { throw PolicyError("instruction \(position) sets the compute-unit price a second time; the network refuses such a transaction") }
                unitPrice = littleEndian(data[1...])
            case (1, 5), (4, 5):
                break  // RequestHeapFrame, SetLoadedAccountsDataSizeLimit: no effect on the fee.
            default:
                throw PolicyError("instruction \(position) is a ComputeBudget instruction Coffer cannot read, so the fee cannot be checked")
            }
        }
        let units = unitLimit.map { UInt128($0) } ?? min(defaultUnitsPerInstruction * otherInstructions, maximumUnits)
        // At most (2^64 - 1) × (2^32 - 1) micro-lamports: far inside UInt128.
        let (microLamports, overflow) = UInt128(unitPrice ?? 0).multipliedReportingOverflow(by: units)
        guard !overflow else { throw PolicyError("the priority fee exceeds 2^128-1 micro-lamports") }
        let priorityFee = microLamports / microLamportsPerLamport + (microLamports % microLamportsPerLamport == 0 ? 0 : 1)
        return lamportsPerSignature * UInt128(message.header.requiredSignatures) + priorityFee
    }
}
