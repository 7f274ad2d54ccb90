import CofferStorage
import CofferTestSupport
import Foundation
import Testing
import Vault
import WalletCore

/// `addWallet(alongside:)`: the caller's write commits with the wallet, or neither does, on
/// either database (the caller writes through the vault transaction's own `SQLConnection`).
struct WalletAlongsideTests {
    @Test(arguments: TestEngine.all) func alongsideCommitsWithTheWalletOrNothingIsStored(engine: TestEngine) async throws {
        let temporary = try await TemporaryVault(engine)
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        try await temporary.storage.execute("CREATE TABLE owners (wallet_id TEXT PRIMARY KEY, owner TEXT)")
        let before = try await temporary.snapshot()
        let auditBefore = try await temporary.vault.auditRecords().count

        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            _ = try await unlocked.addWallet(name: "refused", secret: .seed(Envelope.randomKey()), origin: "random") { info, connection in
                try connection.execute("INSERT INTO owners VALUES (\(info.id), 'x')")
                throw Refused()
            }
        }
        #expect(try await temporary.snapshot() == before)
        #expect(try await temporary.vault.auditRecords().count == auditBefore)
        #expect(try await temporary.storage.count("owners") == 0)

        let info = try await unlocked.addWallet(name: "kept", secret: .seed(Envelope.randomKey()), origin: "random") { info, connection in
            try connection.execute("INSERT INTO owners VALUES (\(info.id), 'tenant-a')")
        }
        #expect(try await temporary.vault.store.wallet(info.id)?.info == info)
        let owner = try await temporary.storage.database.read { connection in
            try connection.queryOne("SELECT owner FROM owners WHERE wallet_id = \(info.id)") { try $0.text(0) }
        }
        #expect(owner == "tenant-a")
    }
}
