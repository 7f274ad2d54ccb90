import Chains
public import CofferBase
import Ledger
import Logging
public import Payouts
import WalletCore

extension PayoutService {
    /// The `chain` of a payout that Coffer routes.
    public static let autoRoute = "auto"

    /// Fee/speed routing: the chains of the caller that carry `asset` (their native asset or a
    /// registered token) to the address, have a hot wallet and answer a fee estimate now are
    /// quoted (the payout's fee at the network's current rate; confirmations × target block
    /// time), and the cheapest that meets the deadline gets the payout, with the choice and
    /// every quote recorded on it. A repeat of the id answers the payout it made.
    func createRouted(_ request: CreatePayoutRequest, by caller: Caller) async throws -> (view: PayoutView, created: Bool) {
        guard let asset = request.asset else { throw ServiceError.invalid("asset is required when chain is \"\(Self.autoRoute)\": the routes are the chains that carry it") }
        if let existing = try await store.payout(caller.stored(request.id)) {
            var routed = request
            routed.chain = caller.local(existing.payout.chain) ?? existing.payout.chain
            routed.deadline = nil
            return try await create(routed, route: existing.payout.route, by: caller)
        }
        let names = LedgerNames(caller)
        let code = try names.assetCode(asset, field: "asset")
        var quotes: [RouteQuote] = []
        var skipped: [String] = []
        for chain in try await chains.store.chains(scope: caller.tenant?.tenantID) {
            let network = try ChainNetwork.named(chain.network)
            var carries = chain.asset == code
            if !carries && network.family == .evm { carries = try await chains.store.tokens(chain: chain.name).contains { $0.asset == code } }
            guard carries, (try? AddressValidator.validate(request.to, network: network)) != nil, let hot = try await store.hotWallet(chain: chain.name) else { continue }
            do {
                let fee = try await quoteFee(chain, hot: hot, token: chain.asset != code)
                let seconds = UInt64(max(chain.confirmations, 1)) * UInt64(network.targetBlockSeconds)
                quotes.append(RouteQuote(chain: chain.name, feeAsset: chain.asset, fee: fee, seconds: seconds))
            } catch {
                // A node that does not answer is no route now; the others are compared.
                skipped.append("\(caller.local(chain.name) ?? chain.name): \(error)")
            }
        }
        let choice: RouteChoice
        do {
            choice = try RouteSelection.choose(quotes, deadline: request.deadline)
        } catch {
            throw ServiceError(.rejected, error.code, error.description + (skipped.isEmpty ? "" : " (unavailable: \(skipped.joined(separator: "; ")))"))
        }
        var routed = request
        routed.chain = caller.local(choice.quote.chain) ?? choice.quote.chain
        routed.deadline = nil
        let record = choice.record + (skipped.isEmpty ? "" : "; unavailable: \(skipped.count)")
        return try await create(routed, route: record, by: caller)
    }

    /// What one payout would pay in fees on `chain` now (native smallest units): a p2wpkh
    /// payment's share of a transaction at the node's rate, or a transfer's gas at the EVM fee cap.
    func quoteFee(_ chain: ChainConfig, hot: HotWallet, token: Bool) async throws -> UInt128 {
        switch try await edges(chain, hot, signing.vault, WalletChangeAddresses(chains: chains)) {
        case .bitcoin(let bitcoin):
            let rate = min(try await bitcoin.node.feeRate(blocks: 6) ?? hot.fallbackFeeRate, hot.maximumFeeRate)
            return UInt128((rate * Self.holdSize + 999) / 1_000)
        case .evm(let evm):
            let fees = try await evm.node.suggestedFees(cap: UInt128(hot.maximumFeeRate), minimumTip: UInt128(hot.fallbackFeeRate))
            return fees.maxFeePerGas * UInt128(token ? Self.tokenHoldGas : EthereumPayout.nativeTransferGas)
        }
    }
}
