import CofferBase
import Foundation
public import WalletCore

/// An EVM payout attempt as it is stored before signing (`payout_attempts.unsigned`): the fields
/// of its EIP-1559 transaction in JSON, amounts as decimal strings. The signer rebuilds the
/// transaction from it (``payout``), so what is signed is exactly what was stored.
public struct EVMUnsignedPayout: Sendable, Equatable, Codable {
    public let chainID: UInt64
    public let nonce: UInt64
    public let maxPriorityFeePerGas: String
    public let maxFeePerGas: String
    public let gasLimit: UInt64
    /// The recipient, EIP-55.
    public let to: String
    public let amount: String
    /// The ERC-20 contract, or nil for the native coin.
    public let token: String?

    enum CodingKeys: String, CodingKey {
        case chainID = "chain_id", nonce, maxPriorityFeePerGas = "max_priority_fee_per_gas", maxFeePerGas = "max_fee_per_gas", gasLimit = "gas", to, amount, token
    }

    public init(_ payout: EthereumPayout) {
        chainID = payout.chainID
        nonce = payout.nonce
        maxPriorityFeePerGas = String(payout.fees.maxPriorityFeePerGas)
        maxFeePerGas = String(payout.fees.maxFeePerGas)
        gasLimit = payout.gasLimit
        to = payout.destination
        amount = String(payout.amount)
        token = payout.tokenContract
    }

    /// The stored text.
    public var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public init(decoding text: String) throws(PayoutError) {
        do {
            self = try JSONDecoder().decode(Self.self, from: Data(text.utf8))
        } catch {
            throw PayoutError(.internal, "unsigned-unreadable", "a stored EVM payout attempt is not readable: \(error)")
        }
    }

    /// The transaction to sign.
    public func payout() throws(PayoutError) -> EthereumPayout {
        guard let tip = UInt128(maxPriorityFeePerGas), let cap = UInt128(maxFeePerGas), let value = UInt128(amount) else {
            throw PayoutError(.internal, "unsigned-unreadable", "a stored EVM payout attempt has an unreadable amount or fee")
        }
        do {
            return try EthereumPayout(chainID: chainID, nonce: nonce, fees: try EIP1559Fees(maxPriorityFeePerGas: tip, maxFeePerGas: cap), gasLimit: gasLimit,
                                      recipient: to, amount: value, tokenContract: token)
        } catch {
            throw PayoutError(.internal, "unsigned-unreadable", "a stored EVM payout attempt does not make a transaction: \(error)")
        }
    }

    /// The fees it offers.
    public func fees() throws(PayoutError) -> EIP1559Fees { try payout().fees }
}
