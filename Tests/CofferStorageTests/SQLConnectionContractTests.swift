import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import Testing

/// The SQL layer's contract on both engines, through `SQLDatabase` and `SQLConnection` only, so
/// a store written once behaves the same on SQLite and PostgreSQL: values round-trip exactly,
/// placeholders are translated, a unique violation has one kind, a throwing body rolls back
/// everything, a read transaction cannot write and `serialize(on:)` orders writers.
struct SQLConnectionContractTests {
    /// A database with one table of every column type the stores use.
    static func open(_ engine: TestEngine) async throws -> TestDatabase {
        let storage = try await TestDatabase.make(engine, sqlite: [], postgres: [])
        let blob = engine == .postgres ? "bytea" : "BLOB"
        let integer = engine == .postgres ? "bigint" : "INTEGER"
        try await storage.execute("""
            CREATE TABLE sample (id \(integer) PRIMARY KEY, number \(integer), label TEXT, data \(blob), amount TEXT, code TEXT UNIQUE)
            """)
        return storage
    }

    struct Sample: Sendable, Equatable {
        var id: Int64
        var number: Int64?
        var label: String?
        var data: [UInt8]?
        var amount: UInt128?
        var code: String?
    }

    static func insert(_ sample: Sample, on connection: any SQLConnection) throws {
        try connection.execute("""
            INSERT INTO sample (id, number, label, data, amount, code)
            VALUES (\(sample.id), \(sample.number), \(sample.label), \(sample.data), \(sample.amount), \(sample.code))
            """)
    }

    static func read(_ row: any SQLRow) throws -> Sample {
        Sample(id: try row.int64(0), number: try row.optionalInt64(1), label: try row.optionalText(2), data: try row.optionalBlob(3),
               amount: row.isNull(4) ? nil : try row.amount(4, "amount"), code: try row.optionalText(5))
    }

    static func all(_ database: any SQLDatabase) async throws -> [Sample] {
        try await database.read { connection in
            try connection.query("SELECT id, number, label, data, amount, code FROM sample ORDER BY id", Self.read)
        }
    }

    @Test(arguments: TestEngine.all) func valuesRoundTripExactly(engine: TestEngine) async throws {
        let storage = try await Self.open(engine)
        let samples = [
            Sample(id: 1, number: nil, label: nil, data: nil, amount: nil, code: nil),
            Sample(id: 2, number: Int64.min, label: "", data: [], amount: 0, code: "a"),
            Sample(id: 3, number: Int64.max, label: "it's a \"?\" — ünïcødé 🎉", data: Array(0...255), amount: UInt128.max, code: "b"),
            Sample(id: 4, number: 0, label: String(repeating: "x", count: 100_000), data: [0], amount: 10_000_000_000_000_000_001, code: "c?"),
            Sample(id: Int64.min, number: -1, label: "?", data: [0xFF, 0, 0xFF], amount: 1, code: "'"),
        ]
        try await storage.database.write { connection in
            for sample in samples { try Self.insert(sample, on: connection) }
        }
        #expect(try await Self.all(storage.database) == samples.sorted { $0.id < $1.id })
        // An empty text or blob is not NULL.
        let emptiness = try await storage.database.read { connection in
            try connection.query("SELECT id FROM sample WHERE label = '' AND data IS NOT NULL") { try $0.int64(0) }
        }
        #expect(emptiness == [2])
        // Reading a NULL as text gives "" and as an optional gives nil; a missing row gives nil.
        let missing = try await storage.database.read { connection in
            (try connection.queryOne("SELECT label FROM sample WHERE id = 1") { try $0.text(0) },
             try connection.queryOne("SELECT label FROM sample WHERE id = 1") { try $0.optionalText(0) },
             try connection.queryOne("SELECT label FROM sample WHERE id = \(Int64(99))") { try $0.text(0) })
        }
        #expect(missing.0 == "" && missing.1 == .some(nil) && missing.2 == nil)
    }

