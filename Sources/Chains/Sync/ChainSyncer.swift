public import CofferBase
public import CofferStorage
import Crypto
import Synchronization
import WalletCore

/// Follows one chain block by block and turns payments to watched addresses into deposits, and
/// deposits into ledger credits exactly once.
///
/// Each step is one transaction: the cursor moves from the block it expects (compare-and-set on
/// height and hash), the block is recorded, the deposits in it are written, deposits that reach
/// the confirmation count are credited, and the events are appended; all or nothing. A step
/// killed at any point leaves the previous state, and the next step redoes it; credits have ids
/// derived from the deposit, so even a step applied by two syncers credits once.
///
/// A block whose parent is not the block the cursor stands on means a reorganisation: the
/// syncer steps back one block at a time (by hash, not height), asking the node where each of the
/// block's deposits went: into the mempool or another block (→ `seen`, credited ones stay
/// credited), or nowhere (→ `orphaned`, or `reversed` with a reversing transfer if credited).
public struct ChainSyncer: Sendable {
    public let chain: ChainConfig
    public let store: ChainStore
    public let source: any ChainSource
    public let ledger: any DepositLedger
    /// Seconds since 1970.
    public let clock: @Sendable () -> Int64
    /// Who holds the chain's lease while this syncer runs (a process-unique id).
    public let owner: String
    /// How many recent block hashes are kept to find a fork point.
    public var blocksKept: UInt64 { max(UInt64(chain.confirmations) * 2, 288) }
    /// How long a lease lasts unless renewed.
    public var leaseSeconds: Int64 = 60
    /// The most deposits outside a block asked about per pass at the tip.
    public var recheckLimit = 100
    /// Seconds a deposit outside a block stays as it is before the node's "unknown" is believed:
    /// a node may not know a transaction for a moment (its index catching up with a new block),
    /// and a deposit must not be orphaned, or reversed, on that moment's answer.
    public var unknownGrace: Int64 = 30
    /// Until when this syncer holds the lease (seconds since 1970).
    private let leaseUntil = Locked<Int64>(0)
    /// How many blocks after the one a step applies are read meanwhile (fetched, decoded and their
    /// outputs' addresses looked up among the watched ones); 0 reads each block in its own step.
    /// Reading a block is a chain of waits (the node, then the database), so several in flight
    /// keep both sides busy: against a regtest node on this machine, 1,000-transaction blocks
    /// synced at about 27,000 transactions per second reading 1 ahead, 35,000 reading 2 and
    /// 40,000 reading 4, 6 or 8 (docs/benchmarks.md).
    public var readAhead = 4
    /// The blocks being read ahead, for consecutive heights from the next step's.
    private let ahead = Locked<[BlockAhead]>([])

    public init(chain: ChainConfig, store: ChainStore, source: any ChainSource, ledger: any DepositLedger, clock: @escaping @Sendable () -> Int64, owner: String) {
        self.chain = chain
        self.store = store
        self.source = source
        self.ledger = ledger
        self.clock = clock
        self.owner = owner
    }

    /// What one step did.
    public struct Step: Sendable, Equatable {
        public enum Kind: Sendable, Equatable {
            /// A block was read and applied.
            case connected
            /// The block under the cursor was reorganised away and undone.
            case rewound
            /// The cursor is at the node's tip: the mempool and unconfirmed deposits were looked at.
            case atTip
            /// Another syncer holds the chain's lease.
            case notLeader
        }

        public var kind: Kind
        /// The cursor's block after the step (nil before the first block).
        public var block: BlockRef?
        public var deposits = 0
        public var credited = 0
        public var orphaned = 0
        public var reversed = 0
        /// Credits the ledger refused (the deposit stays confirming and is tried again).
        public var refused: [String] = []
    }

    // MARK: Steps

