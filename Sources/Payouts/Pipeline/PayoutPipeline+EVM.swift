import Chains
import Logging
import CofferBase
import WalletCore

/// The EVM side of the pipeline: one transaction per payout from the hot wallet's address, its
/// nonce from the nonce manager (``PayoutStore/createEVMBatch(_:payout:sender:floor:build:)``),
/// EIP-1559 fees from `eth_feeHistory`, gas from `eth_estimateGas`; a stuck transaction is
/// replaced by the same nonce at higher fees; a transaction fails only when its nonce was
/// consumed by a transaction that is not one of its attempts, that many blocks deep.
extension PayoutPipeline {
    func batch(hot: HotWallet, evm: EVMRail, report: inout PassReport) async throws {
        let queued = try await store.queued(chain: chain.name, limit: settings.maximumBatch, kinds: PayoutKind.allCases)
        guard let oldest = queued.first else { return }
        let now = clock()
        guard queued.count >= settings.maximumBatch || now - oldest.payout.createdAt >= settings.batchWindow else { return }
        let fees: EIP1559Fees
        do {
            fees = try await evm.node.suggestedFees(cap: UInt128(hot.maximumFeeRate), minimumTip: UInt128(hot.fallbackFeeRate))
        } catch let error as EthereumPayoutError where error.kind == .feeCapBelowBaseFee {
            report.errors.append("\(queued.count) payout(s) wait: \(error.description)")
            return
        }
        // Per sending address (the hot wallet's, or a deposit address a sweep empties): its
        // account as the node sees it, less what this pass has committed. A payout that must wait
        // holds back the later ones of its sender, so their nonces stay consecutive.
        var accounts: [String: EVMAccountState] = [:]
        var available: [String: UInt128] = [:]
        var waiting: Set<String> = []
        for entry in queued {
            let payout = entry.payout
            let sender = payout.source?.address ?? hot.address
            guard !waiting.contains(sender) else { continue }
            if accounts[sender] == nil {
                let account = try await evm.node.account(sender)
                accounts[sender] = account
                available[sender] = account.balance
            }
            if let limits = payout.sweepLimits, fees.maxFeePerGas > UInt128(limits.maximumFeeRate) {
                report.errors.append("sweep \(payout.id) waits for lower fees: \(fees.maxFeePerGas) wei per gas, its limit is \(limits.maximumFeeRate)")
                waiting.insert(sender)
                continue
            }
            // A native sweep empties its deposit address (an account of Coffer's, without code).
            let nativeSweep = payout.kind == .sweep && payout.token.isEmpty
            let gas: UInt64
            do {
                gas = nativeSweep ? EthereumPayout.nativeTransferGas : try await gasLimit(payout, from: sender, evm: evm)
            } catch let error as any CofferError where error.category == .rejected || error.category == .invalidInput {
                // The call would revert (the sender lacks the token, or the gas...): it waits.
                report.errors.append("payout \(payout.id) waits: the node cannot run its transfer from \(sender) now: \(error.description)")
                waiting.insert(sender)
                continue
            }
            guard let maximumFee = fees.maximumFee(gasLimit: gas), maximumFee <= payout.feeHold else {
                report.errors.append("payout \(payout.id) waits: \(gas) gas at \(fees.maxFeePerGas) wei could cost more than its fee hold of \(payout.feeHold)")
                waiting.insert(sender)
                continue
            }
            var amount = payout.amount
            if nativeSweep {
                let balance = available[sender, default: 0]
                guard balance > maximumFee else {
                    report.errors.append("sweep \(payout.id) waits: \(sender) holds \(balance) wei, not more than the fee of moving it (\(maximumFee))")
                    waiting.insert(sender)
                    continue
                }
                amount = balance - maximumFee
            }
            let needed = (payout.token.isEmpty ? amount : 0) + maximumFee
            guard needed <= available[sender, default: 0] else {
                report.errors.append("payout \(payout.id) waits: \(sender) has \(available[sender, default: 0]) wei, the payout needs \(needed)")
                waiting.insert(sender)
                continue
            }
            let batchID = "pb-\(entry.sequence)"
            let batch = PayoutBatch(id: batchID, chain: chain.name, status: .reserved, attempt: 1, conflictHeight: nil, reason: nil, createdAt: now, updatedAt: now)
            let chainID = evm.chainID
            let floor = accounts[sender]?.minedNonce ?? 0
            let sweptAmount = nativeSweep ? amount : nil
            let paid = amount
            let created = try await store.createEVMBatch(batch, payout: payout.id, sender: sender, floor: floor, alongside: { connection in
                if let sweptAmount { try PayoutStore.setSweepOutput(payout: payout.id, destination: payout.destination, amount: sweptAmount, on: connection) }
            }) { nonce in
                let transaction = try EthereumPayout(chainID: chainID, nonce: nonce, fees: fees, gasLimit: gas, recipient: payout.destination, amount: paid,
                                                     tokenContract: payout.token.isEmpty ? nil : payout.token)
                return PayoutAttempt(batchID: batchID, number: 1, unsigned: EVMUnsignedPayout(transaction).encoded, signingRequest: Self.signingRequest(batchID, 1),
                                     raw: nil, transactionID: nil, fee: maximumFee, size: gas, broadcastAt: nil, change: nil)
            }
            guard created != nil else { return }
            CrashPoint.afterBatch.reach()
            available[sender, default: 0] -= needed
            report.batched += 1
        }
    }

