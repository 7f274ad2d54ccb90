/// A signed transaction: the raw bytes to broadcast (`eth_sendRawTransaction`), its hash and
/// its sender.
public struct SignedEthereumTransaction: Sendable, Equatable {
    public let transaction: EthereumTransaction
    public let signature: EthereumSignature
    /// The sender's EIP-55 address (recovered from the signature).
    public let from: String
    /// Type 0: `rlp([nonce, gasPrice, gas, to, value, data, v, r, s])`;
    /// types 1 and 2: `type || rlp([..., accessList, yParity, r, s])`.
    public let raw: [UInt8]

    init(transaction: EthereumTransaction, signature: EthereumSignature, from: String) {
        self.transaction = transaction
        self.signature = signature
        self.from = from
        let r = RLP.Item.bytes(Array(signature.r.drop(while: { $0 == 0 })))
        let s = RLP.Item.bytes(Array(signature.s.drop(while: { $0 == 0 })))
        if case .legacy = transaction.fees {
            // Validated in EthereumTransaction.init: v fits in 256 bits.
            let v = EthereumTransaction.eip155V(chainID: transaction.chainID, recoveryID: signature.recoveryID) ?? .zero
            raw = RLP.encode(.list(transaction.fieldItems + [.quantity(v), r, s]))
        } else {
            raw = [transaction.type] + RLP.encode(.list(transaction.fieldItems + [.quantity(EthereumQuantity(UInt64(signature.recoveryID))), r, s]))
        }
    }

    /// The transaction hash: Keccak-256 of ``raw``.
    public var hash: [UInt8] { Keccak256.hash(raw) }

    /// Decodes a raw signed transaction of type 0 (EIP-155 only), 1 or 2, checks that it is
    /// canonical and recovers its sender.
    public init(raw: [UInt8]) throws(EthereumTransactionError) {
        guard let first = raw.first else { throw EthereumTransactionError("raw transaction is empty") }
        let decoded = try EthereumTransactionError.converting { () throws -> (EthereumTransaction, EthereumSignature) in
            let decodeList = { (bytes: ArraySlice<UInt8>) throws(EthereumTransactionError) -> [RLP.Item] in
                try EthereumTransactionError.converting(prefix: "raw transaction is not valid RLP: ") { try RLP.decode(bytes).list("transaction") }
            }
            switch first {
            case 0xC0...0xFF: return try Self.decodeLegacy(try decodeList(raw[...]))
            case 0x01, 0x02: return try Self.decodeTyped(type: first, try decodeList(raw.dropFirst()))
            default: throw EthereumTransactionError("unsupported transaction type 0x\(Hex.encode([first])); expected a legacy RLP list, 0x01 or 0x02")
            }
        }
        let (transaction, signature) = decoded
        let from = try EthereumTransactionError.converting { try signature.recoverAddress(digest: transaction.signingHash) }
        self.init(transaction: transaction, signature: signature, from: from)
        guard self.raw == raw else { throw EthereumTransactionError("raw transaction is not canonically encoded") }
    }

    private static func decodeLegacy(_ items: [RLP.Item]) throws -> (EthereumTransaction, EthereumSignature) {
        guard items.count == 9 else { throw EthereumTransactionError("a legacy transaction has 9 fields, got \(items.count)") }
        let v = try items[6].quantity("v")
        guard let vMinus35 = v.subtracting(35) else {
            throw EthereumTransactionError("legacy transaction has v = \(v): transactions without EIP-155 replay protection are not supported")
        }
        let (chainID, recoveryID) = vMinus35.dividedReportingRemainder(by: 2)
        let transaction = try EthereumTransaction(
            chainID: chainID, nonce: try items[0].quantity("nonce"), fees: .legacy(gasPrice: try items[1].quantity("gas price")),
            gasLimit: try items[2].quantity("gas"), to: try recipient(items[3]), value: try items[4].quantity("value"),
            data: try items[5].bytes("data"))
        let signature = try EthereumSignature(
            r: try items[7].quantity("r").minimalBytes, s: try items[8].quantity("s").minimalBytes, recoveryID: UInt8(recoveryID))
        return (transaction, signature)
    }

    private static func decodeTyped(type: UInt8, _ items: [RLP.Item]) throws -> (EthereumTransaction, EthereumSignature) {
        let expected = type == 1 ? 11 : 12
        guard items.count == expected else {
            throw EthereumTransactionError("a type \(type) transaction has \(expected) fields, got \(items.count)")
        }
        let fees: EthereumTransaction.Fees =
            type == 1
            ? .accessList(gasPrice: try items[2].quantity("gas price"))
            : .dynamic(maxPriorityFeePerGas: try items[2].quantity("max priority fee per gas"), maxFeePerGas: try items[3].quantity("max fee per gas"))
        let rest = Array(items[(type == 1 ? 3 : 4)...])  // gas, to, value, data, access list, y parity, r, s
        let accessList = try rest[4].list("access list").enumerated().map { index, entry in
            try EthereumAccessListEntry(rlp: entry, field: "access list entry \(index)")
        }
        let transaction = try EthereumTransaction(
            chainID: try items[0].quantity("chain id"), nonce: try items[1].quantity("nonce"), fees: fees,
            gasLimit: try rest[0].quantity("gas"), to: try recipient(rest[1]), value: try rest[2].quantity("value"),
            data: try rest[3].bytes("data"), accessList: accessList)
        let parity = try rest[5].quantity("y parity")
        guard let recoveryID = parity.uint64, recoveryID <= 1 else {
            throw EthereumTransactionError("y parity must be 0 or 1, got \(parity)")
        }
        let signature = try EthereumSignature(
            r: try rest[6].quantity("r").minimalBytes, s: try rest[7].quantity("s").minimalBytes, recoveryID: UInt8(recoveryID))
        return (transaction, signature)
    }

    /// Empty means contract creation; otherwise exactly 20 bytes.
    private static func recipient(_ item: RLP.Item) throws -> [UInt8]? {
        let bytes = try item.bytes("to")
        return bytes.isEmpty ? nil : bytes
    }
}