    /// Does the next piece of work: applies the next block, undoes a reorganised one, or (at the
    /// tip) looks at the mempool, at deposits outside a block, and at invoices that expired.
    public func step() async throws -> Step {
        // The lease is renewed when half of it has run, not at every step (one write fewer per block).
        let now = clock()
        if leaseUntil.withLock({ now + leaseSeconds / 2 >= $0 }) {
            guard try await store.lease(chain: chain.name, owner: owner, now: now, seconds: leaseSeconds) else {
                // Another syncer applies the next blocks: what was read ahead is of no use.
                ahead.withLock { queue in
                    for stale in queue { stale.task.cancel() }
                    queue.removeAll()
                }
                return Step(kind: .notLeader, block: nil)
            }
            leaseUntil.withLock { $0 = now + leaseSeconds }
        }
        guard let cursor = try await store.cursor(chain: chain.name) else { throw ChainError.unknownChain(chain.name) }
        let tip = try await source.tip()
        guard cursor.nextHeight <= tip.height else {
            // The tip may itself have been replaced at our height: compare hashes, not heights.
            if let last = cursor.lastHash, let height = cursor.height, try await source.blockHash(at: height) != last {
                return try await rewind(from: cursor)
            }
            return try await atTip(cursor)
        }
        let tokens = Dictionary(uniqueKeysWithValues: try await store.tokens(chain: chain.name).map { ($0.contract, $0) })
        let read = try await read(at: cursor.nextHeight, tokens: Set(tokens.keys), tip: tip)
        let block = read.block
        guard block.ref.height == cursor.nextHeight else {
            throw NodeError.garbage("asked for block \(cursor.nextHeight) of \(chain.name), the node answered block \(block.ref.height)")
        }
        if let last = cursor.lastHash, block.parentHash != last {
            return try await rewind(from: cursor)
        }
        return try await connect(block, watched: read.watched, ownMovements: read.ownMovements, after: cursor, tokens: tokens)
    }

    /// Steps until the cursor reaches the node's tip (then does one pass at the tip); for
    /// `coffer chain sync --once`. Returns the totals.
    public func syncToTip() async throws -> Step {
        var total = Step(kind: .atTip, block: nil)
        while true {
            let step = try await step()
            total.deposits += step.deposits
            total.credited += step.credited
            total.orphaned += step.orphaned
            total.reversed += step.reversed
            total.refused += step.refused
            total.block = step.block ?? total.block
            if step.kind == .atTip || step.kind == .notLeader {
                total.kind = step.kind
                return total
            }
        }
    }

    // MARK: Reading blocks

    /// A block and the watched addresses its payments go to.
    struct ReadBlock: Sendable {
        let block: ChainBlock
        /// By lookup key.
        let watched: [String: WatchedAddress]
        /// Transactions of the block that move Coffer's own coins between its addresses (sweeps,
        /// gas top-ups): what they pay to watched addresses is no deposit.
        let ownMovements: Set<String>
    }

    /// A block being read ahead of its step.
    struct BlockAhead: Sendable {
        let height: UInt64
        let tokens: Set<String>
        let task: Task<ReadBlock, any Error>
    }

