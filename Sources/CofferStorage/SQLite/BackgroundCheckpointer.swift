import Dispatch
import GRDB
import Synchronization

/// Copies the WAL into the database file from a connection of its own, off the commit path.
///
/// SQLite's automatic checkpoint runs inside the COMMIT that crosses its threshold, so the callers
/// of that group commit wait for it (page writes and an fsync of the database file): the slowest
/// single-transfer commits were those. Here the writer's commits only look at the WAL-index header
/// and, once `threshold` frames are not in the database file yet, hand a PASSIVE checkpoint to a
/// utility queue. A passive checkpoint takes no write lock, so commits go on meanwhile; the writer
/// restarts the WAL from its start when a checkpoint caught up. The writer keeps SQLite's own
/// automatic checkpoint at a higher threshold as a bound: under sustained writes the checkpoints
/// here rarely catch up with the newest frame, so that bound's checkpoint (which then copies only
/// the frames written since the last one here) is what lets the WAL restart.
final class BackgroundCheckpointer: WriterCommitListener {
    private let path: String
    private let header: WALIndexHeader
    private let threshold: UInt32
    private let running = Atomic<Bool>(false)
    private let queue = DispatchQueue(label: "coffer.checkpoint", qos: .utility)
    /// Opened on the first checkpoint, so a short-lived process (most CLI commands) never opens it.
    private let connection = Mutex<DatabaseQueue?>(nil)

    init(path: String, header: WALIndexHeader, threshold: Int) {
        self.path = path
        self.header = header
        self.threshold = UInt32(threshold)
    }

    func writerCommitted(from before: CommitStamp?, to after: CommitStamp?) {
        guard header.framesNotCheckpointed() >= threshold,
              running.compareExchange(expected: false, desired: true, ordering: .acquiringAndReleasing).exchanged else { return }
        queue.async { [self] in
            // A failure (say, SQLITE_BUSY against another process's checkpoint) is retried by the
            // next commit that finds the WAL still long.
            _ = try? checkpointConnection().writeWithoutTransaction { db in try db.checkpoint(.passive) }
            running.store(false, ordering: .releasing)
        }
    }

    func writerRolledBack() {}

    private func checkpointConnection() throws -> DatabaseQueue {
        try connection.withLock { connection in
            if let connection { return connection }
            var configuration = Configuration()
            configuration.label = "CofferDatabase.checkpoint"
            configuration.busyMode = .timeout(10)
            configuration.prepareDatabase { db in
                // The checkpoint syncs the WAL before copying it and the database file after.
                try db.execute(sql: "PRAGMA synchronous = FULL")
            }
            let opened = try DatabaseQueue(path: path, configuration: configuration)
            connection = opened
            return opened
        }
    }
}
