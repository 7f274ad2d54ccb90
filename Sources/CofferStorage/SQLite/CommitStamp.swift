import GRDB
import GRDBSQLite
import Synchronization

/// Which commit a WAL-mode database is at: the WAL-index header SQLite keeps at the start of the
/// `-shm` file, which every commit by any connection in any process rewrites (its change counter,
/// last frame and checksums) and which nothing else changes except a WAL reset. Two equal stamps
/// read at two moments mean no transaction committed in between, learnt without a transaction,
/// a lock or a system call (the file is mapped into memory).
///
/// The format is SQLite's documented WAL-index layout (https://www.sqlite.org/walformat.html,
/// "The WAL-Index Header"): two 48-byte copies of the header, the second written first. A reader
/// that finds the copies unequal caught a commit mid-write and gets no stamp.
public struct CommitStamp: Sendable, Equatable {
    let words: InlineArray<6, UInt64>

    public static func == (lhs: CommitStamp, rhs: CommitStamp) -> Bool {
        for index in 0..<6 where lhs.words[index] != rhs.words[index] { return false }
        return true
    }
}

/// The WAL-index header of a database, read for `CommitStamp`s through SQLite's own mapping of
/// the `-shm` file (the VFS's `xShmMap`, region 0), which every connection of this process to that
/// file shares.
///
/// Not a mapping of our own: opening and closing the `-shm` file here would drop this process's
/// POSIX locks on it (closing any descriptor of a file releases all of the process's `fcntl` locks
/// on it), after which another process may take the file for unused, truncate and rebuild it, and
/// SQLite's mapping in this process faults (found by `LedgerConcurrencyTests`: SIGBUS in SQLite).
final class WALIndexHeader: @unchecked Sendable {
    /// SQLite's WAL-index region size (`WALINDEX_PGSZ`), the size region 0 was mapped with.
    private static let regionBytes: Int32 = 32_768
    private let base: UnsafeRawPointer
    /// Keeps the writer connection, and with it SQLite's mapping, open while the header is read.
    private let pool: DatabasePool

    /// Nil when the database has no WAL index (not in WAL mode) or SQLite has not mapped it yet.
    init?(pool: DatabasePool) {
        let mapped: UnsafeRawPointer? = try? pool.writeWithoutTransaction { db in
            var file: UnsafeMutablePointer<sqlite3_file>?
            guard sqlite3_file_control(db.sqliteConnection, "main", SQLITE_FCNTL_FILE_POINTER, &file) == SQLITE_OK,
                  let file, let methods = file.pointee.pMethods, methods.pointee.iVersion >= 2,
                  let shmMap = methods.pointee.xShmMap else { return nil }
            var region: UnsafeMutableRawPointer?
            // bExtend 0: only an existing region; the writer mapped it when it opened the WAL.
            guard shmMap(file, 0, Self.regionBytes, 0, &region) == SQLITE_OK, let region else { return nil }
            return UnsafeRawPointer(region)
        }
        guard let mapped else { return nil }
        base = mapped
        self.pool = pool
    }

    /// The current stamp, or nil while a commit is rewriting the header (or before SQLite
    /// initialised it). The first copy is read before the second, with acquiring loads, the
    /// reverse of the order SQLite writes them in: equal copies are one whole header.
    func stamp() -> CommitStamp? {
        let words = UnsafePointer<Atomic<UInt64>>(OpaquePointer(base))
        let first = InlineArray<6, UInt64> { index in words[index].load(ordering: .acquiring) }
        let second = InlineArray<6, UInt64> { index in words[6 + index].load(ordering: .acquiring) }
        for index in 0..<6 where first[index] != second[index] { return nil }
        guard Self.isInitialised(first[1]) else { return nil }
        return CommitStamp(words: first)
    }

    /// Frames in the WAL that the database file does not have yet: the header's last valid frame
    /// (`mxFrame`, offset 16) less the checkpoint's progress (`nBackfill`, offset 96, in the
    /// checkpoint information after the two header copies). Approximate while a commit or a
    /// checkpoint runs, which is all a trigger needs.
    func framesNotCheckpointed() -> UInt32 {
        let last = UnsafePointer<Atomic<UInt32>>(OpaquePointer(base + 16)).pointee.load(ordering: .acquiring)
        let backfilled = UnsafePointer<Atomic<UInt32>>(OpaquePointer(base + 96)).pointee.load(ordering: .acquiring)
        return last >= backfilled ? last - backfilled : 0
    }

    /// Whether the header's `isInit` byte (offset 12: the fifth byte of the word at offset 8, as
    /// laid out in memory) is set.
    private static func isInitialised(_ word: UInt64) -> Bool {
        withUnsafeBytes(of: word) { bytes in bytes[4] != 0 }
    }
}
