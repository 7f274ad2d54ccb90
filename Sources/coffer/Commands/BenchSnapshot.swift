import CofferStorage
import Foundation
import GRDB

/// A benchmark's set-up database, made once and measured on fresh copies, so every measurement
/// starts from the same state whatever an earlier one wrote.
enum BenchSnapshot {
    /// Writes `database` to `path` as one file (`VACUUM INTO`), not a copy of the live file: the
    /// database's background checkpointer may still be writing pages into that.
    static func write(_ database: CofferDatabase, to path: String) async throws {
        try await database.pool.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [path]) }
    }

    /// A new data directory at `path` holding a copy of `snapshot`, on disk before any clock
    /// starts: otherwise the copy's writeback lands in the measured commits' fsyncs.
    static func copy(_ snapshot: URL, into path: URL) throws -> DataDirectory {
        let directory = DataDirectory(explicit: path.path)
        try directory.create()
        try FileManager.default.copyItem(at: snapshot, to: directory.databaseURL)
        let copy = open(directory.databaseURL.path, O_RDONLY)
        guard copy >= 0, fsync(copy) == 0 else { throw CLIError("cannot fsync the copy of the scratch database") }
        close(copy)
        return directory
    }
}
