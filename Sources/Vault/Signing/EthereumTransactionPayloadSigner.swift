import CofferBase
import WalletCore

/// Signs ``EthereumTransactionPayload``s. The transfer it makes is the native `value` to `to`, or,
/// when `data` is an ERC-20 `transfer(address,uint256)` call, that amount of the token at `to` to
/// the call's recipient; other calls and contract creation cannot be checked and are refused.
/// The most fee it can pay is `gas` × `gas_price` (types 0 and 1) or `gas` × `max_fee_per_gas`
/// (type 2), in wei.
public struct EthereumTransactionPayloadSigner: PayloadSigner {
    public typealias Payload = EthereumTransactionPayload

    public init() {}

    static let transferSelector = ERC20.transferFunction.selector

    public func decode(_ payload: EthereumTransactionPayload, walletKeys: WalletPublicKeys?) throws(PolicyError) -> DecodedPayload {
        DecodedPayload(transfers: [try Self.transfer(payload.transaction)], maximumFee: Self.maximumFee(payload.transaction), feeUnit: "wei")
    }

    public func sign(_ payload: EthereumTransactionPayload, secret: WalletSecret) throws -> SigningResult {
        let signer = try WalletSigner.key(from: secret, curve: .secp256k1, path: payload.path, walletID: "")
        guard let key = signer.secp256k1Key else { throw PolicyError("no secp256k1 key") }
        return .ethereumTx(EthereumSigningResult(try payload.transaction.signed(with: key)))
    }

    static func transfer(_ transaction: EthereumTransaction) throws(PolicyError) -> DecodedTransfer {
        guard let to = transaction.to else { throw PolicyError("a contract creation is not a transfer; it cannot match an intent") }
        let data = transaction.data
        if data.isEmpty {
            return DecodedTransfer(destination: EthereumAddress.checksummed(to), tokenContract: nil, amount: try Self.amount(transaction.value.minimalBytes))
        }
        guard data.count == 68, Array(data[0..<4]) == Self.transferSelector, data[4..<16].allSatisfy({ $0 == 0 }) else {
            throw PolicyError("the transaction calls a contract with data that is not an ERC-20 transfer(address,uint256); only plain and ERC-20 transfers can be checked against an intent")
        }
        guard transaction.value == .zero else { throw PolicyError("an ERC-20 transfer must not also send ether (value must be 0)") }
        let recipient = Array(data[16..<36])
        let amountWord = data[36..<68].drop(while: { $0 == 0 })
        return DecodedTransfer(
            destination: EthereumAddress.checksummed(recipient), tokenContract: EthereumAddress.checksummed(to),
            amount: try Self.amount(Array(amountWord)))
    }

    /// `gas` × the highest price per gas the transaction accepts, overflow-checked.
    static func maximumFee(_ transaction: EthereumTransaction) -> MaximumFee {
        let pricePerGas: EthereumQuantity =
            switch transaction.fees {
            case .legacy(let gasPrice), .accessList(let gasPrice): gasPrice
            case .dynamic(_, let maxFeePerGas): maxFeePerGas
            }
        if transaction.gasLimit == .zero || pricePerGas == .zero { return .atMost(0) }
        guard let gas = try? amount(transaction.gasLimit.minimalBytes), let price = try? amount(pricePerGas.minimalBytes) else { return .beyondUInt128 }
        let (fee, overflow) = gas.multipliedReportingOverflow(by: price)
        return overflow ? .beyondUInt128 : .atMost(fee)
    }

    static func amount(_ bigEndian: [UInt8]) throws(PolicyError) -> UInt128 {
        guard bigEndian.count <= 16 else { throw PolicyError("the amount exceeds 2^128-1 smallest units") }
        return bigEndian.reduce(UInt128(0)) { $0 << 8 | UInt128($1) }
    }
}
