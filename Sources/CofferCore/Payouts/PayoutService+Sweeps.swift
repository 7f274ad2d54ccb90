import Chains
public import CofferBase
import CofferStorage
import Crypto
import Ledger
import Tenancy
import Vault
public import Payouts
import WalletCore

/// `coffer payout sweep` / `POST /v1/sweeps`: consolidates the hot wallet's deposit addresses
/// into the hot wallet. Its id is the client's idempotency key (at most 64 characters): the
/// same id answers the sweep(s) it made.
public struct SweepRequest: Codable, Sendable, Equatable {
    public var id: String
    public var chain: String
    /// The sweep waits while the network asks more: sat/vB on Bitcoin-like chains (default the
    /// hot wallet's fallback rate, "fees are low"), gwei per gas on EVM chains (default its
    /// maximum).
    public var maxFeeRate: UInt64?
    /// Bitcoin-like chains: the most deposit outputs one sweep spends (2-500, default 100).
    public var maxInputs: Int?

    public init(id: String, chain: String, maxFeeRate: UInt64? = nil, maxInputs: Int? = nil) {
        self.id = id
        self.chain = chain
        self.maxFeeRate = maxFeeRate
        self.maxInputs = maxInputs
    }

    enum CodingKeys: String, CodingKey {
        case id, chain, maxFeeRate = "max_fee_rate", maxInputs = "max_inputs"
    }
}

