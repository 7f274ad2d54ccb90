import CofferStorage
import CofferTestSupport
import Foundation
import GRDB
import PropertyBased
import Testing
import Vault
import WalletCore

struct KeystoreTests {
    @Test func argon2idMatchesReference() throws {
        // Expected values from argon2-cffi (the reference C implementation) at development time.
        let key = try Argon2id.deriveKey(
            passphrase: secretBytes("correct horse battery"), salt: Array(0..<16),
            parameters: Argon2idParameters(memoryBytes: 64 << 20, iterations: 3))
        #expect(Hex.encode(key.copyBytes()) == "904b42492da04031a468a6d1d51689848c15e5c88d8587b0186dce574b8c4bcc")
        let small = try Argon2id.deriveKey(
            passphrase: secretBytes("päss"), salt: Array("saltsaltsaltsalt".utf8),
            parameters: Argon2idParameters(memoryBytes: 8 << 10, iterations: 1))
        #expect(Hex.encode(small.copyBytes()) == "f916862363bc223fcaeb2d67d7cd5cf5ae61f19bf43f0289628eb50f9d3a636b")
    }

    @Test(arguments: TestEngine.all) func initialiseOnceAndUnlock(engine: TestEngine) async throws {
        let temporary = try await TemporaryVault(engine)
        await #expect(throws: VaultError.alreadyInitialized) {
            try await temporary.vault.initialize(passphrase: TemporaryVault.passphrase, parameters: .insecureTesting)
        }
        _ = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let fresh = try await TemporaryVault(engine, initialize: false)
        await #expect(throws: VaultError.notInitialized) { try await fresh.vault.unlock(passphrase: TemporaryVault.passphrase) }
        await #expect(throws: VaultError.weakPassphrase(5)) { try await fresh.vault.initialize(passphrase: secretBytes("short"), parameters: .insecureTesting) }
        #expect(try await fresh.vault.isInitialized() == false)
    }

    @Test(arguments: TestEngine.all) func wrongPassphraseChangesNothingButIsAudited(engine: TestEngine) async throws {
        let temporary = try await TemporaryVault(engine)
        _ = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase).addWallet(name: "a", secret: .seed(Envelope.randomKey()), origin: "random")
        let before = try await temporary.snapshot()
        await #expect(throws: VaultError.wrongPassphrase) { try await temporary.vault.unlock(passphrase: secretBytes("correct horse batterz")) }
        await #expect(throws: VaultError.wrongPassphrase) {
            try await temporary.vault.rotate(from: secretBytes("wrong passphrase"), to: secretBytes("another passphrase"))
        }
        #expect(try await temporary.snapshot() == before)
        #expect(try await temporary.auditActions() == ["vault.init:ok", "wallet.create:ok", "vault.unlock:failed", "vault.unlock:failed"])
    }

    @Test func secretsRoundTrip() async throws {
        let temporary = try await TemporaryVault()
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        await propertyCheck(count: 25, input: Gen.uint8().array(of: 32), Gen.int(in: 0...2)) { bytes, kind in
            let secret: WalletSecret =
                switch kind {
                case 0: .seed(SecretBytes(bytes))
                case 1: .privateKey(SecretBytes(bytes), curve: .ed25519)
                default: .privateKey(SecretBytes([1] + bytes.dropFirst()), curve: .secp256k1)
                }
            let info = try await unlocked.addWallet(name: "w-\(UUID().uuidString)", secret: secret, origin: "test")
            try await unlocked.withSecret(of: info.name) { stored, storedInfo in
                #expect(storedInfo == info)
                switch (stored, secret) {
                case (.seed(let a), .seed(let b)): #expect(a == b)
                case (.privateKey(let a, let c1), .privateKey(let b, let c2)): #expect(a == b && c1 == c2)
                default: Issue.record("kind changed")
                }
            }
        }
    }

    @Test(arguments: TestEngine.all) func duplicateNamesAndBadSecretsAreRefused(engine: TestEngine) async throws {
        let temporary = try await TemporaryVault(engine)
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        _ = try await unlocked.addWallet(name: "main", secret: .seed(Envelope.randomKey()), origin: "random")
        let before = try await temporary.snapshot()
        let audited = try await temporary.auditActions()
        await #expect(throws: VaultError.nameTaken("main")) { try await unlocked.addWallet(name: "main", secret: .seed(Envelope.randomKey()), origin: "random") }
        await #expect(throws: VaultError.self) { try await unlocked.addWallet(name: "zero", secret: .privateKey(SecretBytes([UInt8](repeating: 0, count: 32)), curve: .secp256k1), origin: "x") }
        await #expect(throws: VaultError.self) { try await unlocked.addWallet(name: "short", secret: .seed(SecretBytes([1, 2, 3])), origin: "x") }
        await #expect(throws: VaultError.self) { try await unlocked.addWallet(name: "", secret: .seed(Envelope.randomKey()), origin: "x") }
        #expect(try await temporary.snapshot() == before)
        #expect(try await temporary.auditActions() == audited)
    }

    /// Flipping any bit of any authenticated column is detected and names the wallet.
    @Test func everyModifiedByteIsDetected() async throws {
        let temporary = try await TemporaryVault()
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let info = try await unlocked.addWallet(name: "victim", secret: .seed(Envelope.randomKey()), origin: "random")
        let blobColumns = ["secret_nonce", "secret_ciphertext", "dek_nonce", "dek_ciphertext"]
        let textColumns = ["kind", "curve", "origin", "summary", "created_at", "record_version", "kek_generation"]
        for column in blobColumns {
            let original = try await temporary.database.pool.read { try Data.fetchOne($0, sql: "SELECT \(column) FROM vault_wallets")! }
            for index in stride(from: 0, to: original.count, by: max(1, original.count / 7)) {
                var modified = original
                modified[index] ^= 0x01
                try await temporary.database.pool.write { [modified] db in try db.execute(sql: "UPDATE vault_wallets SET \(column) = ?", arguments: [modified]) }
                await #expect(throws: VaultError.tampered("victim (\(info.id))"), "\(column)[\(index)]") {
                    try await unlocked.withSecret(of: "victim") { _, _ in }
                }
                try await temporary.database.pool.write { try $0.execute(sql: "UPDATE vault_wallets SET \(column) = ?", arguments: [original]) }
            }
        }
        for column in textColumns {
            let original = try await temporary.database.pool.read { try DatabaseValue.fetchOne($0, sql: "SELECT \(column) FROM vault_wallets")! }
            let replacement: DatabaseValue = column == "record_version" || column == "kek_generation" ? 7.databaseValue : "forged".databaseValue
            try await temporary.database.pool.write { try $0.execute(sql: "UPDATE vault_wallets SET \(column) = ?", arguments: [replacement]) }
            await #expect(throws: (any Error).self, "\(column)") { try await unlocked.withSecret(of: info.id) { _, _ in } }
            try await temporary.database.pool.write { try $0.execute(sql: "UPDATE vault_wallets SET \(column) = ?", arguments: [original]) }
        }
        try await unlocked.withSecret(of: "victim") { _, _ in }
    }

    /// A ciphertext swapped in from another wallet does not open.
    @Test func recordsCannotBeSwapped() async throws {
        let temporary = try await TemporaryVault()
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let a = try await unlocked.addWallet(name: "a", secret: .seed(Envelope.randomKey()), origin: "random")
        let b = try await unlocked.addWallet(name: "b", secret: .seed(Envelope.randomKey()), origin: "random")
        try await temporary.database.pool.write { db in
            try db.execute(sql: """
                UPDATE vault_wallets SET (secret_nonce, secret_ciphertext, dek_nonce, dek_ciphertext) =
                  (SELECT secret_nonce, secret_ciphertext, dek_nonce, dek_ciphertext FROM vault_wallets WHERE id = ?) WHERE id = ?
                """, arguments: [b.id, a.id])
        }
        await #expect(throws: VaultError.tampered("a (\(a.id))")) { try await unlocked.withSecret(of: "a") { _, _ in } }
    }

    @Test(arguments: TestEngine.all) func rotationRewrapsEveryKeyAndRaisesParameters(engine: TestEngine) async throws {
        let temporary = try await TemporaryVault(engine)
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        var secrets: [String: [UInt8]] = [:]
        for i in 0..<20 {
            let key = Envelope.randomKey()
            let info = try await unlocked.addWallet(name: "w\(i)", secret: .seed(key), origin: "random")
            secrets[info.id] = key.copyBytes()
        }
        let newPassphrase = secretBytes("a brand new passphrase")
        let raised = Argon2idParameters(memoryBytes: 16 << 10, iterations: 2)
        try await temporary.vault.rotate(from: TemporaryVault.passphrase, to: newPassphrase, parameters: raised)
        await #expect(throws: VaultError.wrongPassphrase) { try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase) }
        let reopened = try await temporary.vault.unlock(passphrase: newPassphrase)
        #expect(try await temporary.vault.store.meta()?.parameters == raised)
        #expect(try await temporary.vault.store.meta()?.kekGeneration == 2)
        for (id, expected) in secrets {
            try await reopened.withSecret(of: id) { secret, _ in
                guard case .seed(let bytes) = secret else { Issue.record("kind"); return }
                #expect(bytes.copyBytes() == expected)
            }
        }
        // A rotation that unlocked before this one committed is refused, changing nothing.
        let stale = try #require(try await temporary.vault.store.meta())
        var staleMeta = stale
        staleMeta.kekGeneration = stale.kekGeneration  // as if computed from the previous generation
        let before = try await temporary.snapshot()
        await #expect(throws: VaultError.concurrentRotation) {
            try await temporary.vault.store.rotate(to: staleMeta, audit: AuditEvent(actor: "t", action: "vault.rotate", subject: "vault", outcome: "ok"), at: "now",
                                                   rewrap: { $0.dek }, rewrapServiceKey: { $0.key })
        }
        #expect(try await temporary.vault.store.meta() == stale)
        #expect(try await temporary.snapshot() == before)
        // The old unlocked handle holds a retired key: it must not open anything, and says why.
        await #expect(throws: VaultError.rotatedSinceUnlock) { try await unlocked.withSecret(of: "w0") { _, _ in } }
    }

    /// A service key is made once (every process gets the same one), sealed under the KEK so the
    /// database alone does not reveal it, follows a rotation, and a tampered row is refused.
    @Test(arguments: TestEngine.all) func serviceKeysAreSharedSealedAndRotated(engine: TestEngine) async throws {
        let temporary = try await TemporaryVault(engine)
        let unlocked = try await temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let other = try await temporary.reopened()
        let otherUnlocked = try await other.vault.unlock(passphrase: TemporaryVault.passphrase)
        async let first = unlocked.serviceKey("webhooks")
        async let second = otherUnlocked.serviceKey("webhooks")
        let (a, b) = try await (first, second)
        #expect(a == b && a.count == 32)
        #expect(try await unlocked.serviceKey("other") != a)
        let stored = try #require(try await temporary.vault.store.serviceKey("webhooks"))
        #expect(!stored.key.ciphertext.starts(with: a.copyBytes()))
        #expect(try await temporary.vault.auditRecords().filter { $0.action == "vault.service-key.create" }.map(\.subject).sorted() == ["other", "webhooks"])
        await #expect(throws: VaultError.self) { try await unlocked.serviceKey("Not A Purpose") }

        let newPassphrase = secretBytes("a brand new passphrase")
        try await temporary.vault.rotate(from: TemporaryVault.passphrase, to: newPassphrase)
        let rotated = try await temporary.vault.unlock(passphrase: newPassphrase)
        #expect(try await rotated.serviceKey("webhooks") == a)
        await #expect(throws: VaultError.rotatedSinceUnlock) { try await unlocked.serviceKey("webhooks") }

        try await temporary.storage.execute("UPDATE vault_service_keys SET purpose = 'swapped' WHERE purpose = 'other'")
        try await temporary.storage.execute("UPDATE vault_service_keys SET purpose = 'other' WHERE purpose = 'webhooks'")
        await #expect(throws: VaultError.tampered("service key other")) { try await rotated.serviceKey("other") }
    }
}
