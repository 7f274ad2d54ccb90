import CofferBase
import WalletCore

/// Signs ``TronTransactionPayload``s: a TRX transfer (`TransferContract`) or a TRC-20 `transfer`
/// through `TriggerSmartContract` (with the intent's `token_contract`), signed as TronWeb does
/// (txID = SHA-256(raw_data), r||s||v with v = 27/28).
///
/// The most fee it can pay is raw_data's `fee_limit` (field 18; 0 when absent), the cap on TRX
/// burnt for energy. Bandwidth burnt when the account has no free bandwidth left, and the fee for
/// activating a new account, are charged by the network and are not in the transaction.
public struct TronPayloadSigner: PayloadSigner {
    public typealias Payload = TronTransactionPayload

    public init() {}

    public func decode(_ payload: TronTransactionPayload, walletKeys: WalletPublicKeys?) throws(PolicyError) -> DecodedPayload {
        let transfer: TronTransfer
        let raw: TronRawData
        do {
            raw = try TronRawData(payload.rawData)
            transfer = try TronTransfer(rawData: payload.rawData)
        } catch {
            throw PolicyError("\(error)")
        }
        guard transfer.amount.count <= 16 else { throw PolicyError("the amount exceeds 2^128-1 smallest units") }
        return DecodedPayload(
            transfers: [DecodedTransfer(destination: transfer.destination, tokenContract: transfer.tokenContract,
                                        amount: transfer.amount.reduce(UInt128(0)) { $0 << 8 | UInt128($1) })],
            maximumFee: .atMost(UInt128(raw.feeLimit ?? 0)), feeUnit: "SUN")
    }

    public func sign(_ payload: TronTransactionPayload, secret: WalletSecret) throws -> SigningResult {
        guard let key = try WalletSigner.key(from: secret, curve: .secp256k1, path: payload.path, walletID: "").secp256k1Key else {
            throw PolicyError("no secp256k1 key")
        }
        let signature = try TronTransactionSigner.sign(rawData: payload.rawData, with: key)
        return .tronTx(TronSigningResult(txID: signature.txID, signature: signature.signature))
    }
}
