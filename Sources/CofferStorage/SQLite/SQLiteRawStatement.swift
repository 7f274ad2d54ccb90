import CofferBase
public import GRDB
import GRDBSQLite
import Foundation

extension Row: SQLRow {
    public func isNull(_ column: Int) -> Bool { self.hasNull(atIndex: column) }
    public func int64(_ column: Int) -> Int64 { self[column] }
    public func text(_ column: Int) -> String { self[column] ?? "" }
    public func blob(_ column: Int) -> [UInt8] { (self[column] as Data?).map(Array.init) ?? [] }
}

/// A prepared GRDB statement driven through SQLite's C API, for the commit's hot loops. GRDB's
/// `execute(arguments:)` and `Row` box every value (a `StatementArguments` array per row, a
/// `Row` per result); binding and reading by position straight from the statement skips that.
/// The statement must come from the same `Database` and be used inside its access block.
public struct SQLiteRawStatement: SQLRow {
    public let statement: Statement
    private var handle: OpaquePointer { statement.sqliteStatement }

    public init(_ statement: Statement) { self.statement = statement }

    // MARK: Binding (parameters are numbered from 1)

    public func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }

    public func bind(_ index: Int32, _ value: Int64?) {
        if let value { sqlite3_bind_int64(handle, index, value) } else { sqlite3_bind_null(handle, index) }
    }

    /// Text is copied by SQLite (SQLITE_TRANSIENT), so `text` need not outlive the call.
    public func bind(_ index: Int32, _ text: String) {
        var text = text
        text.withUTF8 { bytes in bindText(index, bytes) }
    }

    public func bind(_ index: Int32, _ text: String?) {
        if let text { bind(index, text) } else { sqlite3_bind_null(handle, index) }
    }

    /// An amount as decimal TEXT, formatted without allocating.
    public func bind(_ index: Int32, amount: UInt128) {
        AmountText.withDigits(of: amount) { bytes in bindText(index, bytes) }
    }

    public func bind(_ index: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { bytes in _ = sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), sqliteTransient) }
    }

    private func bindText(_ index: Int32, _ bytes: UnsafeBufferPointer<UInt8>) {
        bytes.withMemoryRebound(to: CChar.self) { chars in
            _ = sqlite3_bind_text(handle, index, chars.baseAddress, Int32(chars.count), sqliteTransient)
        }
    }

    /// Runs a statement that returns no rows with the values bound so far.
    public func execute() throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw error(code) }
    }

    /// Runs a query with the values bound so far, calling `row` for each result row.
    public func forEachRow(_ row: (SQLiteRawStatement) throws -> Void) throws {
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

    public func isNull(_ column: Int) -> Bool { sqlite3_column_type(handle, Int32(column)) == SQLITE_NULL }

    public func int64(_ column: Int) -> Int64 { sqlite3_column_int64(handle, Int32(column)) }

    public func text(_ column: Int) -> String {
        guard let bytes = sqlite3_column_text(handle, Int32(column)) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, Int32(column)))
        return String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self)
    }

    /// Parsed in place, without building a String.
    public func amountDigits(_ column: Int) -> UInt128? {
        guard let bytes = sqlite3_column_text(handle, Int32(column)) else { return nil }
        return AmountText.parseDigits(UnsafeBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, Int32(column)))))
    }

    public func blob(_ column: Int) -> [UInt8] {
        guard let bytes = sqlite3_column_blob(handle, Int32(column)) else { return [] }
        return Array(UnsafeRawBufferPointer(start: bytes, count: Int(sqlite3_column_bytes(handle, Int32(column)))))
    }
}

/// SQLite's "copy the value now" destructor, which C spells as `(sqlite3_destructor_type)-1`.
private let sqliteTransient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