    /// The block at `height` with the watched addresses it pays: the one read ahead by an earlier
    /// step when it is that height (and the same tokens) and still the node's block there, else
    /// read now. First it starts reading the following blocks up to `readAhead` (not above the
    /// tip), so they are fetched, decoded and looked up while this one is written.
    ///
    /// A block read ahead is applied only if it is still the best chain's block at its height at
    /// its own step (the tip's hash, or `blockHash(at:)`): the same block a step reading it then
    /// would apply. Its parent must be the block under the cursor, as always; deposits already
    /// recorded and deposits coming due are read in its own step. Its addresses were looked up
    /// after it was fetched, so after it was mined, as in its own step: an address handed out
    /// before a payment to it was mined is found either way.
    private func read(at height: UInt64, tokens: Set<String>, tip: BlockRef) async throws -> ReadBlock {
        let pending = ahead.withLock { queue -> Task<ReadBlock, any Error>? in
            if let first = queue.first, first.height == height, first.tokens == tokens {
                return queue.removeFirst().task
            }
            for stale in queue { stale.task.cancel() }
            queue.removeAll()
            return nil
        }
        if let pending, let read = try? await pending.value {
            let current: String? = if height == tip.height { tip.hash } else { try await source.blockHash(at: height) }
            if read.block.ref.hash == current {
                readFurther(after: height, tokens: tokens, tip: tip.height)
                return read
            }
            // Reorganised since it was read: so are the blocks read after it.
            ahead.withLock { queue in
                for stale in queue { stale.task.cancel() }
                queue.removeAll()
            }
        }
        readFurther(after: height, tokens: tokens, tip: tip.height)
        return try await Self.read(at: height, tokens: tokens, chain: chain.name, store: store, source: source)
    }

    /// Starts reading the blocks after `height` up to `readAhead` of them, not above `tip`.
    private func readFurther(after height: UInt64, tokens: Set<String>, tip: UInt64) {
        let last = min(tip, height + UInt64(max(readAhead, 0)))
        if height < last {
            let (chain, store, source) = (self.chain.name, self.store, self.source)
            ahead.withLock { queue in
                var next = (queue.last?.height ?? height) + 1
                while next <= last {
                    let target = next
                    queue.append(BlockAhead(height: target, tokens: tokens, task: Task {
                        try await Self.read(at: target, tokens: tokens, chain: chain, store: store, source: source)
                    }))
                    next += 1
                }
            }
        }
    }

    /// Fetches the block at `height` and looks up its payments' addresses among the watched ones.
    static func read(at height: UInt64, tokens: Set<String>, chain: String, store: ChainStore, source: any ChainSource) async throws -> ReadBlock {
        let block = try await source.block(at: height, tokens: tokens)
        let keys = Set(block.payments.map { WatchedAddress.lookupKey($0.address) })
        let (watched, ownMovements) = try await store.database.read { connection in
            let watched = try ChainSyncSQL.watched(chain: chain, keys: keys, on: connection)
            let paid = Set(block.payments.filter { watched[WatchedAddress.lookupKey($0.address)] != nil }.map(\.transactionID))
            return (watched, try ChainSyncSQL.internalTransactions(chain: chain, among: paid, on: connection))
        }
        return ReadBlock(block: block, watched: watched, ownMovements: ownMovements)
    }

    // MARK: Connecting a block

