/// One payout as an EIP-1559 (type 2) transaction: the native coin to a recipient, or an ERC-20
/// `transfer(recipient, amount)` call to the token contract (value 0). The transaction is exactly
/// what the vault's `ethereum-tx` payload carries and what its intent check reads back as one
/// transfer: `to` and `value` for the native coin; for a token, the contract as `to` and the
/// 68 bytes of `transfer` call data.
public struct EthereumPayout: Sendable, Equatable {
    /// What is paid.
    public enum Asset: Sendable, Hashable {
        /// The chain's native coin (ETH), `amount` in wei.
        case native
        /// An ERC-20 token at `contract` (20 bytes), `amount` in its smallest unit.
        case erc20(contract: [UInt8])
    }

    /// Gas of a plain native transfer to an account without code.
    public static let nativeTransferGas: UInt64 = 21_000
    /// The largest chain id the vault's `ethereum-tx` payload carries (2^53, where JSON readers agree).
    public static let maximumChainID: UInt64 = 1 << 53

    public let chainID: UInt64
    public let nonce: UInt64
    public let fees: EIP1559Fees
    /// For the native coin usually ``nativeTransferGas``; for a token, an `eth_estimateGas` of the call with a margin.
    public let gasLimit: UInt64
    /// The 20-byte recipient.
    public let recipient: [UInt8]
    public let amount: UInt128
    public let asset: Asset
    /// The unsigned type-2 transaction (empty access list): the `tx` of the vault's `ethereum-tx` payload.
    public let transaction: EthereumTransaction

    /// A payout of `amount` to `recipient` (a `0x` address; mixed case must be a valid EIP-55
    /// checksum), of the native coin or, with `tokenContract`, of that ERC-20 token. The chain
    /// id must be in 1...2^53; the zero address is refused as a recipient and as a contract (a
    /// payout there is lost, and most tokens revert it).
    public init(chainID: UInt64, nonce: UInt64, fees: EIP1559Fees, gasLimit: UInt64, recipient: String, amount: UInt128,
                tokenContract: String? = nil) throws(EthereumPayoutError) {
        guard (1...Self.maximumChainID).contains(chainID) else {
            throw EthereumPayoutError(.invalidPayout, "chain id \(chainID) must be in 1...\(Self.maximumChainID)")
        }
        self.chainID = chainID
        self.nonce = nonce
        self.fees = fees
        self.gasLimit = gasLimit
        self.recipient = try Self.address(recipient, "recipient")
        self.amount = amount
        asset = try tokenContract.map { (contract) throws(EthereumPayoutError) in .erc20(contract: try Self.address(contract, "token contract")) } ?? .native
        transaction = try Self.transaction(chainID: chainID, nonce: nonce, fees: fees, gasLimit: gasLimit, recipient: self.recipient, amount: amount, asset: asset)
    }

    private static func address(_ text: String, _ what: String) throws(EthereumPayoutError) -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try EthereumAddress.decode(text) } catch { throw EthereumPayoutError(.invalidPayout, "\(what): \(error.description)") }
        guard bytes.contains(where: { $0 != 0 }) else { throw EthereumPayoutError(.invalidPayout, "\(what) is the zero address") }
        return bytes
    }

    private static func transaction(
        chainID: UInt64, nonce: UInt64, fees: EIP1559Fees, gasLimit: UInt64, recipient: [UInt8], amount: UInt128, asset: Asset
    ) throws(EthereumPayoutError) -> EthereumTransaction {
        do {
            let (to, value, data): ([UInt8], UInt128, [UInt8]) =
                switch asset {
                case .native: (recipient, amount, [])
                case .erc20(let contract): (contract, 0, try ERC20.transferCallData(to: recipient, amount: amount))
                }
            return try EthereumTransaction(
                chainID: EthereumQuantity(chainID), nonce: EthereumQuantity(nonce),
                fees: .dynamic(maxPriorityFeePerGas: EthereumQuantity(uint128: fees.maxPriorityFeePerGas), maxFeePerGas: EthereumQuantity(uint128: fees.maxFeePerGas)),
                gasLimit: EthereumQuantity(gasLimit), to: to, value: EthereumQuantity(uint128: value), data: data)
        } catch {
            // Unreachable: 20-byte addresses, a positive chain id, a tip within the fee cap.
            throw EthereumPayoutError(.invalidPayout, "\(error)")
        }
    }

    /// The most the transaction can pay in fees, in wei (`gasLimit` × `maxFeePerGas`): the least
    /// `fee` its signing intent must allow. Nil beyond 2^128 - 1.
    public var maximumFee: UInt128? { fees.maximumFee(gasLimit: gasLimit) }

    /// The recipient as the intent names it, EIP-55 checksummed.
    public var destination: String { EthereumAddress.checksummed(recipient) }

    /// The token contract, EIP-55 checksummed; nil for the native coin.
    public var tokenContract: String? {
        if case .erc20(let contract) = asset { return EthereumAddress.checksummed(contract) }
        return nil
    }
}