    /// A column of values travels as one parameter: an array on PostgreSQL (`unnest`, `= ANY`),
    /// JSON text on SQLite (`json_each`); either way every element arrives exactly.
    @Test(arguments: TestEngine.all) func arraysTravelAsOneParameter(engine: TestEngine) async throws {
        let storage = try await Self.open(engine)
        let texts = ["plain", "", "it's \"quoted\" — ünïcødé 🎉", "back\\slash", "?"]
        let numbers: [Int64] = [Int64.min, -1, 0, 42, Int64.max]
        let sql: SQL = engine == .postgres
            ? "SELECT u.label, u.number FROM unnest(\(array: texts)::text[], \(array: numbers)::int8[]) WITH ORDINALITY AS u(label, number, n) ORDER BY u.n"
            : """
              SELECT t.value, n.value FROM json_each(\(array: texts)) t JOIN json_each(\(array: numbers)) n ON n.key = t.key ORDER BY t.key
              """
        let rows = try await storage.database.read { connection in try connection.query(sql) { (try $0.text(0), try $0.int64(1)) } }
        #expect(rows.map(\.0) == texts && rows.map(\.1) == numbers)
    }

    /// `executeLater`: on SQLite a write runs at once. Over PostgreSQL's wire, on a connection lent
    /// with a buffer, it waits: the next statement through that connection runs it first (so reads
    /// see it), and a statement that carries the buffer (`SQLDeferredWrites.carried(by:)`) runs
    /// each write exactly once as a `WITH` clause while reading the snapshot from before them.
    @Test(arguments: TestEngine.all) func deferredWritesRunOnceBeforeAnythingReadsThem(engine: TestEngine) async throws {
        let storage = try await Self.open(engine)
        let buffer = SQLDeferredWrites()
        let seen = try await storage.database.write { connection in
            let lent: any SQLConnection = (connection as? PostgresBlockingConnection)
                .map { PostgresBlockingConnection(connection: $0.connection, deferring: buffer) } ?? connection
            func count(_ on: any SQLConnection) throws -> Int64 { try on.queryOne("SELECT COUNT(*) FROM sample") { try $0.int64(0) } ?? -1 }
            try lent.executeLater("INSERT INTO sample (id, number) VALUES (\(Int64(1)), \(Int64(10)))")
            let waiting: Int64 = buffer.isEmpty ? 0 : 1
            let readThroughLent = try count(lent)  // runs the write first
            try lent.executeLater("INSERT INTO sample (id, number) VALUES (\(Int64(2)), \(Int64(20)))")
            try lent.executeLater("UPDATE sample SET number = number + \(Int64(1)) WHERE id = \(Int64(1))")
            let carrier = buffer.carried(by: "SELECT COUNT(*) FROM sample WHERE number > \(Int64(0))")
            let readByCarrier = try connection.queryOne(carrier) { try $0.int64(0) } ?? -1
            return [waiting, readThroughLent, readByCarrier, try count(connection), buffer.isEmpty ? Int64(1) : 0]
        }
        // PostgreSQL: one write waited; the read through the lent connection saw it; the carrier
        // saw only the first row, yet both of its writes ran once (2 rows, number 11).
        // SQLite: nothing waited, so the carrier is the plain read and sees both rows.
        #expect(seen == (engine == .postgres ? [1, 1, 1, 2, 1] as [Int64] : [0, 1, 2, 2, 1]))
        #expect(try await Self.all(storage.database).map(\.number) == [11, 20])
        // Nothing collected: the carrier is the statement itself, and there is nothing to flush.
        #expect(buffer.carried(by: "SELECT 1").text == "SELECT 1" && buffer.flushed() == nil)
    }

    /// `?` inside quotes is text on both engines; the parameters around it keep their order.
    @Test(arguments: TestEngine.all) func placeholdersInsideQuotesStayText(engine: TestEngine) async throws {
        let storage = try await Self.open(engine)
        let row = try await storage.database.read { connection in
            try connection.queryOne(#"SELECT 'a?b' AS "c?", \#(Int64(7)), 'it''s ?', \#("x?")"#) { row in
                [try row.text(0), String(try row.int64(1)), try row.text(2), try row.text(3)]
            }
        }
        #expect(row == ["a?b", "7", "it's ?", "x?"])
        let matched = try await storage.database.write { connection in
            try Self.insert(Sample(id: 1, number: 5, label: "?", code: "q"), on: connection)
            return try connection.execute("UPDATE sample SET label = '??' WHERE label = '?' AND number = \(Int64(5)) AND code = \("q")")
        }
        #expect(matched == 1)
        #expect(try await Self.all(storage.database).first?.label == "??")
    }

