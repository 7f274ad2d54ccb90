import Wallets
import Tenancy
import CofferCore
import CofferBase
import CofferStorage
import Foundation
import GRDB
import Testing

/// `CofferDatabase.readNow`, the embedded store's point reads on the calling thread: from many
/// tasks on Swift concurrency's few threads at once, next to async pool reads and a writer, it
/// never deadlocks, never reads back in time, and cannot write.
@Suite struct ReadNowTests {
    @Test func concurrentReadsOnTheCallersThreadSeeEveryCommitInOrder() async throws {
        let directory = ScratchDirectory("readnow")
        defer { directory.remove() }
        let database = try directory.open()
        try await database.pool.write { db in try db.execute(sql: "CREATE TABLE counter (n INTEGER NOT NULL); INSERT INTO counter VALUES (0)") }
        let writes = 200
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<writes { try await database.pool.write { db in try db.execute(sql: "UPDATE counter SET n = n + 1") } }
            }
            for task in 0..<32 {
                group.addTask {
                    var last = -1
                    for _ in 0..<200 {
                        let n: Int
                        if task % 4 == 0 {  // GRDB's async pool alongside, which holds its readers across suspensions
                            n = try await database.pool.read { db in try Int.fetchOne(db, sql: "SELECT n FROM counter") ?? -1 }
                        } else {
                            n = try database.readNow { db in try Int.fetchOne(db, sql: "SELECT n FROM counter") ?? -1 }
                        }
                        #expect(n >= last && n <= writes)
                        last = n
                        await Task.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try database.readNow { db in try Int.fetchOne(db, sql: "SELECT n FROM counter") } == writes)
        #expect(throws: (any Error).self) { try database.readNow { db in try db.execute(sql: "UPDATE counter SET n = 0") } }
        #expect(try database.readNow { db in try Int.fetchOne(db, sql: "SELECT n FROM counter") } == writes)
    }
}
