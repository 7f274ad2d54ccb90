import CofferStorage
import Foundation
import GRDB
import Testing
import Vault
import WalletCore

/// `addWallet(alongside:)`: the caller's write commits with the wallet, or neither does.
struct WalletAlongsideTests {
    @Test func alongsideCommitsWithTheWalletOrNothingIsStored() throws {
        let temporary = try TemporaryVault()
        let unlocked = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        try temporary.database.pool.write { db in try db.execute(sql: "CREATE TABLE owners (wallet_id TEXT PRIMARY KEY, owner TEXT)") }
        let before = try temporary.snapshot()
        let auditBefore = try temporary.vault.auditRecords().count

        struct Refused: Error {}
        #expect(throws: VaultError.self) {
            _ = try unlocked.addWallet(name: "refused", secret: .seed(Envelope.randomKey()), origin: "random") { info, db in
                try db.execute(sql: "INSERT INTO owners VALUES (?, 'x')", arguments: [info.id])
                throw Refused()
            }
        }
        #expect(try temporary.snapshot() == before)
        #expect(try temporary.vault.auditRecords().count == auditBefore)
        #expect(try temporary.database.pool.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM owners") } == 0)

        let info = try unlocked.addWallet(name: "kept", secret: .seed(Envelope.randomKey()), origin: "random") { info, db in
            try db.execute(sql: "INSERT INTO owners VALUES (?, 'tenant-a')", arguments: [info.id])
        }
        #expect(try temporary.vault.store.wallet(info.id)?.info == info)
        #expect(try temporary.database.pool.read { db in try String.fetchOne(db, sql: "SELECT owner FROM owners WHERE wallet_id = ?", arguments: [info.id]) } == "tenant-a")
    }
}