    /// Applies `block`, whose payments go to the `watched` addresses (by lookup key).
    private func connect(_ block: ChainBlock, watched: [String: WatchedAddress], ownMovements: Set<String>, after cursor: SyncCursor,
                         tokens: [String: ChainToken]) async throws -> Step {
        let chain = self.chain
        let now = clock()
        let confirmations = UInt64(max(chain.confirmations, 1))
        // Deposits in blocks at or below this height have `confirmations` once this block is applied.
        let finalHeight: UInt64? = block.ref.height + 1 >= confirmations ? block.ref.height + 1 - confirmations : nil
        // The block's payments to watched addresses (of the native asset or a registered token),
        // with the account and asset each is credited in.
        let paid = block.payments.compactMap { payment -> (payment: ChainPayment, watch: WatchedAddress, account: String, asset: String)? in
            guard let watch = watched[WatchedAddress.lookupKey(payment.address)], !ownMovements.contains(payment.transactionID) else { return nil }
            guard let token = payment.token, !token.isEmpty else { return (payment, watch, watch.account, chain.asset) }
            guard let registered = tokens[token] else { return nil }
            return (payment, watch, Self.tokenAccount(watch.account, asset: registered.asset), registered.asset)
        }
        let keys = paid.map { DepositKey(transactionID: $0.payment.transactionID, index: $0.payment.index, token: $0.payment.token ?? "") }
        // Only deposits of this block can be credited in this step when one confirmation is enough.
        let creditedNow = confirmations == 1 ? paid : []
        let (existing, due, rules) = try await store.database.read { connection in
            let existing = try ChainSyncSQL.deposits(chain: chain.name, keys, on: connection)
            let due = try finalHeight.map { try ChainSyncSQL.due(chain: chain.name, atOrBelow: $0, on: connection) } ?? []
            // The split rules of every account and invoice credited in this step, in the same read.
            let rules = try SplitSQL.rules(accounts: Set(creditedNow.map(\.account) + due.map(\.account)),
                                           invoices: Set(creditedNow.compactMap(\.watch.invoiceID) + due.compactMap(\.invoiceID)), on: connection)
            return (existing, due, rules)
        }

        // The deposits of this block, in their state once the block is applied.
        var touched: [DepositKey: Deposit] = [:]
        var order: [DepositKey] = []
        var events: [(Deposit, String)] = []
        for (payment, watch, account, asset) in paid {
            let token = payment.token ?? ""
            let key = DepositKey(transactionID: payment.transactionID, index: payment.index, token: token)
            guard touched[key] == nil else { continue }
            let ref = block.ref
            let next: Deposit
            if let old = existing[key] {
                switch old.status {
                case .credited:
                    next = old.with(block: .some(ref), at: now)
                case .reversed:
                    // Mined again after it was reversed: a new generation, credited anew when final.
                    next = old.with(status: .confirming, block: .some(ref), generation: old.generation + 1, at: now)
                    events.append((next, "deposit.confirming"))
                case .seen, .orphaned, .confirming:
                    next = old.with(status: .confirming, block: .some(ref), at: now)
                    if old.status != .confirming { events.append((next, "deposit.confirming")) }
                }
            } else {
                next = Deposit(
                    seq: 0, chain: chain.name, scope: chain.scope, transactionID: payment.transactionID, index: payment.index, token: token,
                    address: watch.address, account: account, asset: asset, amount: payment.amount, blockHeight: ref.height, blockHash: ref.hash, status: .confirming, creditID: nil,
                    reversalID: nil, generation: 0, invoiceID: watch.invoiceID, seenAt: now, updatedAt: now)
                events.append((next, "deposit.confirming"))
            }
            touched[key] = next
            order.append(key)
        }
        for deposit in due where touched[deposit.key] == nil {
            touched[deposit.key] = deposit
            order.append(deposit.key)
        }
        let credits = order.compactMap { key -> Deposit? in
            guard let deposit = touched[key], deposit.status == .confirming, let height = deposit.blockHeight,
                  let finalHeight, height <= finalHeight else { return nil }
            return deposit
        }
        for deposit in credits where !deposit.token.isEmpty {
            try await ledger.ensureAccount(deposit.account, asset: deposit.asset, template: Self.nativeAccount(deposit.account))
            try await ledger.ensureAccount(custody(for: deposit), asset: deposit.asset, template: chain.custodyAccount)
        }
        // Each credit with its split: one linked chain of movements per credit.
        let plans = credits.map { plan($0, rules: rules) }
        let (touchedNow, orderNow, eventsNow) = (touched, order, events)
        let newCursor = SyncCursor(nextHeight: block.ref.height + 1, lastHash: block.ref.hash)
        let kept = blocksKept
        let report = Locked(Step(kind: .connected, block: block.ref))
        try await ledger.commit(plans.flatMap(\.movements)) { outcomes, connection in
            try ChainSyncSQL.advance(chain: chain.name, from: cursor, to: newCursor, on: connection)
            try ChainSyncSQL.recordBlock(chain: chain.name, block.ref, parent: block.parentHash, keep: kept, on: connection)
            var final = touchedNow
            var creditEvents: [(Deposit, String)] = []
            var splits: [(CreditPlan, Deposit)] = []
            var refused: [String] = []
            for (plan, outcome) in zip(plans, Self.grouped(outcomes, plans: plans.map(\.movements.count))) {
                let deposit = plan.deposit
                switch outcome {
                case .applied:
                    let credited = deposit.with(status: .credited, creditID: .some(plan.movements[0].id), at: now)
                    final[deposit.key] = credited
                    creditEvents.append((credited, "deposit.credited"))
                    splits.append((plan, credited))
                case .refused(let reason):
                    refused.append("\(deposit.transactionID):\(deposit.index): \(reason)")
                }
            }
            var inserted = 0
            var written: [DepositKey: Deposit] = [:]
            for key in orderNow {
                guard let deposit = final[key] else { continue }
                if deposit.seq == 0 {
                    let seq = try ChainSyncSQL.insert(deposit, on: connection)
                    inserted += 1
                    written[key] = deposit.withSeq(seq)
                } else {
                    try ChainSyncSQL.update(deposit, on: connection)
                    written[key] = deposit
                }
            }
            let allEvents = (eventsNow + creditEvents).map { (written[$0.0.key] ?? $0.0, $0.1) }
            try Self.append(allEvents, at: now, on: connection)
            try Self.recordSplits(splits, at: now, on: connection)
            try InvoiceSQL.refresh(invoices: Set(creditEvents.compactMap(\.0.invoiceID)), now: now, on: connection)
            report.withLock {
                $0.deposits = inserted
                $0.credited = creditEvents.count
                $0.refused = refused
            }
        }
        return report.withLock { $0 }
    }

