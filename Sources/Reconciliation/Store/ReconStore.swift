public import CofferBase
public import CofferStorage

/// A statement as imported: its mapping, the checksum of the file's bytes and its period.
public struct StoredStatement: Sendable, Equatable {
    public let name: String
    public let mapping: String
    public let checksum: String
    public let rows: Int
    /// Fraction digits of its amounts; nil = the ledger asset's.
    public let decimals: Int?
    public let firstTime: Int64?
    public let lastTime: Int64?
    public let importedAt: Int64

    public init(name: String, mapping: String, checksum: String, rows: Int, decimals: Int?, firstTime: Int64?, lastTime: Int64?, importedAt: Int64) {
        self.name = name
        self.mapping = mapping
        self.checksum = checksum
        self.rows = rows
        self.decimals = decimals
        self.firstTime = firstTime
        self.lastTime = lastTime
        self.importedAt = importedAt
    }
}

/// One rule's share of a run.
public struct RunRuleStat: Sendable, Equatable, Codable {
    public let name: String
    public let matched: Int
    public let micros: Int64

    public init(name: String, matched: Int, micros: Int64) {
        self.name = name
        self.matched = matched
        self.micros = micros
    }
}

/// A reconciliation run as stored: what went in (checksums of both sides, the rules), what came
/// out (counts) and how long it took.
public struct ReconRunRecord: Sendable, Equatable {
    public var id: Int64
    public var statement: String
    public var account: String?
    public var from: Int64?
    public var to: Int64?
    public var rules: String
    public var statementChecksum: String
    public var ledgerChecksum: String
    public var ledgerRows: Int
    public var statementRows: Int
    public var matched: Int
    public var unmatchedLedger: Int
    public var unmatchedStatement: Int
    public var exceptions: Int
    public var durationMicros: Int64
    public var perRule: [RunRuleStat]
    /// `manual` or `schedule`.
    public var trigger: String
    public var startedAt: Int64
    /// `statement` (a statement against the ledger) or `chain` (a chain's holdings against the
    /// ledger's custody accounts: `statement` is then the chain's name).
    public var source = "statement"
    /// A chain run's lines, one per asset.
    public var balances: [StoredBalance] = []

    public init(id: Int64 = 0, statement: String, account: String?, from: Int64?, to: Int64?, rules: String, statementChecksum: String,
                ledgerChecksum: String, ledgerRows: Int, statementRows: Int, matched: Int, unmatchedLedger: Int, unmatchedStatement: Int,
                exceptions: Int, durationMicros: Int64, perRule: [RunRuleStat], trigger: String, startedAt: Int64) {
        self.id = id
        self.statement = statement
        self.account = account
        self.from = from
        self.to = to
        self.rules = rules
        self.statementChecksum = statementChecksum
        self.ledgerChecksum = ledgerChecksum
        self.ledgerRows = ledgerRows
        self.statementRows = statementRows
        self.matched = matched
        self.unmatchedLedger = unmatchedLedger
        self.unmatchedStatement = unmatchedStatement
        self.exceptions = exceptions
        self.durationMicros = durationMicros
        self.perRule = perRule
        self.trigger = trigger
        self.startedAt = startedAt
    }
}

/// One asset of a chain run: what Coffer's addresses hold on the chain next to the ledger's
/// custody account, in the asset's smallest unit (signed decimal text).
public struct StoredBalance: Sendable, Equatable {
    public let chain: String
    public let asset: String
    public let account: String
    public let height: Int64
    public let block: String
    public let onChain: String
    /// Posted: debits minus credits of the custody account.
    public let ledger: String
    /// Pending transfers of the custody account (payouts reserved and not yet settled), debits minus credits.
    public let pending: String
    /// Deposits mined but not yet credited (fewer confirmations than the chain asks for).
    public let uncredited: String
    /// On chain minus ledger.
    public let difference: String
    /// `balanced`, `in_flight` (explained by movements not yet settled) or `different`.
    public let status: String

