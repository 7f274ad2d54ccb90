public import CofferBase
public import CofferStorage
import Chains
public import Logging

/// The pipeline's knobs.
public struct PipelineSettings: Sendable {
    /// A chain's reserved payouts are batched once the oldest has waited this long (seconds).
    public var batchWindow: Int64
    /// The most payouts in one transaction.
    public var maximumBatch: Int
    /// An unconfirmed transaction older than this (seconds) is replaced with a higher fee.
    public var replaceAfter: Int64
    /// Fee replacements per batch, the first transaction included.
    public var maximumAttempts: Int
    /// The fee rate of a replacement: the previous one times this, in percent (at least +25%).
    public var replacementFactorPercent: UInt64
    /// The node's fee estimate target, in blocks.
    public var confirmationTarget: Int
    /// The worker's name in leases, and how long a lease lasts (seconds).
    public var owner: String
    public var leaseSeconds: Int64

    public init(batchWindow: Int64 = 0, maximumBatch: Int = 500, replaceAfter: Int64 = 1_800, maximumAttempts: Int = 5,
                replacementFactorPercent: UInt64 = 150, confirmationTarget: Int = 6, owner: String, leaseSeconds: Int64 = 60) {
        self.batchWindow = batchWindow
        self.maximumBatch = maximumBatch
        self.replaceAfter = replaceAfter
        self.maximumAttempts = maximumAttempts
        self.replacementFactorPercent = max(125, replacementFactorPercent)
        self.confirmationTarget = confirmationTarget
        self.owner = owner
        self.leaseSeconds = leaseSeconds
    }
}

/// What one pass did, for the worker's log and `payout worker --once`.
public struct PassReport: Sendable, Equatable {
    public var batched = 0
    public var signed = 0
    public var awaitingApproval = 0
    public var broadcast = 0
    public var settled = 0
    public var compensated = 0
    public var rejected = 0
    public var replaced = 0
    /// Batches whose step failed this pass (node down...): tried again next pass.
    public var errors: [String] = []

    public init() {}
}

/// One chain's payout pipeline: batches reserved payouts into transactions, has the vault sign
/// them, broadcasts them, follows them to their confirmations and settles the ledger, or
/// compensates when a transaction provably never confirms. Every step is decided by the pure
/// functions (`PayoutMachine`, `BatchTracking`, `FeeSplit`) and applied with a compare-and-set,
/// and every step can be repeated after a crash: a signed transaction is stored before it is
/// broadcast, broadcasting the same bytes twice is harmless, and ledger transfers have ids
/// derived from the payout, so nothing moves twice.
public struct PayoutPipeline: Sendable {
    public let store: PayoutStore
    public let chain: ChainConfig
    public let rail: PayoutRail
    public let signer: any PayoutSigning
    public let ledger: any PayoutLedger
    public let settings: PipelineSettings
    public let clock: @Sendable () -> Int64
    let logger: Logger

    public init(store: PayoutStore, chain: ChainConfig, rail: PayoutRail, signer: any PayoutSigning, ledger: any PayoutLedger, settings: PipelineSettings,
                clock: @escaping @Sendable () -> Int64, logger: Logger = Logger(label: "coffer.payouts")) {
        self.store = store
        self.chain = chain
        self.rail = rail
        self.signer = signer
        self.ledger = ledger
        self.settings = settings
        self.clock = clock
        self.logger = logger
    }

    /// The node, for what every chain's node answers alike.
    var node: any PayoutNode {
        switch rail {
        case .bitcoin(let bitcoin): bitcoin.node
        case .evm(let evm): evm.node
        }
    }

    var policy: TrackingPolicy {
        TrackingPolicy(confirmations: UInt64(chain.confirmations), replaceAfter: settings.replaceAfter, maximumAttempts: settings.maximumAttempts)
    }

