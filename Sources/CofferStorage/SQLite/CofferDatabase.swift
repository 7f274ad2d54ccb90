import Foundation
public import GRDB
import Synchronization

/// The embedded SQLite database: WAL mode with one writer and concurrent readers (GRDB's
/// `DatabasePool`), `synchronous=FULL` so a committed transaction survives power loss, foreign
/// keys on, and every domain's numbered migrations applied in order at open.
public final class CofferDatabase: Sendable {
    public let pool: DatabasePool
    public let path: String
    /// Read-only connections for `readNow`, idle ones kept for reuse.
    private let idleReaders = Mutex<[DatabaseQueue]>([])
    /// The mapped WAL-index header, for `CommitStamp`s; nil if the database is not in WAL mode.
    private let walIndexHeader: WALIndexHeader?
    /// Reads the stamp around each of the writer's commits for the caches; nil without a header.
    private let commitObserver: WriterCommitObserver?
    /// The caches `commitStampedCache` made, by name.
    private let caches = Mutex<[String: any WriterCommitListener]>([:])

    /// The WAL frames not yet in the database file at which a checkpoint starts, off the commit
    /// path (`BackgroundCheckpointer`).
    public static let walCheckpointPages = 500
    /// The WAL length at which the writer's own commit checkpoints (SQLite's automatic checkpoint),
    /// should the background checkpoints fall behind.
    public static let writerCheckpointPages = 4_000

    /// Opens (creating if needed) the database at `path` and migrates it.
    public init(path: String, migrations: [SchemaMigration]) throws(StorageError) {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(10)
        configuration.prepareDatabase { db in
            // FULL: the WAL is fsynced at every commit, so an acknowledged write survives a power
            // loss (NORMAL would only guarantee consistency, not durability, in WAL mode).
            try db.execute(sql: "PRAGMA synchronous = FULL")
            // The writer keeps up to 64 MiB of pages (SQLite's default is 2 MiB): a ledger commit
            // touches pages all over the transfer indexes, balances and balance history, and with
            // the default most of them were re-read from the OS on every commit. Readers keep the
            // default. Measured on batches of 8,000 transfers: see docs/ledger.md.
            if !db.configuration.readonly { try db.execute(sql: "PRAGMA cache_size = -65536") }
        }
        do {
            let existed = FileManager.default.fileExists(atPath: path)
            pool = try DatabasePool(path: path, configuration: configuration)
            // Again on the writer, now that the pool is open: GRDB switches a new pool to WAL
            // after `prepareDatabase` ran and sets `synchronous = NORMAL` as it does, so the FULL
            // above never reached the connection that commits (found with strace: 11 fdatasync
            // calls for about 90 commits).
            // The automatic checkpoint runs inside the COMMIT that crosses its threshold, so the
            // callers of that commit wait for it. Checkpoints run in the background instead
            // (`BackgroundCheckpointer`, at `walCheckpointPages`); the writer's own is a bound far
            // behind them. Single-transfer commits from 32 submitters, alternating builds in the
            // same minutes: p99 6.0-6.8 ms against 8.4-9.6 ms with the writer checkpointing at
            // 500 pages, and more transfers per second (docs/benchmarks.md).
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                try db.execute(sql: "PRAGMA wal_autocheckpoint = \(Self.writerCheckpointPages)")
            }
            if !existed { chmod(path, 0o600) }
            var migrator = DatabaseMigrator()
            for migration in migrations.sorted(by: { ($0.domain, $0.number) < ($1.domain, $1.number) }) {
                migrator.registerMigration(migration.identifier, migrate: migration.apply)
            }
            try migrator.migrate(pool)
        } catch {
            throw StorageError("cannot open database \(path): \(error)")
        }
        self.path = path
        // After the migrations, which made the writer open the WAL and map its index.
        walIndexHeader = WALIndexHeader(pool: pool)
        commitObserver = walIndexHeader.map(WriterCommitObserver.init)
        if let commitObserver, let walIndexHeader {
            // Held weakly by GRDB (this database holds it): its listeners hold the header, which holds
            // the pool, so a pool that held the observer could never be freed.
            pool.add(transactionObserver: commitObserver, extent: .observerLifetime)
            commitObserver.add(BackgroundCheckpointer(path: path, header: walIndexHeader, threshold: Self.walCheckpointPages))
        }
    }

    /// Frames in the WAL not yet copied into the database file (0 when not in WAL mode).
    public func walFramesNotCheckpointed() -> Int { Int(walIndexHeader?.framesNotCheckpointed() ?? 0) }

    /// The cache called `name` for this database, made on first use (later calls return the same
    /// one, so every store on this database notes its writes in the cache its readers use).
    public func commitStampedCache<Key, Value>(_ name: String, capacity: Int) -> CommitStampedCache<Key, Value> {
        caches.withLock { caches in
            if let existing = caches[name] as? CommitStampedCache<Key, Value> { return existing }
            let cache = CommitStampedCache<Key, Value>(header: walIndexHeader, capacity: capacity)
            caches[name] = cache
            commitObserver?.add(cache)
            return cache
        }
    }

    /// The database's current commit (see `CommitStamp`); nil when it is not in WAL mode or a
    /// commit is rewriting the header this instant.
    public func commitStamp() -> CommitStamp? { walIndexHeader?.stamp() }

    /// Runs a short read on the calling thread, on a read-only connection of its own, and returns
    /// its result: for point reads on hot paths (an account's balances for the HTTP API), where
    /// `pool.read`'s hand-offs to GRDB's reader queue and back cost more than the read itself.
    ///
    /// `body` runs outside a transaction, so each statement sees the latest commit: use it for
    /// single-statement reads. It blocks the calling thread for the read only. Its connections are
    /// never held across a suspension (they are not GRDB's pool, which async reads hold until a
    /// cooperative thread resumes them), so waiting for one cannot deadlock Swift concurrency.
    public func readNow<T>(_ body: (Database) throws -> T) throws -> T {
        let reader = try idleReaders.withLock { $0.popLast() } ?? openReader()
        defer {
            idleReaders.withLock { idle in
                if idle.count < Self.idleReaderLimit { idle.append(reader) }
            }
        }
        return try reader.inDatabase(body)
    }

    /// The most idle `readNow` connections kept open; more are opened while more threads read at once.
    static let idleReaderLimit = 8

    private func openReader() throws -> DatabaseQueue {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.label = "CofferDatabase.readNow"
        return try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Opens the database of a data directory, creating the directory if needed.
    public convenience init(directory: DataDirectory, migrations: [SchemaMigration]) throws(StorageError) {
        try directory.create()
        try self.init(path: directory.databaseURL.path, migrations: migrations)
    }
}
