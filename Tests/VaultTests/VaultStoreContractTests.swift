import CofferBase
import CofferStorage
import CofferTestSupport
import Foundation
import Testing
import Vault
import WalletCore

/// The vault's contract on both databases (SQLite in a temporary file, a fresh PostgreSQL
/// database per test), with several processes where it matters: each `reopened()` vault has its
/// own SQLite connections or PostgreSQL pool on the same database.
struct VaultStoreContractTests {
    static func addWallets(_ unlocked: UnlockedVault, count: Int, prefix: String = "w") async throws -> [String: [UInt8]] {
        var secrets: [String: [UInt8]] = [:]
        for index in 0..<count {
            let key = Envelope.randomKey()
            let info = try await unlocked.addWallet(name: "\(prefix)\(index)", secret: .seed(key), origin: "random")
            secrets[info.id] = key.copyBytes()
        }
        return secrets
    }

    /// Every wallet opens with `unlocked` and holds the seed it was given.
    static func expectOpens(_ secrets: [String: [UInt8]], with unlocked: UnlockedVault) async throws {
        for (id, expected) in secrets {
            try await unlocked.withSecret(of: id) { secret, info in
                guard case .seed(let bytes) = secret else { Issue.record("\(info.name): kind changed"); return }
                #expect(bytes.copyBytes() == expected, "\(info.name)")
            }
        }
    }

