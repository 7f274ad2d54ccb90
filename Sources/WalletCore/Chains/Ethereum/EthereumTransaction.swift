/// An unsigned Ethereum transaction of type 0 (legacy, signed with EIP-155 replay
/// protection), 1 (EIP-2930 access list) or 2 (EIP-1559 fee market).
///
/// The value is validated when built, so every instance has exactly one signing payload;
/// ``signed(with:)`` produces the raw bytes to broadcast.
public struct EthereumTransaction: Sendable, Equatable {
    /// How the transaction pays for gas; this also fixes its type.
    public enum Fees: Sendable, Equatable {
        /// Type 0: one gas price.
        case legacy(gasPrice: EthereumQuantity)
        /// Type 1 (EIP-2930): one gas price, with an access list.
        case accessList(gasPrice: EthereumQuantity)
        /// Type 2 (EIP-1559): a tip and a cap per gas unit.
        case dynamic(maxPriorityFeePerGas: EthereumQuantity, maxFeePerGas: EthereumQuantity)

        /// The EIP-2718 type byte.
        public var type: UInt8 {
            switch self {
            case .legacy: 0
            case .accessList: 1
            case .dynamic: 2
            }
        }
    }

    public let chainID: EthereumQuantity
    public let nonce: EthereumQuantity
    public let fees: Fees
    public let gasLimit: EthereumQuantity
    /// The 20-byte recipient, or nil to create a contract.
    public let to: [UInt8]?
    /// Wei.
    public let value: EthereumQuantity
    public let data: [UInt8]
    /// Empty for type 0, which cannot carry one.
    public let accessList: [EthereumAccessListEntry]

    /// Validates the combination: a positive chain id, a 20-byte `to`, no access list on type 0,
    /// a tip no larger than the fee cap, and (type 0) a chain id small enough for EIP-155's v.
    public init(
        chainID: EthereumQuantity, nonce: EthereumQuantity, fees: Fees, gasLimit: EthereumQuantity,
        to: [UInt8]?, value: EthereumQuantity, data: [UInt8], accessList: [EthereumAccessListEntry] = []
    ) throws(EthereumTransactionError) {
        guard chainID != .zero else { throw EthereumTransactionError("chain id must be at least 1") }
        if let to, to.count != 20 { throw EthereumTransactionError("to must be a 20-byte address, got \(to.count) bytes") }
        switch fees {
        case .legacy:
            guard accessList.isEmpty else {
                throw EthereumTransactionError("a type 0 (legacy) transaction cannot have an access list; use type 1 or 2")
            }
            guard Self.eip155V(chainID: chainID, recoveryID: 1) != nil else {
                throw EthereumTransactionError("chain id \(chainID) is too large for a legacy transaction: v = chain id * 2 + 36 exceeds 2^256 - 1")
            }
        case .accessList:
            break
        case .dynamic(let maxPriorityFeePerGas, let maxFeePerGas):
            guard maxPriorityFeePerGas <= maxFeePerGas else {
                throw EthereumTransactionError("max_priority_fee_per_gas (\(maxPriorityFeePerGas)) must not exceed max_fee_per_gas (\(maxFeePerGas))")
            }
        }
        self.chainID = chainID
        self.nonce = nonce
        self.fees = fees
        self.gasLimit = gasLimit
        self.to = to
        self.value = value
        self.data = data
        self.accessList = accessList
    }

    /// The EIP-2718 type: 0, 1 or 2.
    public var type: UInt8 { fees.type }

    /// The fields every type shares, in the order its RLP list carries them, without signature.
    var fieldItems: [RLP.Item] {
        let common: [RLP.Item] = [.quantity(gasLimit), .bytes(to ?? []), .quantity(value), .bytes(data)]
        let accessListItem = RLP.Item.list(accessList.map(\.rlp))
        switch fees {
        case .legacy(let gasPrice):
            return [.quantity(nonce), .quantity(gasPrice)] + common
        case .accessList(let gasPrice):
            return [.quantity(chainID), .quantity(nonce), .quantity(gasPrice)] + common + [accessListItem]
        case .dynamic(let maxPriorityFeePerGas, let maxFeePerGas):
            return [.quantity(chainID), .quantity(nonce), .quantity(maxPriorityFeePerGas), .quantity(maxFeePerGas)]
                + common + [accessListItem]
        }
    }

    /// The bytes whose Keccak-256 is signed: for type 0 (EIP-155)
    /// `rlp([nonce, gasPrice, gas, to, value, data, chainId, 0, 0])`, for types 1 and 2
    /// `type || rlp([chainId, nonce, ..., accessList])`.
    public var signingPayload: [UInt8] {
        if case .legacy = fees {
            return RLP.encode(.list(fieldItems + [.quantity(chainID), .bytes([]), .bytes([])]))
        }
        return [type] + RLP.encode(.list(fieldItems))
    }

    /// Keccak-256 of ``signingPayload``.
    public var signingHash: [UInt8] { Keccak256.hash(signingPayload) }

    /// Signs with `key` (RFC 6979, low S) and returns the broadcastable transaction.
    public func signed(with key: Secp256k1.PrivateKey) throws(EthereumTransactionError) -> SignedEthereumTransaction {
        let signature = try EthereumTransactionError.converting { try EthereumSignature.sign(digest: signingHash, with: key) }
        return SignedEthereumTransaction(transaction: self, signature: signature, from: EthereumAddress.encode(key.publicKey))
    }

    /// EIP-155: v = chainId * 2 + 35 + recovery id; nil if that exceeds 2^256 − 1.
    static func eip155V(chainID: EthereumQuantity, recoveryID: UInt8) -> EthereumQuantity? {
        chainID.multiplied(by: 2)?.adding(35 + UInt64(recoveryID))
    }
}

/// Why a transaction was refused (bad field, wrong combination, or undecodable raw bytes).
public struct EthereumTransactionError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension EthereumTransactionError {
    /// Runs `body`: an `EthereumTransactionError` passes through unchanged, any other error
    /// (RLP, JSON, signature) becomes one with `prefix` before its description.
    static func converting<T>(prefix: String = "", _ body: () throws -> T) throws(EthereumTransactionError) -> T {
        do {
            return try body()
        } catch let error as EthereumTransactionError {
            throw error
        } catch {
            throw EthereumTransactionError("\(prefix)\(error)")
        }
    }
}
