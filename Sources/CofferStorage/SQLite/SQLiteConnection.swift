import CofferBase
import Foundation
public import GRDB

/// A GRDB connection inside one of its transactions, as an `SQLConnection`. Statements are
/// cached per connection by their text, so a store's statements are prepared once.
public struct SQLiteConnection: SQLConnection {
    public let database: Database

    public init(_ database: Database) { self.database = database }

    public var dialect: SQLDialect { .sqlite }

    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        try Self.translatingErrors(sql) {
            try database.cachedStatement(sql: sql.text).execute(arguments: Self.arguments(sql.values))
            return database.changesCount
        }
    }

    public func query<T>(_ sql: SQL, _ decode: (any SQLRow) throws -> T) throws -> [T] {
        try Self.translatingErrors(sql) {
            let rows = try Row.fetchCursor(database.cachedStatement(sql: sql.text), arguments: Self.arguments(sql.values))
            var decoded: [T] = []
            while let row = try rows.next() { decoded.append(try decode(row)) }
            return decoded
        }
    }

    static func arguments(_ values: [SQLValue]) -> StatementArguments {
        StatementArguments(values.map { value -> (any DatabaseValueConvertible)? in
            switch value {
            case .null: nil
            case .integer(let number): number
            case .text(let text): text
            case .blob(let bytes): Data(bytes)
            case .texts(let texts): String(decoding: (try? JSONEncoder().encode(texts)) ?? Data("[]".utf8), as: UTF8.self)
            case .integers(let numbers): "[" + numbers.map(String.init).joined(separator: ",") + "]"
            }
        })
    }

    /// Runs `body`, turning GRDB's errors into `StorageError` (domain errors pass unchanged).
    static func translatingErrors<T>(_ sql: SQL, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as DatabaseError {
            throw StorageError(sqlite: error)
        }
    }
}

extension StorageError {
    /// SQLite's failure, with its kind: busy and locked are worth a retry, a unique or primary
    /// key constraint is a conflict.
    public init(sqlite error: DatabaseError) {
        let kind: Kind
        switch error.extendedResultCode {
        case .SQLITE_CONSTRAINT_UNIQUE, .SQLITE_CONSTRAINT_PRIMARYKEY: kind = .uniqueViolation
        default:
            switch error.resultCode {
            case .SQLITE_BUSY, .SQLITE_LOCKED: kind = .unavailable
            default: kind = .failure
            }
        }
        self.init("SQLite: \(error.message ?? "error \(error.resultCode.rawValue)")", kind: kind,
                  engineCode: String(error.extendedResultCode.rawValue))
    }
}

extension CofferDatabase: SQLDatabase {
    public var dialect: SQLDialect { .sqlite }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        do {
            return try await pool.write { db in try body(SQLiteConnection(db)) }
        } catch let error as DatabaseError {
            throw StorageError(sqlite: error)
        }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        do {
            return try await pool.read { db in try body(SQLiteConnection(db)) }
        } catch let error as DatabaseError {
            throw StorageError(sqlite: error)
        }
    }
}