    public init(chain: String, asset: String, account: String, height: Int64, block: String, onChain: String, ledger: String, pending: String,
                uncredited: String, difference: String, status: String) {
        self.chain = chain
        self.asset = asset
        self.account = account
        self.height = height
        self.block = block
        self.onChain = onChain
        self.ledger = ledger
        self.pending = pending
        self.uncredited = uncredited
        self.difference = difference
        self.status = status
    }
}

/// A stored match: ids as the tenant stored them.
public struct StoredMatch: Sendable, Equatable {
    public let rule: String
    public let ledger: [String]
    public let statement: [String]
    /// Per mille, 0...1000.
    public let confidence: Int
    /// Statement minus ledger, minor units of the ledger asset.
    public let amountDifference: String

    public init(rule: String, ledger: [String], statement: [String], confidence: Int, amountDifference: String) {
        self.rule = rule
        self.ledger = ledger
        self.statement = statement
        self.confidence = confidence
        self.amountDifference = amountDifference
    }
}

/// A stored exception: `id` is `<run>-<position>`.
public struct StoredException: Sendable, Equatable {
    public let run: Int64
    public let position: Int
    public let kind: String
    public let ledger: [String]
    public let statement: [String]
    public let amountDifference: String?
    /// What else is known, e.g. `duplicate_of=S-3` or `seconds_apart=90000`.
    public let detail: String

    public init(run: Int64, position: Int, kind: String, ledger: [String], statement: [String], amountDifference: String?, detail: String) {
        self.run = run
        self.position = position
        self.kind = kind
        self.ledger = ledger
        self.statement = statement
        self.amountDifference = amountDifference
        self.detail = detail
    }

    public var id: String { "\(run)-\(position)" }
}

/// An exception as a run records it.
public struct ExceptionRecord: Sendable {
    public let kind: String
    public let ledger: [String]
    public let statement: [String]
    public let amountDifference: String?
    public let detail: String
    /// The earliest time (seconds since 1970) of the rows involved: what its age counts from.
    public let itemTime: Int64

    public init(kind: String, ledger: [String], statement: [String], amountDifference: String?, detail: String, itemTime: Int64) {
        self.kind = kind
        self.ledger = ledger
        self.statement = statement
        self.amountDifference = amountDifference
        self.detail = detail
        self.itemTime = itemTime
    }
}