    /// One pass over the chain, under its lease: batch, sign, broadcast, track. Returns nil when
    /// another worker holds the lease.
    public func pass() async throws -> PassReport? {
        guard try await store.lease(chain: chain.name, owner: settings.owner, now: clock(), seconds: settings.leaseSeconds) else { return nil }
        var report = PassReport()
        guard let hot = try await store.hotWallet(chain: chain.name) else {
            report.errors.append("chain \(chain.name) has no hot wallet: `coffer chain hot-wallet` first")
            return report
        }
        do {
            switch rail {
            case .bitcoin(let bitcoin): try await batch(hot: hot, bitcoin: bitcoin, report: &report)
            case .evm(let evm): try await batch(hot: hot, evm: evm, report: &report)
            }
        } catch {
            report.errors.append("batching: \(Self.describe(error))")
        }
        for batch in try await store.openBatches(chain: chain.name) {
            do {
                try await advance(batch, hot: hot, report: &report)
            } catch {
                report.errors.append("batch \(batch.id): \(Self.describe(error))")
            }
            _ = try await store.lease(chain: chain.name, owner: settings.owner, now: clock(), seconds: settings.leaseSeconds)
        }
        return report
    }

    /// Gives the chain's lease up.
    public func release() async throws { try await store.release(chain: chain.name, owner: settings.owner) }

    static func describe(_ error: any Error) -> String {
        (error as? any CofferError).map { "\($0.code): \($0.description)" } ?? String(describing: error)
    }

    // MARK: Batching

    func batch(hot: HotWallet, bitcoin: BitcoinRail, report: inout PassReport) async throws {
        let node = bitcoin.node, builder = bitcoin.builder
        // Sweeps first, each in a transaction of its own: the coins they claim are then not
        // offered to the payouts' coin selection.
        for sweep in try await store.queued(chain: chain.name, limit: settings.maximumBatch, kinds: [.sweep]) {
            try await consolidate(sweep, hot: hot, bitcoin: bitcoin, report: &report)
        }
        while true {
            let queued = try await store.queued(chain: chain.name, limit: settings.maximumBatch)
            guard let oldest = queued.first else { return }
            let now = clock()
            guard queued.count >= settings.maximumBatch || now - oldest.payout.createdAt >= settings.batchWindow else { return }
            let payouts = queued.map(\.payout)
            let nodeRate = try await node.feeRate(blocks: settings.confirmationTarget)
            let feeRate = min(nodeRate ?? hot.fallbackFeeRate, hot.maximumFeeRate)
            let candidates = try await spendable(hot: hot)
            let maximumFee = payouts.reduce(UInt128(0)) { $0 + $1.feeHold }
            let change = try await bitcoin.changeAddresses.next(chain: chain.name, walletID: hot.walletID)
            let lockTime = UInt32(clamping: try await node.tip())
            let built: BuiltTransaction
            do {
                built = try builder.build(
                    payments: payouts.map { PaymentOutput(destination: $0.destination, amount: $0.amount) }, candidates: candidates, feeRate: feeRate,
                    change: change, maximumFee: maximumFee, lockTime: lockTime)
            } catch let deferred as BuildDeferred {
                report.errors.append("\(payouts.count) payout(s) wait: \(deferred.reason)")
                return
            }
            let batchID = "pb-\(oldest.sequence)"
            let batch = PayoutBatch(id: batchID, chain: chain.name, status: .reserved, attempt: 1, conflictHeight: nil, reason: nil, createdAt: now, updatedAt: now)
            let attempt = PayoutAttempt(batchID: batchID, number: 1, unsigned: built.unsigned, signingRequest: Self.signingRequest(batchID, 1), raw: nil,
                                        transactionID: nil, fee: built.fee, size: built.size, broadcastAt: nil, change: built.change)
            guard try await store.createBatch(batch, attempt: attempt, payouts: payouts.map(\.id), spends: built.inputs) else { return }
            CrashPoint.afterBatch.reach()
            report.batched += payouts.count
            if payouts.count < settings.maximumBatch { return }
        }
    }

    static func signingRequest(_ batch: String, _ attempt: Int) -> String { "payout-\(batch)-\(attempt)" }

