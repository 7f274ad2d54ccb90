import Wallets
import Tenancy
import CofferCore
import CofferBase
import CofferStorage
import Foundation
import GRDB
import Testing

/// The WAL is copied into the database file off the commit path once `walCheckpointPages` frames
/// are waiting, well before the writer's own bound (`writerCheckpointPages`) would do it.
@Suite struct BackgroundCheckpointTests {
    @Test func theWALIsCheckpointedInTheBackground() async throws {
        let directory = ScratchDirectory("checkpoint")
        defer { directory.remove() }
        let database = try directory.open()
        try await database.pool.write { db in try db.execute(sql: "CREATE TABLE blobs (data BLOB NOT NULL)") }
        // 15 commits of about 100 pages each: 1,500 frames, three times the threshold and well
        // under the writer's bound.
        let pageSize = try await database.pool.read { db in try Int.fetchOne(db, sql: "PRAGMA page_size") } ?? 4096
        #expect(CofferDatabase.walCheckpointPages * 3 < CofferDatabase.writerCheckpointPages)
        for _ in 0..<15 {
            try await database.pool.write { db in
                try db.execute(sql: "INSERT INTO blobs VALUES (randomblob(?))", arguments: [100 * pageSize])
            }
        }
        var waiting = database.walFramesNotCheckpointed()
        for _ in 0..<100 where waiting >= CofferDatabase.walCheckpointPages {
            try await Task.sleep(for: .milliseconds(50))
            waiting = database.walFramesNotCheckpointed()
        }
        #expect(waiting < CofferDatabase.walCheckpointPages, "\(waiting) frames still wait for a checkpoint")
        let count = try database.readNow { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM blobs") }
        #expect(count == 15)
    }
}