    static func expectIntactAudit(_ vault: Vault, records: Int? = nil) async throws {
        let audit = try await vault.auditRecords()
        guard case .intact(let count, _) = AuditChain.verify(audit) else {
            Issue.record("the audit chain does not verify: \(AuditChain.verify(audit))")
            return
        }
        if let records { #expect(count == records) }
    }

    /// Two processes initialising one new vault at once: exactly one does, the other is told the
    /// vault exists, and the chain holds one `vault.init`.
    @Test(arguments: TestEngine.all) func initialisingTwiceIsRefusedEvenAtOnce(engine: TestEngine) async throws {
        let first = try await TemporaryVault(engine, initialize: false)
        let second = try await first.reopened()
        let outcomes = await withTaskGroup(of: String.self) { group in
            for temporary in [first, second, first, second] {
                group.addTask {
                    do {
                        try await temporary.vault.initialize(passphrase: TemporaryVault.passphrase, parameters: .insecureTesting)
                        return "initialised"
                    } catch let error as VaultError {
                        return error.code
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.sorted() == ["initialised", "vault-exists", "vault-exists", "vault-exists"], "\(outcomes)")
        _ = try await second.vault.unlock(passphrase: TemporaryVault.passphrase)
        #expect(try await first.auditActions() == ["vault.init:ok"])
        try await Self.expectIntactAudit(first.vault, records: 1)
    }

    /// Wallets are found by id or by name (an id wins over a name that spells it), listed in the
    /// order they were created, and all open.
    @Test(arguments: TestEngine.all) func walletsAreFoundByIdOrName(engine: TestEngine) async throws {
        let temporary = try await TemporaryVault(engine)
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let secrets = try await Self.addWallets(unlocked, count: 4)
        let infos = try await temporary.vault.wallets()
        #expect(infos.map(\.name) == ["w0", "w1", "w2", "w3"])
        #expect(Set(infos.map(\.id)) == Set(secrets.keys))
        for info in infos {
            #expect(try await temporary.vault.store.wallet(info.id)?.info == info)
            #expect(try await temporary.vault.store.wallet(info.name)?.info == info)
        }
        // A wallet named like another wallet's id: the id still finds the other wallet.
        let impostor = try await unlocked.addWallet(name: infos[0].id, secret: .seed(Envelope.randomKey()), origin: "random")
        #expect(try await temporary.vault.store.wallet(infos[0].id)?.id == infos[0].id)
        #expect(try await temporary.vault.store.wallet(impostor.id)?.name == infos[0].id)
        #expect(try await temporary.vault.store.wallet("nobody") == nil)
        await #expect(throws: VaultError.walletNotFound("nobody")) { try await unlocked.withSecret(of: "nobody") { _, _ in } }
        #expect(try await unlocked.verifyAll() == 5)
        try await Self.expectOpens(secrets, with: unlocked)
        // Another process reads the same wallets.
        let other = try await temporary.reopened()
        #expect(try await other.vault.wallets() == (try await temporary.vault.wallets()))
        try await Self.expectOpens(secrets, with: try await other.vault.unlock(passphrase: TemporaryVault.passphrase))
        try await Self.expectIntactAudit(temporary.vault, records: 6)
    }

    /// Many adds of one name from two processes at once: one wallet is stored, every other add is
    /// refused with `wallet-name-taken`, and nothing of the refused ones (row, audit record) remains.
    @Test(arguments: TestEngine.all) func aNameIsTakenOnceUnderConcurrentAdds(engine: TestEngine) async throws {
        let first = try await TemporaryVault(engine)
        let second = try await first.reopened()
        let handles = [
            try await first.vault.unlock(passphrase: TemporaryVault.passphrase), try await second.vault.unlock(passphrase: TemporaryVault.passphrase),
        ]
        let outcomes = await withTaskGroup(of: String.self) { group in
            for index in 0..<8 {
                group.addTask {
                    do {
                        _ = try await handles[index % 2].addWallet(name: "treasury", secret: .seed(Envelope.randomKey()), origin: "random")
                        return "added"
                    } catch let error as VaultError {
                        return error.code
                    } catch {
                        return "\(error)"
                    }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == "added" }.count == 1, "\(outcomes)")
        #expect(outcomes.filter { $0 == "wallet-name-taken" }.count == 7, "\(outcomes)")
        #expect(try await first.vault.wallets().map(\.name) == ["treasury"])
        #expect(try await first.auditActions() == ["vault.init:ok", "wallet.create:ok"])
        #expect(try await handles[1].verifyAll() == 1)
        try await Self.expectIntactAudit(first.vault, records: 2)
    }

    /// Two processes rotating the passphrase at once: both unlock with the old passphrase, one
    /// commits, the other is refused with `concurrent-rotation` and changes nothing. Afterwards
    /// every wallet opens with the winner's passphrase only.
    @Test(arguments: TestEngine.all) func aRotationRacingAnotherIsRefused(engine: TestEngine) async throws {
        let first = try await TemporaryVault(engine)
        let second = try await first.reopened()
        let secrets = try await Self.addWallets(try await first.vault.unlock(passphrase: TemporaryVault.passphrase), count: 5)
        let passphrases = [secretBytes("first new passphrase"), secretBytes("second new passphrase")]
        // Each rotation holds its transaction open for 5 × 60 ms, so the other one unlocks (a few
        // milliseconds) while it runs and meets the changed generation when its turn comes.
        let outcomes = await withTaskGroup(of: (Int, String).self) { group in
            for (index, temporary) in [first, second].enumerated() {
                group.addTask {
                    do {
                        try await temporary.vault.rotate(from: TemporaryVault.passphrase, to: passphrases[index], pauseAfterEachWallet: .milliseconds(60))
                        return (index, "rotated")
                    } catch let error as VaultError {
                        return (index, error.code)
                    } catch {
                        return (index, "\(error)")
                    }
                }
            }
            return await group.reduce(into: [Int: String]()) { $0[$1.0] = $1.1 }
        }
        // The loser is refused either way: `concurrent-rotation` when it unlocked before the winner
        // committed (the usual case), `vault-rotated` when a loaded machine let the winner commit first.
        let loser = outcomes.values.filter { $0 != "rotated" }
        #expect(outcomes.values.filter { $0 == "rotated" }.count == 1 && loser.count == 1, "\(outcomes)")
        #expect(loser.allSatisfy { ["concurrent-rotation", "vault-rotated"].contains($0) }, "\(outcomes)")
        let winner = try #require(outcomes.first { $0.value == "rotated" }?.key)
        #expect(try await first.vault.store.meta()?.kekGeneration == 2)
        for passphrase in [TemporaryVault.passphrase, passphrases[1 - winner]] {
            await #expect(throws: VaultError.wrongPassphrase) { try await second.vault.unlock(passphrase: passphrase) }
        }
        let unlocked = try await first.vault.unlock(passphrase: passphrases[winner])
        #expect(try await unlocked.verifyAll() == 5)
        try await Self.expectOpens(secrets, with: unlocked)
        let actions = try await first.auditActions()
        #expect(actions.filter { $0 == "vault.rotate:ok" }.count == 1)
        #expect(actions.suffix(2) == ["vault.unlock:failed", "vault.unlock:failed"])
        try await Self.expectIntactAudit(first.vault)
    }

    /// A handle unlocked before a rotation holds a retired key: it opens nothing and adds
    /// nothing (a wallet sealed under the retired key could never be opened again), and says why.
    @Test(arguments: TestEngine.all) func aHandleFromBeforeARotationIsRefused(engine: TestEngine) async throws {
        let temporary = try await TemporaryVault(engine)
        let stale = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let secrets = try await Self.addWallets(stale, count: 2)
        let newPassphrase = secretBytes("the rotated passphrase")
        // Rotated by another process (held while it works: releasing it stops its pool).
        let other = try await temporary.reopened()
        try await other.vault.rotate(from: TemporaryVault.passphrase, to: newPassphrase)
        let before = try await temporary.snapshot()
        let audited = try await temporary.auditActions()
        for id in secrets.keys {
            await #expect(throws: VaultError.rotatedSinceUnlock) { try await stale.withSecret(of: id) { _, _ in } }
        }
        await #expect(throws: VaultError.rotatedSinceUnlock) { try await stale.verifyAll() }
        await #expect(throws: VaultError.rotatedSinceUnlock) {
            try await stale.addWallet(name: "late", secret: .seed(Envelope.randomKey()), origin: "random")
        }
        #expect(try await temporary.snapshot() == before)
        #expect(try await temporary.auditActions() == audited)
        // Unlocked again, everything opens, including what is added now.
        let fresh = try await temporary.vault.unlock(passphrase: newPassphrase)
        let late = try await Self.addWallets(fresh, count: 1, prefix: "late")
        try await Self.expectOpens(secrets.merging(late) { first, _ in first }, with: fresh)
        #expect(try await fresh.verifyAll() == 3)
        try await Self.expectIntactAudit(temporary.vault)
    }

    /// Audit appends from many tasks in two processes at once form ONE chain: consecutive
    /// sequence numbers, each record linked to the one before, every event recorded once.
    @Test(arguments: TestEngine.all) func theAuditLogStaysOneChainUnderConcurrentAppends(engine: TestEngine) async throws {
        let first = try await TemporaryVault(engine)
        let second = try await first.reopened()
        let handles = [
            try await first.vault.unlock(passphrase: TemporaryVault.passphrase), try await second.vault.unlock(passphrase: TemporaryVault.passphrase),
        ]
        try await withThrowingTaskGroup(of: Void.self) { group in
            for task in 0..<8 {
                group.addTask {
                    for event in 0..<10 {
                        try await handles[task % 2].audit(AuditEvent(actor: "task-\(task)", action: "test.append", subject: "event-\(event)", outcome: "ok"))
                    }
                }
            }
            try await group.waitForAll()
        }
        let records = try await second.vault.auditRecords()
        #expect(records.map(\.seq) == Array(1...81))
        try await Self.expectIntactAudit(first.vault, records: 81)
        let appended = records.filter { $0.action == "test.append" }.map { "\($0.actor)/\($0.subject)" }
        #expect(appended.count == 80 && Set(appended).count == 80)
    }
}
