import GRDB
import GRDBSQLite

/// Reading a result row by column position (from 0). One decoder serves both GRDB's `Row` (reads
/// and queries) and `SQLiteRawStatement` (the commit's snapshot), so they cannot drift apart.
protocol SQLiteColumns {
    func int64(_ column: Int32) -> Int64
    /// NULL reads as the empty string; use `optionalText` where NULL means absent.
    func text(_ column: Int32) -> String
    func optionalText(_ column: Int32) -> String?
    /// A decimal TEXT amount; nil if the column holds anything else.
    func amount(_ column: Int32) -> UInt128?
}

extension Row: SQLiteColumns {
    func int64(_ column: Int32) -> Int64 { self[Int(column)] }
    func text(_ column: Int32) -> String { self[Int(column)] ?? "" }
    func optionalText(_ column: Int32) -> String? { self[Int(column)] }
    func amount(_ column: Int32) -> UInt128? {
        guard let text: String = self[Int(column)] else { return nil }
        var digits = text
        return digits.withUTF8 { LedgerAmount.parseDigits($0) }
    }
}

/// A prepared GRDB statement driven through SQLite's C API, for the commit's hot loops. GRDB's
/// `execute(arguments:)` and `Row` box every value (a `StatementArguments` array per row, a
/// `Row` per result); binding and reading by position straight from the statement skips that.
/// The statement must come from the same `Database` and be used inside its access block.
struct SQLiteRawStatement: SQLiteColumns {
    let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    init(_ statement: Statement) { self.statement = statement }

    // MARK: Binding (parameters are numbered from 1)

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Text is copied by SQLite (SQLITE_TRANSIENT), so `text` need not outlive the call.
    func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in bindText(index, bytes) }
    }

    func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { sqlite3_bind_null(handle, index) }
    }

    /// An amount as decimal TEXT, formatted without allocating.
    func bind(_ index: Int32, amount: UInt128) {
        LedgerAmount.withDigits(of: amount) { bytes in bindText(index, bytes) }
    }

    func bind(_ index: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { bytes in _ = sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), sqliteTransient) }
    }

    private func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        bytes.withMemoryRebound(to: CChar.self) { chars in
            _ = sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), sqliteTransient)
        }
    }

    /// Runs a statement that returns no rows with the values bound so far.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Runs a query with the values bound so far, calling `row` for each result row.
    func forEachRow(_ row: (SQLiteRawStatement) throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return }
            guard code == SQLITE_ROW else { throw error(code) }
            try row(self)
        }
    }

    private func error(_ code: Int32) -> DatabaseError {
        let connection = sqlite3_db_handle(handle)
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }

    // MARK: Reading the current row (columns are numbered from 0)

    func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    func text(_ column: Int32) -> String {
        guard let bytes = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    func optionalText(_ column: Int32) -> String? { isNull(column) ? nil : text(column) }

    /// Parsed in place, without building a String.
    func amount(_ column: Int32) -> UInt128? {
        guard let bytes = sqlite3_column_text(handle, column) else { return nil }
        return LedgerAmount.parseDigits(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))))
    }

    func blob(_ column: Int32) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, column) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, column))))
    }
}

/// SQLite's "copy the value now" destructor, which C spells as `(sqlite3_destructor_type)-1`.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
