public import CofferBase
import Crypto
import Foundation
import WalletCore
import Tenancy
public import Vault
public import Ledger
public import Reconciliation

/// Reconciliation as every door offers it: statement mappings, statement imports, the matching
/// rules, runs of a statement against the ledger, and each run's matches and exceptions. All of
/// it is per tenant (the operator's own under the empty scope): a tenant reconciles its own
/// accounts against its own statements.
public struct ReconService: Sendable {
    public let store: ReconStore
    public let ledger: any LedgerStore
    /// Posts corrections (with the commit's companion).
    public let ledgerService: LedgerService
    /// The registered approvers who propose and approve corrections.
    public let signing: SigningStore
    /// The chains a chain run reads (their nodes, addresses and deposits).
    public let chains: ChainService
    /// Seconds since 1970.
    public let clock: @Sendable () -> Int64

    public init(store: ReconStore, ledgerService: LedgerService, signing: SigningStore, chains: ChainService,
                clock: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }) {
        self.store = store
        self.chains = chains
        ledger = ledgerService.store
        self.ledgerService = ledgerService
        self.signing = signing
        self.clock = clock
    }

    /// Three days, in seconds: how far past the statement's period the ledger side reaches by default.
    public static let settlementSlack: Int64 = 259_200

    static func scope(_ caller: Caller) -> String { caller.tenant?.tenantID ?? "" }

    static func name(_ text: String, _ field: String) throws(ServiceError) -> String {
        guard LedgerID.isValidLocal(text) else { throw ServiceError.invalid("\(field) \"\(text.prefix(70))\" is not a name: use 1-64 characters from A-Za-z0-9._:-") }
        return text
    }

    static func invalid(_ error: ReconError) -> ServiceError {
        ServiceError(.invalidInput, error.code.rawValue.replacingOccurrences(of: ".", with: "-").replacingOccurrences(of: "_", with: "-"), error.message)
    }

    // MARK: Mappings

    /// Saves a mapping (validated now, so a bad one never reaches an import). The same mapping
    /// saved again under its name is accepted; another one under that name is a conflict.
    public func addMapping(_ request: AddReconMappingRequest, by caller: Caller) async throws -> Created<ReconMappingView> {
        try caller.require(.write)
        let name = try Self.name(request.name, "name")
        guard request.mapping.utf8.count <= 16_384 else { throw ServiceError.invalid("mapping: at most 16 KiB of JSON") }
        do { _ = try StatementMapping(json: request.mapping) } catch { throw Self.invalid(error) }
        let body = try CanonicalJSON.text(try JSONValue(parsing: request.mapping))
        let scope = Self.scope(caller)
        let created = try await store.addMapping(scope: scope, name: name, body: body, at: clock())
        if !created, try await store.mapping(scope: scope, name: name) != body {
            throw ServiceError(.conflict, "mapping-exists", "a different mapping named \(name) exists; save this one under another name")
        }
        return Created(ReconMappingView(name: name, mapping: try JSONValue(parsing: body)), created: created)
    }

    // MARK: Statements

    /// Imports a statement: every row read through the mapping (the first bad row refuses the
    /// whole file, naming the row and column), stored in one transaction with the SHA-256 of the
    /// file. The same file imported again under its name is accepted; another is a conflict.
    public func importStatement(_ request: ImportStatementRequest, by caller: Caller) async throws -> StatementImportView {
        try caller.require(.write)
        let name = try Self.name(request.name, "name")
        let mappingName = try Self.name(request.mapping, "mapping")
        let scope = Self.scope(caller)
        guard let body = try await store.mapping(scope: scope, name: mappingName) else {
            throw ServiceError.notFound("no mapping named \(mappingName); save one with `coffer recon mapping add`", code: "mapping-not-found")
        }
        let mapping: StatementMapping
        let lines: [StatementLine]
        do {
            mapping = try StatementMapping(json: body)
            lines = try StatementParser.lines(request.content, mapping: mapping)
        } catch {
            throw Self.invalid(error)
        }
        let checksum = Hex.encode(Array(SHA256.hash(data: request.content)))
        let times = lines.map(\.time)
        let statement = StoredStatement(name: name, mapping: mappingName, checksum: checksum, rows: lines.count, decimals: mapping.decimals,
                                        firstTime: times.min(), lastTime: times.max(), importedAt: clock())
        // The name is taken (now or by a concurrent import): the same file is accepted, another is a conflict.
        if try await !store.addStatement(scope: scope, statement, lines: lines), try await store.statement(scope: scope, name: name)?.checksum != checksum {
            throw ServiceError(.conflict, "statement-exists", "a different statement named \(name) was imported; import this file under another name")
        }
        return StatementImportView(statement: name, rows: lines.count, checksum: checksum)
    }

    // MARK: Rules

    /// Replaces the rule set (validated as a whole: a bad rule names itself and its field, and
    /// the set in force stays).
    public func setRules(_ request: SetReconRulesRequest, by caller: Caller) async throws -> ReconRulesView {
        try caller.require(.write)
        guard request.rules.utf8.count <= 65_536 else { throw ServiceError.invalid("rules: at most 64 KiB of JSON") }
        do { _ = try ReconRuleSet.decode(json: request.rules) } catch { throw Self.invalid(error) }
        // Stored as written: similarity thresholds are decimals, which canonical JSON refuses.
        let body = request.rules
        try await store.setRules(scope: Self.scope(caller), body: body, at: clock())
        return ReconRulesView(rules: try JSONValue(parsing: body))
    }

    public func rules(by caller: Caller) async throws -> ReconRulesView {
        try caller.require(.read)
        guard let body = try await store.rules(scope: Self.scope(caller)) else {
            throw ServiceError.notFound("no reconciliation rules are set; set them with `coffer recon rules set --file rules.json`", code: "rules-not-set")
        }
        return ReconRulesView(rules: try JSONValue(parsing: body))
    }

    // MARK: Runs

    /// Reconciles a statement against the ledger with the rules in force, and stores the run
    /// (checksums of both sides, the rules, counts, durations), its matches and its exceptions.
    public func run(_ request: RunReconRequest, by caller: Caller, trigger: String = "manual") async throws -> ReconRunView {
        try caller.require(.write)
        let names = LedgerNames(caller)
        let scope = Self.scope(caller)
        let statementName = try Self.name(request.statement, "statement")
        let account = try request.account.map { text throws(LedgerError) in try names.id(text, field: "account") }
        let from = try Self.time(request.from, "from"), to = try Self.time(request.to, "to")
        if let from, let to, from >= to { throw ServiceError.invalid("from must be before to") }
        guard let statement = try await store.statement(scope: scope, name: statementName) else {
            throw ServiceError.notFound("no statement named \(statementName); import one with `coffer recon import`", code: "statement-not-found")
        }
        guard let rulesText = try await store.rules(scope: scope) else {
            throw ServiceError(.rejected, "rules-not-set", "no reconciliation rules are set; set them with `coffer recon rules set --file rules.json`")
        }
        let rules: ReconRuleSet
        do { rules = try ReconRuleSet.decode(json: rulesText) } catch { throw Self.invalid(error) }
        let started = clock()
        let clock = ContinuousClock(), begin = clock.now

        // Books and banks rarely date a movement alike: the default period reaches at least
        // `settlementSlack` past either end of the statement, more when a rule's window is wider.
        let widest = UInt64(max(Self.settlementSlack, rules.rules.compactMap { $0.time?.windowSeconds }.max() ?? 0))
        let lowest = from ?? statement.firstTime.map { ReconTime.nanos(Int128($0) - Int128(widest)) }
        let highest = to ?? statement.lastTime.map { ReconTime.nanos(Int128($0) + Int128(widest) + 1) }

        let lines = try await store.lines(scope: scope, statement: statementName)
        var decimals: [String: UInt8] = [:]
        for asset in Set(lines.map(\.asset)) {
            if let known = try await ledger.asset(try names.assetCode(asset, field: "statement asset")) { decimals[asset] = known.decimals }
        }
        let statementRows = try lines.map { line throws(ServiceError) -> ReconRow in
            ReconRow(id: line.id, amount: try Self.rescale(line, from: statement.decimals, to: decimals[line.asset]), asset: line.asset, time: line.time,
                     reference: line.reference, description: line.description)
        }
        let (ledgerRows, ledgerChecksum) = try await ledgerRows(names: names, scope: caller.tenant, account: account, from: lowest, to: highest,
                                                               assets: Set(decimals.keys))

        var perRule: [RunRuleStat] = []
        var last = clock.now
        let result: ReconResult
        do {
            result = try Reconciler.reconcile(ledger: ledgerRows, statement: statementRows, rules: rules, tablesReady: { last = clock.now }) { stat in
                let now = clock.now
                perRule.append(RunRuleStat(name: stat.name, matched: stat.matches, micros: Self.micros(now - last)))
                last = now
            }
        } catch {
            throw Self.invalid(error)
        }
        let matches = result.matches.map { m in
            StoredMatch(rule: m.ruleName, ledger: m.ledgerIds, statement: m.statementIds, confidence: m.confidence, amountDifference: m.amountDifference.description)
        }
        let classified = result.exceptions.map(Self.stored)
        var times: [String: Int64] = [:]  // the rows an exception names, by side-prefixed id
        for exception in classified {
            for id in exception.ledger { times["l" + id] = 0 }
            for id in exception.statement { times["s" + id] = 0 }
        }
        for row in ledgerRows where times["l" + row.id] != nil { times["l" + row.id] = row.time }
        for row in statementRows where times["s" + row.id] != nil { times["s" + row.id] = row.time }
        let exceptions = classified.map { e in
            let itemTime = (e.ledger.map { times["l" + $0] ?? 0 } + e.statement.map { times["s" + $0] ?? 0 }).min() ?? 0
            return ExceptionRecord(kind: e.kind, ledger: e.ledger, statement: e.statement, amountDifference: e.amountDifference, detail: e.detail, itemTime: itemTime)
        }
        let matchedLedger = result.perRule.reduce(0) { $0 + $1.ledgerRows }
        let matchedStatement = result.perRule.reduce(0) { $0 + $1.statementRows }
        var record = ReconRunRecord(
            statement: statementName, account: request.account, from: lowest.map { Int64($0 / 1_000_000_000) }, to: highest.map { Int64($0 / 1_000_000_000) },
            rules: rulesText, statementChecksum: statement.checksum, ledgerChecksum: ledgerChecksum, ledgerRows: ledgerRows.count,
            statementRows: statementRows.count, matched: result.matches.count, unmatchedLedger: ledgerRows.count - matchedLedger,
            unmatchedStatement: statementRows.count - matchedStatement, exceptions: exceptions.count, durationMicros: Self.micros(clock.now - begin),
            perRule: perRule, trigger: trigger, startedAt: started)
        record.id = try await store.addRun(scope: scope, record, matches: matches, exceptions: exceptions)
        return ReconRunView(record)
    }

    static func time(_ text: String?, _ field: String) throws(ServiceError) -> UInt64? {
        guard let text else { return nil }
        do { return try LedgerTime.parseRFC3339(text) } catch { throw ServiceError.invalid("\(field): \(error.description)") }
    }

    static func micros(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1_000_000 + duration.components.attoseconds / 1_000_000_000_000
    }

    /// A statement amount in the ledger asset's smallest unit.
    static func rescale(_ line: StatementLine, from statementDecimals: Int?, to ledgerDecimals: UInt8?) throws(ServiceError) -> Int128 {
        guard let source = statementDecimals, let target = ledgerDecimals.map(Int.init), source != target else { return line.amount }
        var amount = line.amount
        if target > source {
            for _ in source..<target {
                let (product, overflow) = amount.multipliedReportingOverflow(by: 10)
                guard !overflow else { throw ServiceError.invalid("statement row \(line.id.prefix(60)): the amount is too large for the asset's \(target) decimals") }
                amount = product
            }
            return amount
        }
        for _ in target..<source {
            guard amount % 10 == 0 else {
                throw ServiceError.invalid("statement row \(line.id.prefix(60)): the amount has more decimals than the ledger's \(line.asset.prefix(32)) (\(target))")
            }
            amount /= 10
        }
        return amount
    }

    /// The ledger side: posted movements (plain transfers and posts of pending ones; pending
    /// reservations and voids moved nothing) of the statement's assets in the period, signed from
    /// `account`'s side when given (credited +, debited −), and the SHA-256 of what was read.
    func ledgerRows(names: LedgerNames, scope: TenantScope?, account: LedgerID?, from: UInt64?, to: UInt64?,
                    assets: Set<String>) async throws -> ([ReconRow], String) {
        var rows: [ReconRow] = []
        var hasher = SHA256()
        var cursor: PageCursor?
        let storedAssets = Dictionary(uniqueKeysWithValues: try assets.map { asset throws(LedgerError) in (try names.assetCode(asset), asset) })
        repeat {
            let page = try await ledger.transfers(TransferQuery(account: account, from: from, to: to, limit: TransferQuery.maximumLimit, cursor: cursor,
                                                                scope: scope))
            for transfer in page.items {
                let flags = transfer.request.flags
                guard !flags.contains(.pending), !flags.contains(.voidPending), let asset = storedAssets[transfer.asset] else { continue }
                guard var amount = Int128(exactly: transfer.amount) else {
                    throw ServiceError(.rejected, "amount-too-large", "transfer \(names.local(transfer.request.id)) moves more than 2^127-1 units; it cannot be reconciled")
                }
                if let account, transfer.debitAccountID == account, transfer.creditAccountID != account { amount = -amount }
                let id = names.local(transfer.request.id)
                let request = transfer.request
                let description = [request.reference, request.metadata].filter { !$0.isEmpty }.joined(separator: " ")
                let row = ReconRow(id: id, amount: amount, asset: asset, time: Int64(transfer.timestamp / 1_000_000_000), reference: request.reference,
                                   description: description)
                hasher.update(data: Array("\(id)\t\(amount)\t\(asset)\t\(transfer.timestamp)\n".utf8))
                rows.append(row)
            }
            cursor = page.nextCursor
        } while cursor != nil
        return (rows, Hex.encode(Array(hasher.finalize())))
    }

    static func stored(_ exception: ReconException) -> (kind: String, ledger: [String], statement: [String], amountDifference: String?, detail: String) {
        let kind = exception.kind.rawValue
        switch exception {
        case .missingInLedger(let s): return (kind, [], [s], nil, "")
        case .missingInStatement(let l): return (kind, [l], [], nil, "")
        case .amountMismatch(let l, let s, let difference): return (kind, [l], [s], difference.description, "")
        case .duplicate(let side, let id, let of):
            return side == .ledger ? (kind, [id], [], nil, "duplicate_of=\(of)") : (kind, [], [id], nil, "duplicate_of=\(of)")
        case .timingDifference(let l, let s, let apart): return (kind, [l], [s], "0", "seconds_apart=\(apart)")
        }
    }

    // MARK: Reading runs

    func record(_ id: String, by caller: Caller) async throws -> ReconRunRecord {
        try caller.require(.read)
        guard let number = Int64(id), number > 0, let record = try await store.run(scope: Self.scope(caller), id: number) else {
            throw ServiceError.notFound("no reconciliation run \(id.prefix(30))", code: "run-not-found")
        }
        return record
    }

    public func run(_ id: String, by caller: Caller) async throws -> ReconRunView { ReconRunView(try await record(id, by: caller)) }

    /// A run's matches in order, a page at a time.
    public func matches(run id: String, page: PageRequest, by caller: Caller) async throws -> Page<ReconMatchView> {
        let record = try await record(id, by: caller)
        let rows = try await store.matches(run: record.id, after: Int(clamping: page.after?.position ?? 0), limit: page.limit + 1)
        let items = rows.prefix(page.limit)
        let next = rows.count > page.limit ? items.last.map { PageCursor(position: UInt64($0.position)) } : nil
        return Page(items: items.map { ReconMatchView($0.match) }, nextCursor: next)
    }

    /// A run's exceptions in order, a page at a time.
    public func exceptions(run id: String, page: PageRequest, by caller: Caller) async throws -> Page<ReconExceptionView> {
        let record = try await record(id, by: caller)
        let rows = try await store.exceptions(run: record.id, after: Int(clamping: page.after?.position ?? 0), limit: page.limit + 1)
        let items = rows.prefix(page.limit)
        let next = rows.count > page.limit ? items.last.map { PageCursor(position: UInt64($0.position)) } : nil
        return Page(items: items.map(ReconExceptionView.init), nextCursor: next)
    }
}