    // MARK: Undoing a block

    private func rewind(from cursor: SyncCursor) async throws -> Step {
        let chain = self.chain
        guard let last = cursor.lastHash, let height = cursor.height else {
            throw NodeError.garbage("\(chain.name): the first block read does not build on anything to rewind to")
        }
        let (deposits, parentHash) = try await store.database.read { connection in
            (try ChainSyncSQL.inBlock(chain: chain.name, hash: last, on: connection),
             height > 0 ? try ChainSyncSQL.blockHash(chain: chain.name, height: height - 1, on: connection) : nil)
        }
        if parentHash == nil && height > chain.startHeight {
            throw ChainError(.internal, "reorg-too-deep",
                             "\(chain.name) was reorganised deeper than the \(blocksKept) blocks Coffer keeps; syncing stops until an operator looks")
        }
        let now = clock()
        var changed: [(Deposit, String?)] = []
        var credited: [Deposit] = []
        for deposit in deposits {
            let state = try await source.transactionState(deposit.transactionID)
            switch (state, deposit.status) {
            case (.mined(let ref), _) where ref.hash == last:
                throw NodeError.unreachable("\(chain.name): the node still reports block \(last) while its chain moved on; trying again")
            case (.mined, .credited), (.mempool, .credited):
                changed.append((deposit.with(block: .some(nil), at: now), nil))
            case (.mined, _), (.mempool, _):
                changed.append((deposit.with(status: .seen, block: .some(nil), at: now), "deposit.seen"))
            case (.unknown, .credited):
                credited.append(deposit)
            case (.unknown, _):
                changed.append((deposit.with(status: .orphaned, block: .some(nil), at: now), "deposit.orphaned"))
            }
        }
        let newCursor = SyncCursor(nextHeight: height, lastHash: parentHash)
        let report = Locked(Step(kind: .rewound, block: parentHash.map { BlockRef(height: height - 1, hash: $0) }))
        let undone = changed
        let toReverse = try await reversals(of: credited)
        try await ledger.commit(toReverse.flatMap(\.movements)) { outcomes, connection in
            try ChainSyncSQL.advance(chain: chain.name, from: cursor, to: newCursor, on: connection)
            try ChainSyncSQL.deleteBlock(chain: chain.name, height: height, on: connection)
            var events: [(Deposit, String)] = []
            for (deposit, event) in undone {
                try ChainSyncSQL.update(deposit, on: connection)
                if let event { events.append((deposit, event)) }
            }
            try Self.record(toReverse, outcomes: outcomes, after: events, at: now, on: connection)
            try InvoiceSQL.refresh(invoices: Set((undone.map(\.0) + toReverse.map(\.deposit)).compactMap(\.invoiceID)), now: now, on: connection)
            report.withLock {
                $0.orphaned = undone.filter { $0.0.status == .orphaned }.count
                $0.reversed = toReverse.count
            }
        }
        return report.withLock { $0 }
    }

