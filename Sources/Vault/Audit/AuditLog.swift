import CofferBase
public import CofferStorage
import Foundation

/// Appends to and reads the audit chain inside a caller's transaction, on either database.
public enum AuditLog {
    /// The advisory lock that gives audit appends (and every vault write, which appends) one
    /// total order across processes on PostgreSQL ("coffer-a" as 8 bytes).
    public static let lockKey: Int64 = 0x636f_6666_6572_2d61

    static let columns = "seq, recorded_at, actor, action, subject, request_hash, outcome, detail, prev_hash, hash"

    /// Appends `event` after the current head, in the caller's transaction.
    public static func append(_ event: AuditEvent, at time: String, on connection: any SQLConnection) throws {
        try connection.serialize(on: lockKey)
        let last = try connection.queryOne("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1") { row in
            (try row.int64(0), try row.blob(1))
        }
        let seq = (last?.0 ?? 0) + 1
        let previous = last?.1 ?? AuditRecord.genesisHash
        let hash = AuditRecord.computeHash(
            seq: seq, recordedAt: time, actor: event.actor, action: event.action, subject: event.subject,
            requestHash: event.requestHash, outcome: event.outcome, detail: event.detail, previousHash: previous)
        try connection.execute("""
            INSERT INTO audit_log (seq, recorded_at, actor, action, subject, request_hash, outcome, detail, prev_hash, hash)
            VALUES (\(seq), \(time), \(event.actor), \(event.action), \(event.subject), \(event.requestHash), \(event.outcome),
                    \(event.detail), \(previous), \(hash))
            """)
    }

    static func record(_ row: any SQLRow) throws -> AuditRecord {
        AuditRecord(
            seq: try row.int64(0), recordedAt: try row.text(1), actor: try row.text(2), action: try row.text(3),
            subject: try row.text(4), requestHash: try row.text(5), outcome: try row.text(6), detail: try row.text(7),
            previousHash: try row.blob(8), hash: try row.blob(9))
    }

    static func records(on connection: any SQLConnection) throws -> [AuditRecord] {
        try connection.query("SELECT \(raw: columns) FROM audit_log ORDER BY seq", record)
    }

    /// One page of what `selection` admits. Prefixes compare with substr, not LIKE, whose `_` and
    /// `%` would match other tenants' ids; the subjects travel as one JSON array parameter.
    static func records(after seq: Int64, limit: Int, selecting selection: AuditSelection, on connection: any SQLConnection) throws -> [AuditRecord] {
        let subjects = JSONValue.array(selection.subjects.sorted().map(JSONValue.string)).text
        let members: SQL = connection.dialect == .postgres
            ? "SELECT json_array_elements_text(CAST(\(subjects) AS json))" : "SELECT value FROM json_each(\(subjects))"
        let conditions: [SQL] = ["subject IN (" + members + ")"]
            + selection.subjectPrefixes.map { prefix in "substr(subject, 1, length(\(prefix))) = \(prefix)" }
            + ["substr(actor, 1, length(\(selection.actorPrefix))) = \(selection.actorPrefix)"]
        let sql: SQL = "SELECT \(raw: columns) FROM audit_log WHERE seq > \(seq) AND ("
            + SQL.joined(conditions, separator: " OR ") + ") ORDER BY seq LIMIT \(max(0, limit))"
        return try connection.query(sql, record)
    }
}
