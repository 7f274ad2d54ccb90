import CofferBase
import Logging
import NIOCore
import PostgresNIO

/// A pooled PostgreSQL connection used synchronously inside one transaction, on a Dispatch thread
/// (`PostgresPool.write`/`read`): each statement's future is waited for there. Waiting is allowed
/// off the connection's event loop, and nothing else uses the connection meanwhile. The ledger's
/// commit lends its own transaction's connection this way to companion writes of other stores.
public struct PostgresBlockingConnection: SQLConnection {
    public let connection: PostgresConnection
    /// Where `executeLater` collects writes (see `SQLDeferredWrites`); nil runs them at once.
    public let deferred: SQLDeferredWrites?

    public init(connection: PostgresConnection, deferring deferred: SQLDeferredWrites? = nil) {
        self.connection = connection
        self.deferred = deferred
    }

    public var dialect: SQLDialect { .postgres }

    @discardableResult
    public func execute(_ sql: SQL) throws -> Int {
        let result = try run(sql)
        return result.metadata.rows ?? 0
    }

    public func query<T>(_ sql: SQL, _ decode: (any SQLRow) throws -> T) throws -> [T] {
        try run(sql).rows.map { try decode(PostgresRowReader($0)) }
    }

    public func executeLater(_ sql: SQL) throws {
        guard let deferred else {
            _ = try execute(sql)
            return
        }
        deferred.append(sql)
    }

    private func run(_ sql: SQL) throws -> PostgresQueryResult {
        // Writes deferred on this connection are run before anything that could read them.
        if let writes = deferred?.flushed() { _ = try send(writes) }
        return try send(sql)
    }

    private func send(_ sql: SQL) throws -> PostgresQueryResult {
        do {
            return try connection.query(PostgresQuery(sql), logger: PostgresPool.logger).wait()
        } catch {
            throw StorageError(postgres: error, doing: "running \(sql.text.prefix(60))")
        }
    }
}

extension PostgresQuery {
    /// `sql` with PostgreSQL's numbered parameters and its values bound (arrays as arrays).
    public init(_ sql: SQL) {
        var binds = PostgresBindings(capacity: sql.values.count)
        for value in sql.values {
            switch value {
            case .null: binds.appendNull()
            case .integer(let number): binds.append(number)
            case .text(let text): binds.append(text)
            case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
            case .texts(let texts): binds.append(texts)
            case .integers(let numbers): binds.append(numbers)
            }
        }
        self.init(unsafeSQL: sql.numberedText, binds: binds)
    }
}

/// A PostgreSQL row read by column position as an `SQLRow`.
public struct PostgresRowReader: SQLRow, Sendable {
    let cells: [PostgresCell]

    public init(_ row: PostgresRow) { cells = Array(row) }

    public func isNull(_ column: Int) -> Bool { !cells.indices.contains(column) || cells[column].bytes == nil }
    public func int64(_ column: Int) throws -> Int64 { try decode(Int64.self, column) }
    public func text(_ column: Int) throws -> String { try decode(String?.self, column) ?? "" }
    public func blob(_ column: Int) throws -> [UInt8] {
        guard let buffer = try decode(ByteBuffer?.self, column) else { return [] }
        return Array(buffer.readableBytesView)
    }

    private func decode<T: PostgresDecodable>(_ type: T.Type, _ column: Int) throws -> T {
        guard cells.indices.contains(column) else { throw StorageError.corrupt("a query returned no column \(column)") }
        do {
            return try cells[column].decode(T.self)
        } catch {
            throw StorageError.corrupt("column \(cells[column].columnName) does not hold a \(T.self)")
        }
    }
}