    // MARK: At the tip

    private func atTip(_ cursor: SyncCursor) async throws -> Step {
        let chain = self.chain
        let now = clock()
        let mempool = try await source.mempoolPayments()
        let keys = Set(mempool.map { WatchedAddress.lookupKey($0.address) })
        let (watched, unconfirmed) = try await store.database.read { connection in
            (try ChainSyncSQL.watched(chain: chain.name, keys: keys, on: connection),
             try ChainSyncSQL.unconfirmed(chain: chain.name, unchangedSince: now - unknownGrace, limit: recheckLimit, on: connection))
        }
        var gone: [Deposit] = []
        for deposit in unconfirmed where try await source.transactionState(deposit.transactionID) == .unknown {
            gone.append(deposit)
        }
        let seen = mempool.compactMap { payment -> Deposit? in
            guard payment.token == nil, let watch = watched[WatchedAddress.lookupKey(payment.address)] else { return nil }
            return Deposit(
                seq: 0, chain: chain.name, scope: chain.scope, transactionID: payment.transactionID, index: payment.index, token: "",
                address: watch.address, account: watch.account, asset: chain.asset, amount: payment.amount, blockHeight: nil, blockHash: nil,
                status: .seen, creditID: nil, reversalID: nil, generation: 0, invoiceID: watch.invoiceID, seenAt: now, updatedAt: now)
        }
        let goneNow = gone
        let toReverse = try await reversals(of: gone.filter { $0.status == .credited })
        let orphans = gone.filter { $0.status != .credited }
        let report = Locked(Step(kind: .atTip, block: cursor.lastHash.map { BlockRef(height: cursor.nextHeight - 1, hash: $0) }))
        try await ledger.commit(toReverse.flatMap(\.movements)) { outcomes, connection in
            var events: [(Deposit, String)] = []
            var inserted = 0
            for deposit in seen where try ChainSyncSQL.deposit(chain: chain.name, deposit.key, on: connection) == nil {
                events.append((deposit.withSeq(try ChainSyncSQL.insert(deposit, on: connection)), "deposit.seen"))
                inserted += 1
            }
            for deposit in orphans {
                let orphaned = deposit.with(status: .orphaned, at: now)
                try ChainSyncSQL.update(orphaned, on: connection)
                events.append((orphaned, "deposit.orphaned"))
            }
            try Self.record(toReverse, outcomes: outcomes, after: events, at: now, on: connection)
            try InvoiceSQL.refresh(invoices: Set(goneNow.compactMap(\.invoiceID)), now: now, on: connection)
            try InvoiceSQL.expire(chain: chain.name, now: now, on: connection)
            report.withLock {
                $0.deposits = inserted
                $0.orphaned = orphans.count
                $0.reversed = toReverse.count
            }
        }
        return report.withLock { $0 }
    }

    // MARK: Ledger movements

    /// The credit of a deposit: custody → depositor, its id derived from the deposit and its generation.
    func credit(_ deposit: Deposit) -> LedgerMovement {
        LedgerMovement(
            id: Self.movementID("dep", deposit), debitAccount: custody(for: deposit), creditAccount: deposit.account, asset: deposit.asset,
            amount: deposit.amount, reference: "\(deposit.transactionID):\(deposit.index)")
    }

