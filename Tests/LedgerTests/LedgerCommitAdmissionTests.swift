import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import Ledger
import Testing

/// Admissions on both stores: a group admitter's prelude is read with the ledger's head under the
/// commit lock (PostgreSQL; SQLite declines it and the admitter reads for itself), its deferred
/// writes commit with the batch and are visible to the commit's companions, and a commit that
/// fails leaves none of them.
struct LedgerCommitAdmissionTests {
    /// Admits every token whose text is not "refuse", remembering each admitted one in
    /// `admission_rows` with `executeLater`; its prelude counts those rows.
    final class CountingAdmitter: LedgerGroupAdmitter {
        /// What each call was given: the prelude's rows' counts (nil when there was no prelude).
        let preludes = Captured<[[Int64]?]>([])
        let preludeSQL: CofferStorage.SQL

        init(prelude: CofferStorage.SQL = "SELECT COUNT(*) FROM admission_rows") { preludeSQL = prelude }

        func prelude(for tokens: [any Sendable], dialect: SQLDialect) -> CofferStorage.SQL? { preludeSQL }

        func admit(_ tokens: [any Sendable], prelude: [any SQLRow]?, on connection: any SQLConnection) throws -> [Bool] {
            let counts = try prelude?.map { try $0.int64(0) }
            preludes.update { $0.append(counts) }
            return try tokens.map { token in
                let name = token as? String ?? ""
                guard name != "refuse" else { return false }
                try connection.executeLater("INSERT INTO admission_rows (name) VALUES (\(name))")
                return true
            }
        }
    }

    @Test(arguments: LedgerBackend.all) func preludeAndDeferredWritesCommitWithTheBatch(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        try await ledger.execute("CREATE TABLE admission_rows (name TEXT PRIMARY KEY)")
        let store = ledger.store
        let admitter = CountingAdmitter()
        let postgres = backend == .postgres

        // Admitted: the deferred write commits with the transfer and the companion sees it.
        let seenByCompanion = Captured<Int64?>(nil)
        let first = try await store.submit([transfer("t1", "a", "b", 10)], admission: LedgerCommitAdmission(admitter: admitter, token: "one")) { _, connection in
            seenByCompanion.set(try connection.queryOne("SELECT COUNT(*) FROM admission_rows") { try $0.int64(0) })
        }
        #expect(first == AdmittedResults(admitted: true, results: [.created]))
        #expect(seenByCompanion.value == 1)
        #expect(try await ledger.count("admission_rows") == 1)

        // The next commit's prelude reads what the last one wrote.
        let second = try await store.submit([transfer("t2", "a", "b", 5)], admission: LedgerCommitAdmission(admitter: admitter, token: "two"), companion: nil)
        #expect(second.admitted && second.results == [.created])
        #expect(admitter.preludes.value == (postgres ? [[0], [1]] : [nil, nil]))

        // Refused: no transfer, no row.
        let refused = try await store.submit([transfer("t3", "a", "b", 5)], admission: LedgerCommitAdmission(admitter: admitter, token: "refuse"), companion: nil)
        #expect(!refused.admitted && refused.results.isEmpty)
        #expect(try await ledger.count("admission_rows") == 2)
        #expect(try await ledger.count("ledger_transfers") == 2)

        // A commit that fails after the admission leaves neither its transfer nor its deferred write.
        struct Failed: Error {}
        await #expect(throws: Failed.self) {
            _ = try await store.submit([transfer("t4", "a", "b", 5)], admission: LedgerCommitAdmission(admitter: admitter, token: "four")) { _, _ in
                throw Failed()
            }
        }
        #expect(try await ledger.count("admission_rows") == 2)
        #expect(try await ledger.count("ledger_transfers") == 2)

        // A deferred write that fails (a duplicate name) fails the commit it rides on, whole.
        await #expect(throws: (any Error).self) {
            _ = try await store.submit([transfer("t5", "a", "b", 5)], admission: LedgerCommitAdmission(admitter: admitter, token: "one"), companion: nil)
        }
        #expect(try await ledger.count("admission_rows") == 2)
        #expect(try await ledger.count("ledger_transfers") == 2)
        #expect(try await ledger.balances("b") == AccountBalances(creditsPosted: 15))
        guard case .intact(let batches, _, _) = try await store.verify() else { Issue.record("the ledger does not verify"); return }
        #expect(batches == 2)
    }

    /// A prelude that selects no rows hands the admitter an empty list, not nil (which means the
    /// commit ran none): the ledger's head row is still read.
    @Test(arguments: LedgerBackend.all) func aPreludeOfNoRowsIsEmptyNotMissing(backend: LedgerBackend) async throws {
        let ledger = try await TemporaryLedger(backend)
        try await ledger.setUp()
        try await ledger.execute("CREATE TABLE admission_rows (name TEXT PRIMARY KEY)")
        let admitter = CountingAdmitter(prelude: "SELECT COUNT(*) FROM admission_rows GROUP BY name")
        let result = try await ledger.store.submit([transfer("t1", "a", "b", 10)], admission: LedgerCommitAdmission(admitter: admitter, token: "one"), companion: nil)
        #expect(result.admitted && result.results == [.created])
        #expect(admitter.preludes.value == (backend == .postgres ? [[]] : [nil]))
        #expect(try await ledger.count("admission_rows") == 1)
    }
}
