public import CofferStorage

/// A reconciliation `coffer serve` runs on its own.
public struct ReconSchedule: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// Once a day at `timeOfDay` (seconds after midnight UTC): `chain` against the ledger when
        /// set; else `statement`, or the latest statement imported when it is nil.
        case daily
        /// After every statement import, that statement.
        case onImport = "on_import"
    }

    public let id: Int64
    public let scope: String
    public let kind: Kind
    public let statement: String?
    public let account: String?
    public let timeOfDay: Int64?
    /// The chain (its name as the scope knows it) a daily chain run reconciles.
    public let chain: String?
    /// When it last ran (a daily one), or the import time of the last statement it ran (on_import).
    public let lastRunAt: Int64
    public let createdAt: Int64

    public init(id: Int64, scope: String, kind: Kind, statement: String?, account: String?, timeOfDay: Int64?, chain: String? = nil, lastRunAt: Int64,
                createdAt: Int64) {
        self.id = id
        self.scope = scope
        self.kind = kind
        self.statement = statement
        self.account = account
        self.timeOfDay = timeOfDay
        self.chain = chain
        self.lastRunAt = lastRunAt
        self.createdAt = createdAt
    }
}

extension ReconStore {
    static let scheduleColumns = "id, scope, kind, statement, account, time_of_day, last_run_at, created_at, chain"

    static func schedule(_ row: any SQLRow) throws -> ReconSchedule {
        let kind = try row.text(2)
        guard let parsed = ReconSchedule.Kind(rawValue: kind) else { throw StorageError.corrupt("schedule kind \"\(kind.prefix(20))\" is unknown") }
        return ReconSchedule(id: try row.int64(0), scope: try row.text(1), kind: parsed, statement: try row.optionalText(3), account: try row.optionalText(4),
                             timeOfDay: try row.optionalInt64(5), chain: try row.optionalText(8), lastRunAt: try row.int64(6), createdAt: try row.int64(7))
    }

    public func addSchedule(scope: String, kind: ReconSchedule.Kind, statement: String?, account: String?, timeOfDay: Int64?, chain: String? = nil,
                            at time: Int64) async throws -> ReconSchedule {
        // An on_import schedule takes statements imported from the second it was made on; a
        // daily one first runs at its next time of day.
        let last = kind == .onImport ? time - 1 : time
        return try await database.write { connection in
            guard let id = try connection.queryOne("""
                INSERT INTO recon_schedules (scope, kind, statement, account, time_of_day, last_run_at, created_at, chain)
                VALUES (\(scope), \(kind.rawValue), \(statement), \(account), \(timeOfDay), \(last), \(time), \(chain)) RETURNING id
                """, { try $0.int64(0) }) else { throw StorageError.corrupt("a new schedule got no id") }
            return ReconSchedule(id: id, scope: scope, kind: kind, statement: statement, account: account, timeOfDay: timeOfDay, chain: chain, lastRunAt: last,
                                 createdAt: time)
        }
    }

    /// One scope's schedules, or every scope's (nil: what the scheduler walks).
    public func schedules(scope: String?) async throws -> [ReconSchedule] {
        var sql: SQL = "SELECT \(raw: Self.scheduleColumns) FROM recon_schedules"
        if let scope { sql = sql + " WHERE scope = \(scope)" }
        let query = sql + " ORDER BY id"
        return try await database.read { connection in try connection.query(query, Self.schedule) }
    }

    public func removeSchedule(scope: String, id: Int64) async throws -> Bool {
        try await database.write { connection in try connection.execute("DELETE FROM recon_schedules WHERE scope = \(scope) AND id = \(id)") == 1 }
    }

    /// Claims a schedule's next run: moves `last_run_at` from `from` to `to` (compare-and-set),
    /// so of several `coffer serve` processes on one database exactly one runs it.
    public func claim(schedule id: Int64, from: Int64, to: Int64) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("UPDATE recon_schedules SET last_run_at = \(to) WHERE id = \(id) AND last_run_at = \(from)") == 1
        }
    }

    /// Statements of `scope` imported after `after` and before `before`, oldest first: (name,
    /// imported at). `before` is the current second: a statement of that second could still be
    /// followed by another of the same second, so it waits for the next pass.
    public func statements(scope: String, importedAfter after: Int64, before: Int64) async throws -> [(name: String, importedAt: Int64)] {
        try await database.read { connection in
            try connection.query("""
                SELECT name, imported_at FROM recon_statements WHERE scope = \(scope) AND imported_at > \(after) AND imported_at < \(before)
                ORDER BY imported_at, name LIMIT 100
                """) { (try $0.text(0), try $0.int64(1)) }
        }
    }

    /// The scope's most recently imported statement.
    public func latestStatement(scope: String) async throws -> String? {
        try await database.read { connection in
            try connection.queryOne("SELECT name FROM recon_statements WHERE scope = \(scope) ORDER BY imported_at DESC, name DESC LIMIT 1") { try $0.text(0) }
        }
    }
}