    /// The node's gas estimate of the payout's transfer, with the margin (a plain transfer to an
    /// account without code costs exactly 21,000).
    func gasLimit(_ payout: Payout, from sender: String, evm: EVMRail) async throws -> UInt64 {
        let estimate = try await evm.node.estimateGas(try Self.call(payout, from: sender))
        if payout.token.isEmpty && estimate == EthereumPayout.nativeTransferGas { return estimate }
        return estimate + (estimate * evm.gasMarginPercent + 99) / 100
    }

    /// What the payout's transaction calls: the recipient with the value, or the token's `transfer`.
    static func call(_ payout: Payout, from sender: String) throws -> EVMGasQuery {
        if payout.token.isEmpty {
            return EVMGasQuery(from: sender, to: payout.destination, value: payout.amount, data: [])
        }
        let recipient: [UInt8]
        do { recipient = try EthereumAddress.decode(payout.destination) } catch {
            throw PayoutError(.internal, "bad-destination", "payout \(payout.id) has an unreadable destination")
        }
        return EVMGasQuery(from: sender, to: payout.token, value: 0, data: try ERC20.transferCallData(to: recipient, amount: payout.amount))
    }

    /// Whether the chain consumed the batch's nonce (a mined transaction of the hot wallet
    /// used it); with none of the batch's attempts mined, someone else's did.
    func nonceConsumed(batch: String, evm: EVMRail) async throws -> Bool {
        guard let held = try await store.nonce(batch: batch) else { return false }
        return try await evm.node.account(held.sender).minedNonce > held.nonce
    }

    /// A replacement of a stuck transaction: the same nonce, gas and transfer, fees raised by at
    /// least the nodes' replacement bump, to what the network asks now when that is higher,
    /// within the hot wallet's fee cap and the payout's fee hold.
    func replace(_ batch: PayoutBatch, _ latest: PayoutAttempt, hot: HotWallet, evm: EVMRail, report: inout PassReport) async throws {
        let previous = try EVMUnsignedPayout(decoding: latest.unsigned)
        let stuck = try previous.payout()
        let holds = try await store.payouts(batch: batch.id).reduce(UInt128(0)) { $0 + $1.payout.feeHold }
        let cap = min(UInt128(hot.maximumFeeRate), holds / UInt128(max(stuck.gasLimit, 1)))
        let current = try? await evm.node.suggestedFees(cap: cap, minimumTip: UInt128(hot.fallbackFeeRate))
        let fees: EIP1559Fees
        do {
            fees = try EIP1559FeeEstimator.replacement(of: stuck.fees, current: current, cap: cap)
        } catch {
            logger.info("no replacement", metadata: ["batch": "\(batch.id)", "reason": "\(error.description)"])
            return
        }
        let replacement = try EthereumPayout(chainID: stuck.chainID, nonce: stuck.nonce, fees: fees, gasLimit: stuck.gasLimit, recipient: previous.to,
                                             amount: stuck.amount, tokenContract: previous.token)
        guard let maximumFee = replacement.maximumFee else { return }
        let number = latest.number + 1
        let attempt = PayoutAttempt(batchID: batch.id, number: number, unsigned: EVMUnsignedPayout(replacement).encoded,
                                    signingRequest: Self.signingRequest(batch.id, number), raw: nil, transactionID: nil, fee: maximumFee,
                                    size: stuck.gasLimit, broadcastAt: nil, change: nil)
        guard try await store.addAttempt(attempt, after: batch.attempt, at: clock()) else { return }
        let updated = PayoutBatch(id: batch.id, chain: batch.chain, status: batch.status, attempt: number, conflictHeight: batch.conflictHeight,
                                  reason: batch.reason, createdAt: batch.createdAt, updatedAt: clock())
        try await sign(updated, attempt, hot: hot, report: &report)
    }
}