/// Mappings, statements, rules, runs, matches and exceptions, over either database.
public struct ReconStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// Rows per multi-row INSERT: 9 values each stays far below SQLite's and PostgreSQL's
    /// parameter limits.
    static let batch = 500

    // MARK: Mappings

    /// Adds a mapping; false (nothing written) when the name is taken.
    public func addMapping(scope: String, name: String, body: String, at time: Int64) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("""
                INSERT INTO recon_mappings (scope, name, body, created_at) VALUES (\(scope), \(name), \(body), \(time)) ON CONFLICT DO NOTHING
                """) == 1
        }
    }

    public func mapping(scope: String, name: String) async throws -> String? {
        try await database.read { connection in
            try connection.queryOne("SELECT body FROM recon_mappings WHERE scope = \(scope) AND name = \(name)") { try $0.text(0) }
        }
    }

    // MARK: Statements

    /// Stores a statement and its lines in one transaction; false (nothing written) when a
    /// statement of that name exists.
    public func addStatement(scope: String, _ statement: StoredStatement, lines: [StatementLine]) async throws -> Bool {
        try await database.write { connection in
            let inserted = try connection.execute("""
                INSERT INTO recon_statements (scope, name, mapping, checksum, row_count, decimals, first_time, last_time, imported_at)
                VALUES (\(scope), \(statement.name), \(statement.mapping), \(statement.checksum), \(Int64(statement.rows)),
                        \(statement.decimals.map(Int64.init)), \(statement.firstTime), \(statement.lastTime), \(statement.importedAt))
                ON CONFLICT DO NOTHING
                """)
            guard inserted == 1 else { return false }
            var start = 0
            while start < lines.count {
                let end = min(lines.count, start + Self.batch)
                let values = (start..<end).map { position -> SQL in
                    let line = lines[position]
                    return "(\(scope), \(statement.name), \(Int64(position)), \(line.id), \(String(line.amount)), \(line.asset), \(line.time), \(line.reference), \(line.description))"
                }
                _ = try connection.execute("""
                    INSERT INTO recon_statement_rows (scope, statement, position, row_id, amount, asset, time, reference, description) VALUES
                    """ + SQL.joined(values, separator: ", "))
                start = end
            }
            return true
        }
    }

    public func statement(scope: String, name: String) async throws -> StoredStatement? {
        try await database.read { connection in
            try connection.queryOne("""
                SELECT name, mapping, checksum, row_count, decimals, first_time, last_time, imported_at FROM recon_statements
                WHERE scope = \(scope) AND name = \(name)
                """) { row in
                StoredStatement(name: try row.text(0), mapping: try row.text(1), checksum: try row.text(2), rows: Int(try row.int64(3)),
                                decimals: try row.optionalInt64(4).map { Int($0) }, firstTime: try row.optionalInt64(5), lastTime: try row.optionalInt64(6),
                                importedAt: try row.int64(7))
            }
        }
    }

    /// The statement's lines in file order.
    public func lines(scope: String, statement: String) async throws -> [StatementLine] {
        try await database.read { connection in
            try connection.query("""
                SELECT row_id, amount, asset, time, reference, description FROM recon_statement_rows
                WHERE scope = \(scope) AND statement = \(statement) ORDER BY position
                """) { row in
                let text = try row.text(1)
                guard let amount = Int128(text) else { throw StorageError.corrupt("statement row amount \"\(text.prefix(40))\" is not an integer") }
                return StatementLine(id: try row.text(0), amount: amount, asset: try row.text(2), time: try row.int64(3), reference: try row.text(4),
                                     description: try row.text(5))
            }
        }
    }

    // MARK: Rules

    public func setRules(scope: String, body: String, at time: Int64) async throws {
        try await database.write { connection in
            _ = try connection.execute("""
                INSERT INTO recon_rules (scope, body, updated_at) VALUES (\(scope), \(body), \(time))
                ON CONFLICT (scope) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at
                """)
        }
    }

    public func rules(scope: String) async throws -> String? {
        try await database.read { connection in
            try connection.queryOne("SELECT body FROM recon_rules WHERE scope = \(scope)") { try $0.text(0) }
        }
    }

    // MARK: Runs

    /// Stores a run with its matches and exceptions in one transaction; returns its id.
    public func addRun(scope: String, _ run: ReconRunRecord, matches: [StoredMatch],
                       exceptions: [ExceptionRecord]) async throws -> Int64 {
        let perRule = try JSONEncoding.text(run.perRule)
        return try await database.write { connection in
            guard let id = try connection.queryOne("""
                INSERT INTO recon_runs (scope, statement, account, from_time, to_time, rules, statement_checksum, ledger_checksum, ledger_rows,
                    statement_rows, matched, unmatched_ledger, unmatched_statement, exception_count, duration_micros, per_rule, trigger, started_at, source)
                VALUES (\(scope), \(run.statement), \(run.account), \(run.from), \(run.to), \(run.rules), \(run.statementChecksum), \(run.ledgerChecksum),
                    \(Int64(run.ledgerRows)), \(Int64(run.statementRows)), \(Int64(run.matched)), \(Int64(run.unmatchedLedger)),
                    \(Int64(run.unmatchedStatement)), \(Int64(run.exceptions)), \(run.durationMicros), \(perRule), \(run.trigger), \(run.startedAt), \(run.source))
                RETURNING id
                """, { try $0.int64(0) }) else { throw StorageError.corrupt("a new reconciliation run got no id") }
            for (position, b) in run.balances.enumerated() {
                _ = try connection.execute("""
                    INSERT INTO recon_balances (run, position, chain, asset, account, height, block, on_chain, ledger, pending, uncredited, difference, status)
                    VALUES (\(id), \(Int64(position + 1)), \(b.chain), \(b.asset), \(b.account), \(b.height), \(b.block), \(b.onChain), \(b.ledger),
                        \(b.pending), \(b.uncredited), \(b.difference), \(b.status))
                    """)
            }
            var start = 0
            while start < matches.count {
                let end = min(matches.count, start + Self.batch)
                let values = (start..<end).map { position -> SQL in
                    let m = matches[position]
                    return "(\(id), \(Int64(position + 1)), \(m.rule), \(Self.idList(m.ledger)), \(Self.idList(m.statement)), \(Int64(m.confidence)), \(m.amountDifference))"
                }
                _ = try connection.execute("INSERT INTO recon_matches (run, position, rule, ledger, statement, confidence, amount_difference) VALUES "
                    + SQL.joined(values, separator: ", "))
                start = end
            }
            start = 0
            while start < exceptions.count {
                let end = min(exceptions.count, start + Self.batch)
                let values = (start..<end).map { position -> SQL in
                    let e = exceptions[position]
                    return "(\(id), \(Int64(position + 1)), \(e.kind), \(Self.idList(e.ledger)), \(Self.idList(e.statement)), \(e.amountDifference), \(e.detail), \(e.itemTime))"
                }
                _ = try connection.execute("INSERT INTO recon_exceptions (run, position, kind, ledger, statement, amount_difference, detail, item_time) VALUES "
                    + SQL.joined(values, separator: ", "))
                start = end
            }
            return id
        }
    }

    static let runColumns = """
        id, statement, account, from_time, to_time, rules, statement_checksum, ledger_checksum, ledger_rows, statement_rows, matched,
        unmatched_ledger, unmatched_statement, exception_count, duration_micros, per_rule, trigger, started_at, source
        """

    static func run(_ row: any SQLRow) throws -> ReconRunRecord {
        let perRule: [RunRuleStat]
        do { perRule = try JSONDecoding.decode([RunRuleStat].self, from: Array(try row.text(15).utf8)) } catch {
            throw StorageError.corrupt("reconciliation run \(try row.int64(0)) has unreadable rule figures")
        }
        var record = ReconRunRecord(
            id: try row.int64(0), statement: try row.text(1), account: try row.optionalText(2), from: try row.optionalInt64(3), to: try row.optionalInt64(4),
            rules: try row.text(5), statementChecksum: try row.text(6), ledgerChecksum: try row.text(7), ledgerRows: Int(try row.int64(8)),
            statementRows: Int(try row.int64(9)), matched: Int(try row.int64(10)), unmatchedLedger: Int(try row.int64(11)),
            unmatchedStatement: Int(try row.int64(12)), exceptions: Int(try row.int64(13)), durationMicros: try row.int64(14), perRule: perRule,
            trigger: try row.text(16), startedAt: try row.int64(17))
        record.source = try row.text(18)
        return record
    }

    /// A chain run's balance lines, in their order.
    static func balances(run: Int64, on connection: any SQLConnection) throws -> [StoredBalance] {
        try connection.query("""
            SELECT chain, asset, account, height, block, on_chain, ledger, pending, uncredited, difference, status FROM recon_balances
            WHERE run = \(run) ORDER BY position
            """) { row in
            StoredBalance(chain: try row.text(0), asset: try row.text(1), account: try row.text(2), height: try row.int64(3), block: try row.text(4),
                          onChain: try row.text(5), ledger: try row.text(6), pending: try row.text(7), uncredited: try row.text(8),
                          difference: try row.text(9), status: try row.text(10))
        }
    }

    /// Reads the balance lines of the chain runs among `records`.
    static func withBalances(_ records: [ReconRunRecord], on connection: any SQLConnection) throws -> [ReconRunRecord] {
        try records.map { record in
            guard record.source == "chain" else { return record }
            var full = record
            full.balances = try balances(run: record.id, on: connection)
            return full
        }
    }

    public func run(scope: String, id: Int64) async throws -> ReconRunRecord? {
        try await database.read { connection in
            try Self.withBalances(
                try connection.queryOne("SELECT \(raw: Self.runColumns) FROM recon_runs WHERE scope = \(scope) AND id = \(id)", Self.run).map { [$0] } ?? [],
                on: connection).first
        }
    }

    /// Runs newest first, at most `limit`, before the id `before` when given.
    public func runs(scope: String, before: Int64?, limit: Int) async throws -> [ReconRunRecord] {
        try await database.read { connection in
            try Self.withBalances(try connection.query("""
                SELECT \(raw: Self.runColumns) FROM recon_runs WHERE scope = \(scope) AND id < \(before ?? Int64.max) ORDER BY id DESC LIMIT \(Int64(limit))
                """, Self.run), on: connection)
        }
    }

    /// A page of a run's matches in their order (position > `after`).
    public func matches(run: Int64, after: Int, limit: Int) async throws -> [(position: Int, match: StoredMatch)] {
        try await database.read { connection in
            try connection.query("""
                SELECT position, rule, ledger, statement, confidence, amount_difference FROM recon_matches
                WHERE run = \(run) AND position > \(Int64(after)) ORDER BY position LIMIT \(Int64(limit))
                """) { row in
                (Int(try row.int64(0)), StoredMatch(rule: try row.text(1), ledger: try Self.ids(try row.text(2)), statement: try Self.ids(try row.text(3)),
                                                     confidence: Int(try row.int64(4)), amountDifference: try row.text(5)))
            }
        }
    }

    /// A page of a run's exceptions in their order (position > `after`).
    public func exceptions(run: Int64, after: Int, limit: Int) async throws -> [StoredException] {
        try await database.read { connection in
            try connection.query("""
                SELECT position, kind, ledger, statement, amount_difference, detail FROM recon_exceptions
                WHERE run = \(run) AND position > \(Int64(after)) ORDER BY position LIMIT \(Int64(limit))
                """) { row in
                StoredException(run: run, position: Int(try row.int64(0)), kind: try row.text(1), ledger: try Self.ids(try row.text(2)),
                                statement: try Self.ids(try row.text(3)), amountDifference: try row.optionalText(4), detail: try row.text(5))
            }
        }
    }

    static func idList(_ ids: [String]) -> String {
        var out: [UInt8] = [UInt8(ascii: "[")]
        for (k, id) in ids.enumerated() {
            if k > 0 { out.append(UInt8(ascii: ",")) }
            JSONText.appendString(id, to: &out)
        }
        out.append(UInt8(ascii: "]"))
        return String(decoding: out, as: UTF8.self)
    }

    static func ids(_ text: String) throws -> [String] {
        guard case .array(let items) = try JSONValue(parsing: text) else { throw StorageError.corrupt("a stored id list is not an array") }
        return try items.map { item in
            guard case .string(let s) = item else { throw StorageError.corrupt("a stored id list holds a non-string") }
            return s
        }
    }

    // MARK: Report figures

    /// Runs started in [from, to): how many and how much they matched; and the exceptions of the
    /// latest run of each statement started before `to` (those still open at the period's end),
    /// as (kind, item time).
    public func reportFigures(scope: String, from: Int64, to: Int64) async throws -> (runs: Int, matched: Int, open: [(kind: String, itemTime: Int64)], everRun: Bool) {
        try await database.read { connection in
            let counts = try connection.queryOne("""
                SELECT COUNT(*), CAST(COALESCE(SUM(matched), 0) AS BIGINT) FROM recon_runs WHERE scope = \(scope) AND started_at >= \(from) AND started_at < \(to)
                """) { (Int(try $0.int64(0)), Int(try $0.int64(1))) } ?? (0, 0)
            let latest = try connection.query("""
                SELECT MAX(id) FROM recon_runs WHERE scope = \(scope) AND started_at < \(to) GROUP BY source, statement
                """) { try $0.int64(0) }
            var open: [(kind: String, itemTime: Int64)] = []
            if !latest.isEmpty {
                open = try connection.query("SELECT kind, item_time FROM recon_exceptions WHERE run IN \(list: latest) ORDER BY run, position") {
                    (try $0.text(0), try $0.int64(1))
                }
            }
            return (counts.0, counts.1, open, !latest.isEmpty)
        }
    }
}