    /// A sweep's batch: the hot wallet's deposit outputs (not its funding address's, not change)
    /// into one fresh address of the hot wallet, while the network's fee rate is within the
    /// sweep's limit. Its amount becomes what the transaction moves.
    func consolidate(_ entry: PayoutStore.Queued, hot: HotWallet, bitcoin: BitcoinRail, report: inout PassReport) async throws {
        let sweep = entry.payout
        let limits = sweep.sweepLimits ?? SweepLimits(maximumFeeRate: hot.fallbackFeeRate, maximumInputs: 100)
        let rate = try await bitcoin.node.feeRate(blocks: settings.confirmationTarget) ?? hot.fallbackFeeRate
        guard rate <= limits.maximumFeeRate else {
            report.errors.append("sweep \(sweep.id) waits for lower fees: the network asks \(rate) sat per 1,000 vB, its limit is \(limits.maximumFeeRate)")
            return
        }
        let change = Set(try await store.unspentChange(chain: chain.name, walletID: hot.walletID))
        let candidates = try await spendable(hot: hot).filter { $0.address != hot.address && !change.contains($0) }
        let destination = try await bitcoin.changeAddresses.next(chain: chain.name, walletID: hot.walletID)
        let built: BuiltTransaction
        do {
            built = try bitcoin.builder.consolidate(candidates, feeRate: rate, destination: destination, maximumFee: sweep.feeHold,
                                                    maximumInputs: limits.maximumInputs, lockTime: UInt32(clamping: try await bitcoin.node.tip()))
        } catch let deferred as BuildDeferred {
            report.errors.append("sweep \(sweep.id) waits: \(deferred.reason)")
            return
        }
        guard let output = built.change else { return }
        let now = clock()
        let batchID = "pb-\(entry.sequence)"
        let batch = PayoutBatch(id: batchID, chain: chain.name, status: .reserved, attempt: 1, conflictHeight: nil, reason: nil, createdAt: now, updatedAt: now)
        let attempt = PayoutAttempt(batchID: batchID, number: 1, unsigned: built.unsigned, signingRequest: Self.signingRequest(batchID, 1), raw: nil,
                                    transactionID: nil, fee: built.fee, size: built.size, broadcastAt: nil, change: built.change)
        guard try await store.createBatch(batch, attempt: attempt, payouts: [sweep.id], spends: built.inputs, alongside: { connection in
            try PayoutStore.setSweepOutput(payout: sweep.id, destination: output.address, amount: UInt128(output.amount), on: connection)
        }) else { return }
        CrashPoint.afterBatch.reach()
        report.batched += 1
    }

    /// The hot wallet's confirmed outputs no batch spends: its credited deposits and settled change.
    func spendable(hot: HotWallet) async throws -> [SpendableOutput] {
        var outputs = try await store.unspentChange(chain: chain.name, walletID: hot.walletID)
        let deposits = try await store.unspentDeposits(chain: chain.name)
        let owners = try await store.database.read { [chain] connection in
            try ChainSyncSQL.watched(chain: chain.name, keys: deposits.map { WatchedAddress.lookupKey($0.address) }, on: connection)
        }
        for deposit in deposits {
            guard let watched = owners[WatchedAddress.lookupKey(deposit.address)], watched.walletID == hot.walletID, let amount = UInt64(exactly: deposit.amount) else { continue }
            outputs.append(SpendableOutput(transactionID: deposit.transactionID, index: deposit.index, amount: amount, address: deposit.address,
                                           walletID: watched.walletID, path: watched.path))
        }
        return outputs.sorted { ($0.transactionID, $0.index) < ($1.transactionID, $1.index) }
    }

    // MARK: A batch's next step

    func advance(_ batch: PayoutBatch, hot: HotWallet, report: inout PassReport) async throws {
        let attempts = try await store.attempts(batch: batch.id)
        guard let latest = attempts.last else { return }
        switch batch.status {
        case .reserved, .pendingApproval:
            try await sign(batch, latest, hot: hot, report: &report)
        case .signed:
            try await broadcast(batch, latest, report: &report)
        case .broadcast, .confirmed:
            if latest.raw == nil {
                // A replacement waits for its signature; the earlier attempts are still tracked.
                try await sign(batch, latest, hot: hot, report: &report)
            }
            try await track(batch, attempts: try await store.attempts(batch: batch.id), hot: hot, report: &report)
        case .failed:
            try await compensate(batch, spentElsewhere: nil, report: &report)
        default:
            return
        }
    }

