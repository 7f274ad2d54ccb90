import Wallets
import Tenancy
import CofferCore
import CofferBase
import CofferStorage
import Foundation
import GRDB
import Testing

/// `GroupCommitWriter`, which the embedded tenancy store commits idempotent responses through:
/// concurrent writes share transactions, and a failing one changes nothing of its own and fails
/// only its caller, with or without a savepoint around it.
@Suite struct GroupCommitWriterTests {
    @Test(arguments: [true, false])
    func aFailingWriteFailsOnlyItsCaller(_ savepoint: Bool) async throws {
        let directory = ScratchDirectory("group")
        defer { directory.remove() }
        let database = try directory.open(migrations: [
            SchemaMigration(domain: "test", number: 1, name: "rows") { db in try db.execute(sql: "CREATE TABLE rows (id INTEGER PRIMARY KEY)") },
        ])
        let writer = GroupCommitWriter(database: database)
        // Ids 0..<40, with id 7 twice: one of the two inserts of 7 must fail, alone.
        let ids = Array(0..<40) + [7]
        let failures = await withTaskGroup(of: Bool.self) { group in
            for id in ids {
                group.addTask {
                    do {
                        try await writer.write(savepoint: savepoint) { db in
                            try db.cachedStatement(sql: "INSERT INTO rows (id) VALUES (?)").execute(arguments: [id])
                        }
                        return false
                    } catch {
                        return true
                    }
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(failures == 1)
        let stored = try await database.pool.read { db in try Int.fetchAll(db, sql: "SELECT id FROM rows ORDER BY id") }
        #expect(stored == Array(0..<40))
    }
}
