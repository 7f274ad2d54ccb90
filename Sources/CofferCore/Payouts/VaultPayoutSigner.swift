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

    public func sign(_ attempt: PayoutAttempt, chain: String, network: String, walletID: String, payouts: [Payout]) async throws -> SigningOutcome {
        let caller = try Caller.commandLine()
        guard let bitcoin = try ChainNetwork.named(network).bitcoin else {
            throw PayoutError(.internal, "not-bitcoin-like", "payouts on \(network) are not signed as PSBTs")
        }
        let psbt = try PSBT(base64: attempt.unsigned)
        guard let first = payouts.first else { throw PayoutError(.internal, "empty-batch", "batch \(attempt.batchID) has no payouts") }
        // The policy names assets as their owner writes them: a tenant's without its scope.
        let asset = first.scope.isEmpty ? first.asset : ((try? TenantScope(first.scope))?.local(first.asset) ?? first.asset)
        let intent = try SigningIntent(chain: BitcoinPSBTPayload.chain, wallet: walletID, outputs: payouts.map { SigningIntent.Output(destination: $0.destination, amount: $0.amount) },
                                       asset: asset, fee: attempt.fee)
        let document = try SigningRequestDocument(id: attempt.signingRequest, intent: intent, payload: .bitcoinPSBT(BitcoinPSBTPayload(network: bitcoin, psbt: psbt)))
        let record = try await signing.engine(caller).submit(document, unlocked: try signing.vault.unlocked(for: caller))
        switch record.status {
        case .signed:
            guard case .bitcoinPSBT(let result)? = record.result, let transaction = result.transaction else {
                throw PayoutError(.internal, "signing-incomplete", "the vault signed \(attempt.signingRequest) but the PSBT is not complete: an input is not the hot wallet's")
            }
            return .signed(raw: transaction.serialized(), transactionID: transaction.txid)
        case .pendingApproval:
            return .pendingApproval(record.decision.reason)
        case .denied:
            return .denied("\(record.decision.rule): \(record.decision.reason)")
        case .approved:
            throw PayoutError(.unavailable, "vault-locked", "signing request \(attempt.signingRequest) is approved but the vault is locked")
        }
    }
}