    func sign(_ batch: PayoutBatch, _ attempt: PayoutAttempt, hot: HotWallet, report: inout PassReport) async throws {
        let payouts = try await store.payouts(batch: batch.id).map(\.payout)
        let outcome = try await signer.sign(attempt, chain: chain.name, network: chain.network, hot: hot, payouts: payouts)
        let now = clock()
        switch outcome {
        case .signed(let raw, let transactionID):
            CrashPoint.afterVaultSign.reach()
            if batch.status == .reserved || batch.status == .pendingApproval {
                _ = try PayoutMachine.next(batch.status, .signed)
                let moved = try await store.move(batch: batch.id, from: [.reserved, .pendingApproval], to: .signed, at: now) { connection in
                    try PayoutStore.storeSigned(batch: batch.id, attempt: attempt.number, raw: raw, transactionID: transactionID, on: connection)
                    try PayoutEvents.appendBatch(batch.id, at: now, on: connection)
                }
                if moved {
                    CrashPoint.afterSignStored.reach()
                    report.signed += payouts.count
                    try await broadcast(batch.with(status: .signed), attempt.signed(raw: raw, transactionID: transactionID), report: &report)
                }
            } else {
                try await store.database.write { connection in
                    try PayoutStore.storeSigned(batch: batch.id, attempt: attempt.number, raw: raw, transactionID: transactionID, on: connection)
                }
                report.replaced += payouts.count
                let signed = attempt.signed(raw: raw, transactionID: transactionID)
                if case .accepted = try await node.send(raw) {
                    try await store.markBroadcast(batch: batch.id, attempt: signed.number, at: now)
                }
            }
        case .pendingApproval(let reason):
            if batch.status == .reserved {
                _ = try PayoutMachine.next(batch.status, .approvalRequired)
                _ = try await store.move(batch: batch.id, from: [.reserved], to: .pendingApproval, reason: reason, at: now) { connection in
                    try PayoutEvents.appendBatch(batch.id, at: now, on: connection)
                }
            }
            report.awaitingApproval += payouts.count
        case .denied(let reason):
            if batch.status == .reserved || batch.status == .pendingApproval {
                _ = try PayoutMachine.next(batch.status, .rejected(reason))
                let holds = try await store.payouts(batch: batch.id).map { ($0.payout, PayoutTransfers(base: $0.transferBase)) }
                try await ledger.release(holds) { connection in
                    guard try PayoutStore.move(batch: batch.id, from: [.reserved, .pendingApproval], to: .rejected, reason: "signing policy: \(reason)", at: now, on: connection) else { return }
                    try PayoutStore.release(batch: batch.id, keep: [], on: connection)
                    try PayoutStore.freeNonce(batch: batch.id, on: connection)
                    try PayoutEvents.appendBatch(batch.id, at: now, on: connection)
                }
                report.rejected += payouts.count
            } else {
                // A replacement the policy refuses: the earlier transaction stays and is tracked.
                logger.warning("replacement refused by the signing policy", metadata: ["batch": "\(batch.id)", "reason": "\(reason)"])
            }
        }
    }

    func broadcast(_ batch: PayoutBatch, _ attempt: PayoutAttempt, report: inout PassReport) async throws {
        guard let raw = attempt.raw, let transactionID = attempt.transactionID else { return }
        let result = try await node.send(raw)
        CrashPoint.afterBroadcast.reach()
        let now = clock()
        switch result {
        case .accepted:
            break
        case .conflict(let reason):
            // Maybe it is ours, mined already and its outputs spent; if not, the tracker finds the conflict.
            logger.info("broadcast found a conflict", metadata: ["batch": "\(batch.id)", "txid": "\(transactionID)", "reason": "\(reason)"])
        case .refused(let reason):
            if case .unknown = try await node.state(of: transactionID) {
                throw PayoutError(.unavailable, "broadcast-refused", "the node refused transaction \(transactionID): \(reason)")
            }
        }
        try await store.markBroadcast(batch: batch.id, attempt: attempt.number, at: now)
        _ = try PayoutMachine.next(batch.status, .broadcast)
        if try await store.move(batch: batch.id, from: [.signed], to: .broadcast, at: now, alongside: { connection in
            try PayoutEvents.appendBatch(batch.id, at: now, on: connection)
        }) {
            report.broadcast += try await store.payouts(batch: batch.id).count
        }
    }

