import CofferBase

/// One result row read by column position (from 0), the same on both engines: GRDB rows, SQLite
/// statements stepped in place and PostgreSQL rows all conform, so every store decodes its rows
/// with one function per record type whichever engine produced them. Stores select their
/// columns in a documented order and read them by index (a name lookup per column per row cost
/// about a third of a large ledger commit).
public protocol SQLRow {
    func isNull(_ column: Int) -> Bool
    func int64(_ column: Int) throws -> Int64
    /// The column as text; NULL reads as "" (use `optionalText` where NULL means absent).
    func text(_ column: Int) throws -> String
    func blob(_ column: Int) throws -> [UInt8]
    /// The column as a decimal amount; nil when it holds anything else.
    func amountDigits(_ column: Int) throws -> UInt128?
}

extension SQLRow {
    public func amountDigits(_ column: Int) throws -> UInt128? {
        var digits = try text(column)
        return digits.withUTF8 { AmountText.parseDigits($0) }
    }

    public func optionalInt64(_ column: Int) throws -> Int64? { isNull(column) ? nil : try int64(column) }
    public func optionalText(_ column: Int) throws -> String? { isNull(column) ? nil : try text(column) }
    public func optionalBlob(_ column: Int) throws -> [UInt8]? { isNull(column) ? nil : try blob(column) }

    /// The column as an amount; a value that is not one means the database was altered.
    public func amount(_ column: Int, _ name: String) throws -> UInt128 {
        guard let value = try amountDigits(column) else {
            throw StorageError.corrupt("\(name) \"\(try text(column).prefix(40))\" is not an amount")
        }
        return value
    }
}

/// A row read from `offset` on: the columns a statement carried for someone else (see
/// `LedgerGroupAdmitter.prelude`), read as if they were the whole row.
public struct SQLRowSuffix: SQLRow {
    let row: any SQLRow
    let offset: Int

    public init(_ row: any SQLRow, from offset: Int) {
        self.row = row
        self.offset = offset
    }

    public func isNull(_ column: Int) -> Bool { row.isNull(column + offset) }
    public func int64(_ column: Int) throws -> Int64 { try row.int64(column + offset) }
    public func text(_ column: Int) throws -> String { try row.text(column + offset) }
    public func blob(_ column: Int) throws -> [UInt8] { try row.blob(column + offset) }
    public func amountDigits(_ column: Int) throws -> UInt128? { try row.amountDigits(column + offset) }
}

/// One open transaction's connection, on either engine. Its calls block the calling thread: the
/// work of one transaction runs on a thread of its own (`SQLDatabase.write`), so a store can write
/// its statements once, synchronously, and several stores can share one transaction.
public protocol SQLConnection {
    var dialect: SQLDialect { get }
    /// Runs a statement; returns how many rows it changed.
    @discardableResult
    func execute(_ sql: SQL) throws -> Int
    /// Runs a query and decodes each row with `decode`.
    func query<T>(_ sql: SQL, _ decode: (any SQLRow) throws -> T) throws -> [T]
    /// Runs a write whose outcome the caller does not need, at the latest before the next
    /// statement on this transaction's connection is answered. Over PostgreSQL's wire a ledger
    /// commit lends its connection with a buffer (`SQLDeferredWrites`) and sends what collected
    /// there as data-modifying `WITH` clauses of its own next statement, saving a round trip per
    /// write; any other statement first runs them in one statement of their own, so every later
    /// statement sees them. Elsewhere it runs at once. `sql` must be one INSERT, UPDATE or DELETE
    /// without a `WITH` clause (PostgreSQL accepts data-modifying `WITH` clauses only at the top level).
    func executeLater(_ sql: SQL) throws
}

extension SQLConnection {
    public func executeLater(_ sql: SQL) throws { _ = try execute(sql) }
}

extension SQLConnection {
    /// The first row's decoding, or nil when the query returns no row.
    public func queryOne<T>(_ sql: SQL, _ decode: (any SQLRow) throws -> T) throws -> T? {
        try query(sql, decode).first
    }

    /// Takes the transaction-scoped lock `key` on PostgreSQL, which serialises the transactions
    /// that take it across every process sharing the database; nothing on SQLite, whose single
    /// writer already serialises every write transaction.
    public func serialize(on key: Int64) throws {
        guard dialect == .postgres else { return }
        _ = try query("SELECT pg_advisory_xact_lock(\(key))") { _ in () }
    }
}

/// A database whose transactions run blocking work on a thread of their own, so async callers
/// never block Swift concurrency's few threads: the embedded SQLite database and PostgreSQL both
/// implement it, and every store that is not on a hot path is written once against it.
///
/// A statement that fails inside a transaction ends it on PostgreSQL (every later statement is
/// refused until rollback) while SQLite carries on: a store must let a `StorageError` end the
/// transaction body, never catch it and continue, or it works on one database only.
public protocol SQLDatabase: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` in one write transaction and commits it; anything `body` throws rolls it back
    /// and is rethrown unchanged (engine failures arrive as `StorageError`).
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// Runs `body` in one read-only transaction (a consistent snapshot on both engines).
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
}