extension PayoutService {
    /// Plans a sweep as payouts of their own, each through the pipeline and the signing policy:
    /// on a Bitcoin-like chain one consolidation of the deposit outputs (built when the network's
    /// fee rate is within the limit); on an EVM chain, per deposit address, a sweep of each asset
    /// credited there to the hot wallet, and for a token a gas top-up from the hot wallet first.
    /// Only fees move money in the ledger: from the chain's treasury to its fee account.
    public func sweep(_ request: SweepRequest, by caller: Caller) async throws -> (views: [PayoutView], created: Bool) {
        try caller.require(.admin)
        guard SigningRequestDocument.isValid(id: request.id), !request.id.contains("/"), request.id.utf8.count <= 64 else {
            throw ServiceError.invalid("id must be 1-64 characters of letters, digits, - _ . : (your idempotency key)")
        }
        let chain = try await chains.find(request.chain, by: caller)
        let family = try ChainNetwork.named(chain.network).family
        guard let hot = try await store.hotWallet(chain: chain.name) else {
            throw ServiceError(.rejected, "no-hot-wallet", "chain \(request.chain) has no hot wallet; `coffer chain hot-wallet` first")
        }
        if let rate = request.maxFeeRate, !(1...10_000).contains(rate) {
            throw ServiceError.invalid(family == .evm ? "max_fee_rate is whole gwei per gas from 1 to 10000" : "max_fee_rate is whole sat/vB from 1 to 10000")
        }
        if let inputs = request.maxInputs, !(2...500).contains(inputs) {
            throw ServiceError.invalid("max_inputs must be from 2 to 500")
        }
        let id = caller.stored(request.id)
        let existing = try await store.payouts(idPrefix: id).filter { $0.kind != .payout && ($0.id == id || $0.id.hasPrefix(id + ":")) }
        if !existing.isEmpty { return (try existing.map { try view($0, caller: caller) }, false) }
        let scale = Self.feeRateScale(family)
        let limit = (request.maxFeeRate.map { $0 * scale }) ?? (family == .evm ? hot.maximumFeeRate : hot.fallbackFeeRate)
        var planned: [Payout] = []
        let now = clock()
        let scope = caller.tenant?.tenantID ?? ""
        func payout(_ suffix: String?, kind: PayoutKind, destination: String, asset: String, token: String, amount: UInt128, feeHold: UInt128,
                    source: PayoutSource?, limits: SweepLimits?) -> Payout {
            let payoutID = suffix.map { id + ":" + $0 } ?? id
            return Payout(id: payoutID, scope: scope, chain: chain.name, account: hot.treasuryAccount, destination: destination, asset: asset, token: token,
                          amount: amount, feeHold: feeHold, status: .reserved, reason: nil, batchID: nil, transactionID: nil, fee: nil, confirmations: 0,
                          blockHeight: nil, transferID: "", createdAt: now, updatedAt: now, kind: kind, source: source, route: nil, sweepLimits: limits)
        }
        switch family {
        case .bitcoin:
            guard try await store.sweepableOutputs(chain: chain.name, walletID: hot.walletID, excluding: hot.address) >= 2 else {
                throw ServiceError(.rejected, "nothing-to-sweep", "fewer than two deposit outputs of the hot wallet's wallet wait on \(request.chain): nothing to consolidate")
            }
            let inputs = request.maxInputs ?? 100
            // The fee hold covers the largest consolidation at the limit: p2wpkh inputs, one output.
            let size = UInt64(11 + 68 * inputs + 43)
            planned.append(payout(nil, kind: .sweep, destination: "", asset: chain.asset, token: "", amount: 0, feeHold: UInt128((limit * size + 999) / 1_000),
                                  source: nil, limits: SweepLimits(maximumFeeRate: limit, maximumInputs: inputs)))
        case .evm:
            let tokens = Dictionary(try await chains.store.tokens(chain: chain.name).map { ($0.contract.lowercased(), $0) }) { first, _ in first }
            let tokenHold = UInt128(hot.maximumFeeRate) * UInt128(Self.tokenHoldGas)
            let nativeHold = UInt128(hot.maximumFeeRate) * UInt128(EthereumPayout.nativeTransferGas)
            for (index, source) in try await store.sweepSources(chain: chain.name, walletID: hot.walletID, excluding: hot.address).enumerated() {
                let from = PayoutSource(address: source.address, path: source.path)
                if source.token.isEmpty {
                    planned.append(payout("\(index)-sweep", kind: .sweep, destination: hot.address, asset: chain.asset, token: "", amount: source.remaining,
                                          feeHold: nativeHold, source: from, limits: SweepLimits(maximumFeeRate: limit, maximumInputs: 1)))
                    continue
                }
                guard let registered = tokens[source.token] else { continue }
                // The deposit address pays the token sweep's gas: the hot wallet sends it first.
                planned.append(payout("\(index)-top-up", kind: .topUp, destination: EthereumAddress.checksummed((try? EthereumAddress.decode(source.address)) ?? []),
                                      asset: chain.asset, token: "", amount: tokenHold, feeHold: nativeHold, source: nil, limits: nil))
                planned.append(payout("\(index)-sweep", kind: .sweep, destination: hot.address, asset: registered.asset,
                                      token: EthereumAddress.checksummed((try? EthereumAddress.decode(registered.contract)) ?? []), amount: source.remaining,
                                      feeHold: tokenHold, source: from, limits: SweepLimits(maximumFeeRate: limit, maximumInputs: 1)))
            }
        case .tron, .solana:
            throw ServiceError.invalid("sweeps run on Bitcoin-like and EVM chains so far")
        }
        guard !planned.isEmpty else {
            throw ServiceError(.rejected, "nothing-to-sweep", "no deposit address of the hot wallet's wallet holds anything to sweep on \(request.chain)")
        }
        let feeSource = FeeSource(account: hot.treasuryAccount, asset: chain.asset)
        for planned in planned {
            let digest = Hex.encode(Array(SHA256.hash(data: Array(planned.id.utf8)).prefix(16)))
            let base = (scope.isEmpty ? "" : scope + "/") + "po-" + digest
            let transfers = PayoutTransfers(base: base)
            let stored = planned.with(transferID: transfers.holdFee)
            try await LedgerPayouts(store: ledger.store).reserve(stored, transfers: transfers, custody: chain.custodyAccount, feeAccount: hot.feeAccount,
                                                                 feeSource: feeSource) { refusal, connection in
                let status = try PayoutMachine.next(.created, refusal.map { .rejected($0) } ?? .reserved)
                let payout = stored.with(status: status, reason: refusal)
                guard try PayoutStore.payout(payout.id, on: connection) == nil else { return }
                try PayoutStore.insert(payout, transferBase: base, requestHash: Self.hash([payout.id, payout.kind.rawValue]), on: connection)
                try PayoutEvents.append([payout], at: now, on: connection)
            }
        }
        let made = try await store.payouts(idPrefix: id).filter { $0.kind != .payout && ($0.id == id || $0.id.hasPrefix(id + ":")) }
        return (try made.map { try view($0, caller: caller) }, true)
    }
}

extension Payout {
    func with(transferID: String) -> Payout {
        Payout(id: id, scope: scope, chain: chain, account: account, destination: destination, asset: asset, token: token, amount: amount, feeHold: feeHold,
               status: status, reason: reason, batchID: batchID, transactionID: transactionID, fee: fee, confirmations: confirmations, blockHeight: blockHeight,
               transferID: transferID, createdAt: createdAt, updatedAt: updatedAt, kind: kind, source: source, route: route, sweepLimits: sweepLimits)
    }
}