    // MARK: Tracking

    func track(_ batch: PayoutBatch, attempts: [PayoutAttempt], hot: HotWallet, report: inout PassReport) async throws {
        let signed = attempts.filter { $0.raw != nil }
        guard let latest = signed.last else { return }
        var states: [Int: AttemptState] = [:]
        for attempt in signed {
            states[attempt.number] = try await node.state(of: attempt.transactionID ?? "")
        }
        let nowhere = !states.values.contains { $0 != .unknown }
        var spentElsewhere: [PayoutStore.OutPoint] = []
        var nonceConsumed = false
        if nowhere {
            switch rail {
            case .bitcoin(let bitcoin):
                spentElsewhere = try await spentInChain(batch: batch.id, node: bitcoin.node)
            case .evm(let evm):
                nonceConsumed = try await self.nonceConsumed(batch: batch.id, evm: evm)
            }
        }
        let observation = BatchObservation(attempts: states, inputSpent: !spentElsewhere.isEmpty || nonceConsumed, tip: try await node.tip(), now: clock())
        let now = observation.now
        switch BatchTracking.decide(batch, latest: latest, observation: observation, policy: policy) {
        case .wait:
            return
        case .confirming(let number, let confirmations, let height):
            guard let attempt = signed.first(where: { $0.number == number }), let txid = attempt.transactionID else { return }
            let first = batch.status != .confirmed
            _ = try await store.move(batch: batch.id, from: [.broadcast, .confirmed], to: .confirmed, at: now) { connection in
                try PayoutStore.recordConfirmations(batch: batch.id, transactionID: txid, confirmations: confirmations, height: height, at: now, on: connection)
                if first { try PayoutEvents.appendBatch(batch.id, at: now, on: connection) }
            }
        case .settle(let number, let confirmations, let height):
            guard let attempt = signed.first(where: { $0.number == number }) else { return }
            try await settle(batch, attempt, confirmations: confirmations, height: height, hot: hot, report: &report)
        case .rebroadcast(let number):
            guard let attempt = signed.first(where: { $0.number == number }), let raw = attempt.raw else { return }
            if batch.conflictHeight != nil { try await store.setConflictHeight(batch: batch.id, height: nil, at: now) }
            if case .accepted = try await node.send(raw) {
                try await store.markBroadcast(batch: batch.id, attempt: number, at: now)
                if batch.status == .confirmed {
                    // Its block was reorganised away: back to waiting.
                    _ = try await store.move(batch: batch.id, from: [.confirmed], to: .broadcast, at: now) { connection in
                        try PayoutEvents.appendBatch(batch.id, at: now, on: connection)
                    }
                }
            }
        case .replace:
            try await replace(batch, latest, report: &report)
        case .conflictSeen(let height):
            try await store.setConflictHeight(batch: batch.id, height: height, at: now)
        case .fail(let reason):
            _ = try PayoutMachine.next(batch.status, .failed(reason))
            guard try await store.move(batch: batch.id, from: [.broadcast, .confirmed, .signed], to: .failed, reason: reason, at: now, alongside: { connection in
                try PayoutEvents.appendBatch(batch.id, at: now, on: connection)
            }) else { return }
            try await compensate(batch, spentElsewhere: spentElsewhere, report: &report)
        }
    }