    /// `execute` returns the rows a statement changed, and `IN` lists select what they list.
    @Test(arguments: TestEngine.all) func changesAreCountedAndListsSelect(engine: TestEngine) async throws {
        let storage = try await Self.open(engine)
        let counts = try await storage.database.write { connection in
            for id in Int64(1)...6 { try Self.insert(Sample(id: id, number: id % 2), on: connection) }
            let odd = try connection.execute("UPDATE sample SET label = 'odd' WHERE number = \(Int64(1))")
            let none = try connection.execute("DELETE FROM sample WHERE id > \(Int64(100))")
            let listed = try connection.query("SELECT id FROM sample WHERE id IN \(list: [Int64(6), 2, 42]) ORDER BY id") { try $0.int64(0) }
            let empty = try connection.query("SELECT id FROM sample WHERE id IN \(list: [Int64]())") { try $0.int64(0) }
            return (odd, none, listed, empty)
        }
        #expect(counts.0 == 3 && counts.1 == 0 && counts.2 == [2, 6] && counts.3.isEmpty)
    }

    /// A duplicate primary key and a duplicate UNIQUE column are the same kind of error on both
    /// engines (stores turn it into their own conflict), and the failed transaction stored nothing.
    @Test(arguments: TestEngine.all) func aUniqueViolationHasOneKind(engine: TestEngine) async throws {
        let storage = try await Self.open(engine)
        try await storage.database.write { connection in try Self.insert(Sample(id: 1, code: "taken"), on: connection) }
        for duplicate in [Sample(id: 1, code: "free"), Sample(id: 2, code: "taken")] {
            do {
                try await storage.database.write { connection in
                    try Self.insert(Sample(id: 3, code: "other"), on: connection)
                    try Self.insert(duplicate, on: connection)
                }
                Issue.record("\(duplicate) was stored")
            } catch let error as StorageError {
                #expect(error.kind == .uniqueViolation, "\(error)")
                #expect(error.category == .conflict && error.code == "conflict")
                #expect(error.engineCode == (engine == .postgres ? "23505" : nil) || engine == .sqlite)
            }
        }
        #expect(try await Self.all(storage.database).map(\.id) == [1])
    }

    /// Whatever the body throws rolls back every statement before it and reaches the caller
    /// unchanged; a failing statement does the same with a `StorageError`.
    @Test(arguments: TestEngine.all) func aThrowingBodyRollsBackEverything(engine: TestEngine) async throws {
        let storage = try await Self.open(engine)
        struct Refused: Error, Equatable { let reason: String }
        await #expect(throws: Refused(reason: "no")) {
            try await storage.database.write { connection in
                for id in Int64(1)...3 { try Self.insert(Sample(id: id, label: "doomed"), on: connection) }
                try connection.execute("UPDATE sample SET label = 'changed'")
                throw Refused(reason: "no")
            }
        }
        await #expect(throws: StorageError.self) {
            try await storage.database.write { connection in
                try Self.insert(Sample(id: 1), on: connection)
                try connection.execute("INSERT INTO no_such_table VALUES (1)")
            }
        }
        #expect(try await Self.all(storage.database).isEmpty)
        // The database is fine afterwards.
        try await storage.database.write { connection in try Self.insert(Sample(id: 9), on: connection) }
        #expect(try await Self.all(storage.database).map(\.id) == [9])
    }

    /// A read transaction refuses to write, on both engines, with a `StorageError`.
    @Test(arguments: TestEngine.all) func aReadTransactionCannotWrite(engine: TestEngine) async throws {
        let storage = try await Self.open(engine)
        await #expect(throws: StorageError.self) {
            try await storage.database.read { connection in try Self.insert(Sample(id: 1), on: connection) }
        }
        #expect(try await Self.all(storage.database).isEmpty)
    }

    /// Read-modify-write under `serialize(on:)` from many tasks in two processes loses no update:
    /// on PostgreSQL the advisory lock orders the transactions (at READ COMMITTED each would
    /// otherwise read the same value), on SQLite the single writer does.
    @Test(arguments: TestEngine.all) func serializedWritersLoseNoUpdate(engine: TestEngine) async throws {
        let first = try await Self.open(engine)
        let second = try await first.reopened()
        try await first.database.write { connection in try Self.insert(Sample(id: 1, number: 0), on: connection) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                let database = [first, second][task % 2].database
                group.addTask {
                    for _ in 0..<10 {
                        try await database.write { connection in
                            try connection.serialize(on: 0x636f_6666_6572_2d74)
                            let value = try connection.queryOne("SELECT number FROM sample WHERE id = 1") { try $0.int64(0) } ?? 0
                            try connection.execute("UPDATE sample SET number = \(value + 1) WHERE id = 1")
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await Self.all(first.database).first?.number == 80)
    }
}
