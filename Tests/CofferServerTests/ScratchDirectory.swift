import Wallets
import Tenancy
import CofferCore
import CofferBase
import CofferStorage
import Foundation

/// A fresh data directory under the temporary directory, for tests of the embedded database;
/// `remove()` it when done (usually in a `defer`).
struct ScratchDirectory {
    let url: URL

    init(_ name: String) {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-\(name)-\(UUID().uuidString)")
    }

    /// Opens (another connection to) the database in this directory.
    func open(migrations: [SchemaMigration] = []) throws -> CofferDatabase {
        try CofferDatabase(directory: DataDirectory(explicit: url.path), migrations: migrations)
    }

    func remove() { try? FileManager.default.removeItem(at: url) }
}