    func settle(_ batch: PayoutBatch, _ attempt: PayoutAttempt, confirmations: UInt64, height: UInt64, hot: HotWallet, report: inout PassReport) async throws {
        guard let txid = attempt.transactionID else { return }
        // What it paid: a Bitcoin-like transaction's fee is fixed when it is built; an EVM one's
        // is the gas it used at the price the block charged, from its receipt.
        var paid = EVMPaidFee(fee: attempt.fee, succeeded: true)
        if case .evm(let evm) = rail {
            guard let receipt = try await evm.node.receipt(of: txid) else { return }
            paid = receipt
        }
        let fee = paid.fee, delivered = paid.succeeded
        let stored = try await store.payouts(batch: batch.id)
        guard let shares = FeeSplit.split(fee, caps: stored.map(\.payout.feeHold)) else {
            throw PayoutError(.internal, "fee-above-holds", "batch \(batch.id) paid a fee of \(fee), more than its payouts hold; settle it by hand")
        }
        let settlements = zip(stored, shares).map { Settlement(payout: $0.payout, transfers: PayoutTransfers(base: $0.transferBase), fee: $1, delivered: delivered) }
        let now = clock()
        let chainName = chain.name
        let walletID = hot.walletID
        try await ledger.settle(settlements, custody: chain.custodyAccount, feeAccount: hot.feeAccount, feeAsset: chain.asset) { connection in
            if delivered {
                guard try PayoutStore.move(batch: batch.id, from: [.broadcast, .confirmed], to: .settled, reason: nil, at: now, on: connection) else { return }
            } else {
                // Mined but reverted: the fee is spent, nothing was transferred, and the nonce is used.
                let reason = "transaction \(txid) was mined but reverted: nothing was transferred, its fee was paid"
                guard try PayoutStore.move(batch: batch.id, from: [.broadcast, .confirmed], to: .failed, reason: reason, at: now, on: connection),
                      try PayoutStore.move(batch: batch.id, from: [.failed], to: .compensated, reason: reason, at: now, on: connection) else { return }
            }
            try PayoutStore.recordConfirmations(batch: batch.id, transactionID: txid, confirmations: confirmations, height: height, at: now, on: connection)
            for settlement in settlements { try PayoutStore.recordFee(payout: settlement.payout.id, fee: settlement.fee, on: connection) }
            if let change = attempt.change {
                try PayoutStore.insertChange(chain: chainName, output: SpendableOutput(
                    transactionID: txid, index: change.index, amount: change.amount, address: change.address, walletID: walletID, path: change.path), batch: batch.id, on: connection)
            }
            try PayoutEvents.appendBatch(batch.id, at: now, on: connection)
        }
        CrashPoint.afterSettle.reach()
        if delivered { report.settled += stored.count } else { report.compensated += stored.count }
    }

    func replace(_ batch: PayoutBatch, _ latest: PayoutAttempt, report: inout PassReport) async throws {
        guard let hot = try await store.hotWallet(chain: chain.name) else { return }
        let builder: any BatchTransactionBuilder
        switch rail {
        case .bitcoin(let bitcoin): builder = bitcoin.builder
        case .evm(let evm): return try await replace(batch, latest, hot: hot, evm: evm, report: &report)
        }
        let previousRate = latest.fee * 1_000 / UInt128(max(latest.size, 1))
        let raised = previousRate * UInt128(settings.replacementFactorPercent) / 100 + 1
        let rate = UInt64(clamping: min(raised, UInt128(hot.maximumFeeRate)))
        guard UInt128(rate) > previousRate else {
            logger.info("a stuck batch is at the maximum fee rate already", metadata: ["batch": "\(batch.id)"])
            return
        }
        let spends = Set(try await store.spends(batch: batch.id).map { "\($0.transactionID):\($0.index)" })
        let inputs = try await spendableClaimed(batch: batch.id, hot: hot).filter { spends.contains("\($0.transactionID):\($0.index)") }
        let holds = try await store.payouts(batch: batch.id).reduce(UInt128(0)) { $0 + $1.payout.feeHold }
        let built: BuiltTransaction
        do {
            built = try builder.replace(latest, inputs: inputs, feeRate: rate, maximumFee: holds)
        } catch let deferred as BuildDeferred {
            logger.info("no replacement", metadata: ["batch": "\(batch.id)", "reason": "\(deferred.reason)"])
            return
        }
        let number = latest.number + 1
        let attempt = PayoutAttempt(batchID: batch.id, number: number, unsigned: built.unsigned, signingRequest: Self.signingRequest(batch.id, number),
                                    raw: nil, transactionID: nil, fee: built.fee, size: built.size, broadcastAt: nil, change: built.change)
        guard try await store.addAttempt(attempt, after: batch.attempt, at: clock()) else { return }
        let updated = PayoutBatch(id: batch.id, chain: batch.chain, status: batch.status, attempt: number, conflictHeight: batch.conflictHeight,
                                  reason: batch.reason, createdAt: batch.createdAt, updatedAt: clock())
        try await sign(updated, attempt, hot: hot, report: &report)
    }