    /// The reversal of a credited deposit: depositor → custody.
    func reversal(_ deposit: Deposit) -> LedgerMovement {
        LedgerMovement(
            id: Self.movementID("rev", deposit), debitAccount: deposit.account, creditAccount: custody(for: deposit), asset: deposit.asset,
            amount: deposit.amount, reference: "\(deposit.transactionID):\(deposit.index)")
    }

    /// The custody account of a deposit's asset: the chain's, or `<custody>:<TOKEN>` for a token.
    func custody(for deposit: Deposit) -> String {
        deposit.token.isEmpty ? chain.custodyAccount : Self.tokenAccount(chain.custodyAccount, asset: deposit.asset)
    }

    /// `<prefix>-<40 hex digits of SHA-256(chain, txid, index, token)>`, `-g<n>` from the second
    /// generation on, inside the chain's tenant scope: at most 64 characters, the same in every
    /// process, so the ledger's id uniqueness makes a credit apply once.
    static func movementID(_ prefix: String, _ deposit: Deposit) -> String {
        let digest = SHA256.hash(data: Array("\(deposit.chain)\u{0}\(deposit.transactionID)\u{0}\(deposit.index)\u{0}\(deposit.token)".utf8))
        let hex = Hex.encode(Array(digest.prefix(20)))
        let local = "\(prefix)-\(hex)" + (deposit.generation > 0 ? "-g\(deposit.generation)" : "")
        return deposit.scope.isEmpty ? local : "\(deposit.scope)/\(local)"
    }

    /// A token's account beside a native one: `<account>:<ASSET>` (the asset's local code).
    public static func tokenAccount(_ account: String, asset: String) -> String {
        let local = asset.split(separator: "/").last.map(String.init) ?? asset
        return "\(account):\(local)"
    }

    /// The native account a token account was named after.
    static func nativeAccount(_ tokenAccount: String) -> String {
        tokenAccount.lastIndex(of: ":").map { String(tokenAccount[..<$0]) } ?? tokenAccount
    }

    static func append(_ events: [(Deposit, String)], at time: Int64, on connection: any SQLConnection) throws {
        try EventOutbox.append(events.map { (scope: $0.0.scope, type: $0.1, subject: $0.0.subject, data: $0.0.eventData) }, at: time, on: connection)
    }
}

extension Deposit {
    /// `chain:txid:index` (and `:token` for a token), the subject of its events.
    public var subject: String { "\(chain):\(transactionID):\(index)" + (token.isEmpty ? "" : ":\(token)") }

    func withSeq(_ seq: Int64) -> Deposit {
        Deposit(seq: seq, chain: chain, scope: scope, transactionID: transactionID, index: index, token: token, address: address, account: account,
                asset: asset, amount: amount, blockHeight: blockHeight, blockHash: blockHash, status: status, creditID: creditID,
                reversalID: reversalID, generation: generation, invoiceID: invoiceID, seenAt: seenAt, updatedAt: updatedAt)
    }

    var eventData: JSONValue {
        .object([
            ("chain", .string(chain)), ("txid", .string(transactionID)), ("index", .integer(index)),
            ("token", token.isEmpty ? .null : .string(token)), ("address", .string(address)), ("account", .string(account)),
            ("asset", .string(asset)), ("amount", .string(String(amount))), ("status", .string(status.rawValue)),
            ("block_height", blockHeight.map { .integer($0) } ?? .null), ("block_hash", blockHash.map { .string($0) } ?? .null),
            ("transfer_id", creditID.map { .string($0) } ?? .null), ("reversal_id", reversalID.map { .string($0) } ?? .null),
            ("invoice_id", invoiceID.map { .string($0) } ?? .null),
        ])
    }
}

/// A value shared with a `@Sendable` closure that runs once (a commit's companion).
final class Locked<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>
    init(_ value: Value) { mutex = Mutex(value) }
    func withLock<T>(_ body: (inout sending Value) -> sending T) -> sending T { mutex.withLock(body) }
}
