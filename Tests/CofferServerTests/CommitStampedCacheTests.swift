import Wallets
import Tenancy
import CofferCore
import CofferBase
import CofferStorage
import Foundation
import GRDB
import Testing

/// `CommitStamp` and `CommitStampedCache` on a real WAL database: a commit by anyone changes the
/// stamp, reads do not; the cache serves a value only while no commit could have changed it.
@Suite struct CommitStampedCacheTests {
    /// A fresh database file with two connections to it (this one and `other`, as another process
    /// would have), a table of two counters, and the cache of the first.
    struct Fixture {
        let directory = ScratchDirectory("stamp")
        let database: CofferDatabase
        let other: CofferDatabase
        let cache: CommitStampedCache<String, Int>

        init() async throws {
            database = try directory.open()
            other = try directory.open()
            try await database.pool.write { db in
                try db.execute(sql: "CREATE TABLE counter (k TEXT PRIMARY KEY, n INTEGER NOT NULL); INSERT INTO counter VALUES ('x', 0), ('y', 0)")
            }
            cache = database.commitStampedCache("test.counter", capacity: 100)
        }

        func remove() { directory.remove() }
    }

    static func count(_ key: String, _ database: CofferDatabase) throws -> Int? {
        try database.readNow { db in try Int.fetchOne(db, sql: "SELECT n FROM counter WHERE k = ?", arguments: [key]) }
    }

    @Test func everyCommitChangesTheStampAndReadsDoNot() async throws {
        let fixture = try await Fixture()
        defer { fixture.remove() }
        let (database, other) = (fixture.database, fixture.other)
        let start = try #require(database.commitStamp())
        _ = try Self.count("x", database)
        _ = try await database.pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM counter") }
        #expect(database.commitStamp() == start)
        #expect(other.commitStamp() == start, "two connections read one header")
        var seen = [start]
        for round in 0..<20 {
            // Alternately this connection's writer and another connection's.
            let writer = round.isMultiple(of: 2) ? database : other
            try await writer.pool.write { db in try db.execute(sql: "UPDATE counter SET n = n + 1 WHERE k = 'x'") }
            let stamp = try #require(database.commitStamp())
            #expect(!seen.contains(stamp), "round \(round): a commit left the stamp as it was")
            seen.append(stamp)
        }
        // A transaction that rolls back commits nothing.
        let before = database.commitStamp()
        _ = try? await database.pool.write { db in
            try db.execute(sql: "UPDATE counter SET n = n + 1 WHERE k = 'x'")
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "rolled back on purpose")
        }
        #expect(database.commitStamp() == before)
    }

    @Test func aValueIsServedOnlyWhileNoCommitCouldHaveChangedIt() async throws {
        let fixture = try await Fixture()
        defer { fixture.remove() }
        let (database, other, cache) = (fixture.database, fixture.other, fixture.cache)
        #expect(database.commitStampedCache("test.counter", capacity: 100) as CommitStampedCache<String, Int> === cache)
        var reads = 0
        func read(_ key: String) throws -> Int? {
            try cache.value(for: key) {
                reads += 1
                return try Self.count(key, database)
            }
        }
        #expect(try read("x") == 0 && read("y") == 0 && read("x") == 0 && read("y") == 0)
        #expect(reads == 2, "the second reads come from the cache")

        // The writer's own commit that names x: x is read again, y is still served.
        try await database.pool.write { db in
            try db.execute(sql: "UPDATE counter SET n = n + 1 WHERE k = 'x'")
            cache.changing(["x"])
        }
        #expect(try read("x") == 1 && read("y") == 0)
        #expect(reads == 3)

        // Another connection's commit (as another process would): everything is read again.
        try await other.pool.write { db in try db.execute(sql: "UPDATE counter SET n = n + 10 WHERE k = 'y'") }
        #expect(try read("x") == 1 && read("y") == 10)
        #expect(reads == 5)

        // A rollback on the writer drops everything, even the keys it named.
        _ = try? await database.pool.write { db in
            cache.changing(["x"])
            throw DatabaseError(resultCode: .SQLITE_ABORT, message: "rolled back on purpose")
        }
        #expect(try read("x") == 1 && read("y") == 10)
        #expect(reads == 7)

        // A key that does not exist is not cached.
        #expect(try read("z") == nil && read("z") == nil)
        #expect(reads == 9)
    }

    /// Readers through the cache while two writers (this database's, naming what it changes, and
    /// another connection's) commit: no reader ever goes back in time, and once the writers are
    /// done every read returns the final values.
    @Test func readersNeverSeeAValueOlderThanOneTheyAlreadySaw() async throws {
        let fixture = try await Fixture()
        defer { fixture.remove() }
        let (database, other, cache) = (fixture.database, fixture.other, fixture.cache)
        let writes = 150
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<writes {
                    try await database.pool.write { db in
                        try db.execute(sql: "UPDATE counter SET n = n + 1 WHERE k = 'x'")
                        cache.changing(["x"])
                    }
                }
            }
            group.addTask {
                for _ in 0..<writes { try await other.pool.write { db in try db.execute(sql: "UPDATE counter SET n = n + 1 WHERE k = 'y'") } }
            }
            for _ in 0..<8 {
                group.addTask {
                    var last = (x: -1, y: -1)
                    for _ in 0..<400 {
                        let x = try #require(try cache.value(for: "x") { try Self.count("x", database) })
                        let y = try #require(try cache.value(for: "y") { try Self.count("y", database) })
                        #expect(x >= last.x && y >= last.y, "went back from \(last) to \((x, y))")
                        last = (x, y)
                        await Task.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try cache.value(for: "x") { try Self.count("x", database) } == writes)
        #expect(try cache.value(for: "y") { try Self.count("y", database) } == writes)
    }

    /// The commit observer, the caches and the checkpointer keep the pool alive only while the
    /// database (or a cache taken from it) is held: a released database closes its connections.
    @Test func aReleasedDatabaseFreesItsPool() async throws {
        let directory = ScratchDirectory("stamp")
        defer { directory.remove() }
        weak var released: DatabasePool?
        do {
            let database = try directory.open()
            let cache: CommitStampedCache<String, Int> = database.commitStampedCache("test.counter", capacity: 10)
            try await database.pool.write { db in
                try db.execute(sql: "CREATE TABLE counter (n INTEGER NOT NULL)")
                cache.changing(["x"])
            }
            released = database.pool
        }
        for _ in 0..<100 where released != nil { try await Task.sleep(for: .milliseconds(20)) }
        #expect(released == nil, "the pool outlived its database")
    }
}