    /// The outputs a batch claimed, with what signing them needs.
    func spendableClaimed(batch: String, hot: HotWallet) async throws -> [SpendableOutput] {
        let claimed = Set(try await store.spends(batch: batch).map { "\($0.transactionID):\($0.index)" })
        var found: [SpendableOutput] = []
        let change = try await store.database.read { [chain] connection in
            try connection.query("""
                SELECT c.txid, c.output_index, c.amount, c.address, c.wallet_id, c.path FROM payout_change c JOIN payout_spends s
                  ON s.chain = c.chain AND s.txid = c.txid AND s.output_index = c.output_index WHERE s.batch_id = \(batch) AND c.chain = \(chain.name)
                """) {
                SpendableOutput(transactionID: try $0.text(0), index: UInt32(clamping: try $0.int64(1)), amount: UInt64(clamping: try $0.amount(2, "amount")),
                                address: try $0.text(3), walletID: try $0.text(4), path: try $0.text(5))
            }
        }
        found += change
        let deposits = try await store.database.read { [chain] connection in
            try connection.query("""
                SELECT d.txid, d.output_index, d.amount, d.address FROM chain_deposits d JOIN payout_spends s
                  ON s.chain = d.chain AND s.txid = d.txid AND s.output_index = d.output_index WHERE s.batch_id = \(batch) AND d.chain = \(chain.name) AND d.token = ''
                """) { PayoutStore.DepositOutput(transactionID: try $0.text(0), index: UInt32(clamping: try $0.int64(1)), amount: try $0.amount(2, "amount"), address: try $0.text(3)) }
        }
        let owners = try await store.database.read { [chain] connection in
            try ChainSyncSQL.watched(chain: chain.name, keys: deposits.map { WatchedAddress.lookupKey($0.address) }, on: connection)
        }
        for deposit in deposits {
            guard let watched = owners[WatchedAddress.lookupKey(deposit.address)], let value = UInt64(exactly: deposit.amount) else { continue }
            found.append(SpendableOutput(transactionID: deposit.transactionID, index: deposit.index, amount: value, address: deposit.address,
                                         walletID: watched.walletID, path: watched.path))
        }
        return found.filter { claimed.contains("\($0.transactionID):\($0.index)") }
    }

    /// Voids the holds of a failed batch and frees the outputs nobody else spent.
    func compensate(_ batch: PayoutBatch, spentElsewhere: [PayoutStore.OutPoint]?, report: inout PassReport) async throws {
        var gone = spentElsewhere ?? []
        if spentElsewhere == nil, case .bitcoin(let bitcoin) = rail {
            gone = try await spentInChain(batch: batch.id, node: bitcoin.node)
        }
        let stored = try await store.payouts(batch: batch.id)
        let holds = stored.map { ($0.payout, PayoutTransfers(base: $0.transferBase)) }
        let now = clock()
        let keep = gone
        _ = try PayoutMachine.next(.failed, .compensated)
        try await ledger.release(holds) { connection in
            guard try PayoutStore.move(batch: batch.id, from: [.failed], to: .compensated, reason: nil, at: now, on: connection) else { return }
            try PayoutStore.release(batch: batch.id, keep: keep, on: connection)
            try PayoutEvents.appendBatch(batch.id, at: now, on: connection)
        }
        report.compensated += stored.count
    }

    /// The outputs a batch claimed that a transaction in the best chain spends.
    func spentInChain(batch: String, node: any BitcoinPayoutNode) async throws -> [PayoutStore.OutPoint] {
        var spent: [PayoutStore.OutPoint] = []
        for spend in try await store.spends(batch: batch) where try await node.isSpentInChain(transactionID: spend.transactionID, index: spend.index) {
            spent.append(spend)
        }
        return spent
    }
}
