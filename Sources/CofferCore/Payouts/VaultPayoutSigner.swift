import CofferBase
public import Payouts
import Vault
import WalletCore

/// Signs payout batches through the vault's signing requests: the policy decides (allow lists,
/// limits, M-of-N approvals) and the audit log records every decision and signature, as for any
/// other request. The request id is the attempt's (`payout-<batch>-<n>`), so asking again after a
/// crash returns the same request, and the vault signs it once.
public struct VaultPayoutSigner: PayoutSigning {
    public let signing: SigningRequestService

    public init(signing: SigningRequestService) { self.signing = signing }

    public func sign(_ attempt: PayoutAttempt, chain: String, network: String, hot: HotWallet, payouts: [Payout]) async throws -> SigningOutcome {
        let caller = try Caller.commandLine()
        guard let first = payouts.first else { throw PayoutError(.internal, "empty-batch", "batch \(attempt.batchID) has no payouts") }
        // The policy names assets as their owner writes them: a tenant's without its scope.
        let asset = first.scope.isEmpty ? first.asset : ((try? TenantScope(first.scope))?.local(first.asset) ?? first.asset)
        let registry = try ChainNetwork.named(network)
        let document: SigningRequestDocument
        switch registry.family {
        case .bitcoin:
            guard let bitcoin = registry.bitcoin else { throw PayoutError(.internal, "not-bitcoin-like", "payouts on \(network) are not signed as PSBTs") }
            let psbt = try PSBT(base64: attempt.unsigned)
            // A sweep's output is what its attempt moves (a fee replacement takes from it).
            let outputs = payouts.map { payout in
                payout.kind == .sweep && attempt.change != nil
                    ? SigningIntent.Output(destination: attempt.change!.address, amount: UInt128(attempt.change!.amount))
                    : SigningIntent.Output(destination: payout.destination, amount: payout.amount)
            }
            let intent = try SigningIntent(chain: BitcoinPSBTPayload.chain, wallet: hot.walletID, outputs: outputs, asset: asset, fee: attempt.fee)
            document = try SigningRequestDocument(id: attempt.signingRequest, intent: intent, payload: .bitcoinPSBT(BitcoinPSBTPayload(network: bitcoin, psbt: psbt)))
        case .evm:
            let payout = try EVMUnsignedPayout(decoding: attempt.unsigned).payout()
            let intent = SigningIntent(chain: EthereumTransactionPayload.chain, wallet: hot.walletID, destination: payout.destination, asset: asset,
                                       amount: payout.amount, fee: attempt.fee, tokenContract: payout.tokenContract)
            // A sweep pays from its deposit address, everything else from the hot wallet's.
            let sender = first.source ?? PayoutSource(address: hot.address, path: hot.path)
            let payload = try EthereumTransactionPayload(transaction: payout.transaction, path: try DerivationPath(parsing: sender.path))
            document = try SigningRequestDocument(id: attempt.signingRequest, intent: intent, payload: .ethereumTx(payload))
        case .tron, .solana:
            throw PayoutError(.internal, "payouts-unsupported", "payouts on \(network) are not signed here")
        }
        let record = try await signing.engine(caller).submit(document, unlocked: try signing.vault.unlocked(for: caller))
        switch record.status {
        case .signed:
            switch record.result {
            case .bitcoinPSBT(let result)?:
                guard let transaction = result.transaction else {
                    throw PayoutError(.internal, "signing-incomplete", "the vault signed \(attempt.signingRequest) but the PSBT is not complete: an input is not the hot wallet's")
                }
                return .signed(raw: transaction.serialized(), transactionID: transaction.txid)
            case .ethereumTx(let result)?:
                let sender = payouts.first?.source?.address ?? hot.address
                guard result.from.lowercased() == sender.lowercased() else {
                    throw PayoutError(.internal, "wrong-sender", "the vault signed \(attempt.signingRequest) with \(result.from), not the paying address \(sender)")
                }
                return .signed(raw: result.raw, transactionID: "0x" + Hex.encode(result.hash))
            default:
                throw PayoutError(.internal, "signing-incomplete", "the vault's answer to \(attempt.signingRequest) is not a signed transaction")
            }
        case .pendingApproval:
            return .pendingApproval(record.decision.reason)
        case .denied:
            return .denied("\(record.decision.rule): \(record.decision.reason)")
        case .approved:
            throw PayoutError(.unavailable, "vault-locked", "signing request \(attempt.signingRequest) is approved but the vault is locked")
        }
    }
}
