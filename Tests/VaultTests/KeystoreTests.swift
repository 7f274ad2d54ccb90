import CofferStorage
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

    @Test func initialiseOnceAndUnlock() throws {
        let temporary = try TemporaryVault()
        #expect(throws: VaultError.alreadyInitialized) {
            try temporary.vault.initialize(passphrase: TemporaryVault.passphrase, parameters: .insecureTesting)
        }
        _ = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let fresh = try TemporaryVault(initialize: false)
        #expect(throws: VaultError.notInitialized) { try fresh.vault.unlock(passphrase: TemporaryVault.passphrase) }
        #expect(throws: VaultError.weakPassphrase(5)) { try fresh.vault.initialize(passphrase: secretBytes("short"), parameters: .insecureTesting) }
    }

    @Test func wrongPassphraseChangesNothingButIsAudited() throws {
        let temporary = try TemporaryVault()
        _ = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase).addWallet(name: "a", secret: .seed(Envelope.randomKey()), origin: "random")
        let before = try temporary.snapshot()
        #expect(throws: VaultError.wrongPassphrase) { try temporary.vault.unlock(passphrase: secretBytes("correct horse batterz")) }
        #expect(throws: VaultError.wrongPassphrase) {
            try temporary.vault.rotate(from: secretBytes("wrong passphrase"), to: secretBytes("another passphrase"))
        }
        #expect(try temporary.snapshot() == before)
        #expect(try temporary.auditActions() == ["vault.init:ok", "wallet.create:ok", "vault.unlock:failed", "vault.unlock:failed"])
    }

    @Test func secretsRoundTrip() async throws {
        let temporary = try TemporaryVault()
        let unlocked = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        await propertyCheck(count: 25, input: Gen.uint8().array(of: 32), Gen.int(in: 0...2)) { bytes, kind in
            let secret: WalletSecret =
                switch kind {
                case 0: .seed(SecretBytes(bytes))
                case 1: .privateKey(SecretBytes(bytes), curve: .ed25519)
                default: .privateKey(SecretBytes([1] + bytes.dropFirst()), curve: .secp256k1)
                }
            let info = try unlocked.addWallet(name: "w-\(UUID().uuidString)", secret: secret, origin: "test")
            try unlocked.withSecret(of: info.name) { stored, storedInfo in
                #expect(storedInfo == info)
                switch (stored, secret) {
                case (.seed(let a), .seed(let b)): #expect(a == b)
                case (.privateKey(let a, let c1), .privateKey(let b, let c2)): #expect(a == b && c1 == c2)
                default: Issue.record("kind changed")
                }
            }
        }
    }

    @Test func duplicateNamesAndBadSecretsAreRefused() throws {
        let temporary = try TemporaryVault()
        let unlocked = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        _ = try unlocked.addWallet(name: "main", secret: .seed(Envelope.randomKey()), origin: "random")
        let before = try temporary.snapshot()
        #expect(throws: VaultError.self) { try unlocked.addWallet(name: "main", secret: .seed(Envelope.randomKey()), origin: "random") }
        #expect(throws: VaultError.self) { try unlocked.addWallet(name: "zero", secret: .privateKey(SecretBytes([UInt8](repeating: 0, count: 32)), curve: .secp256k1), origin: "x") }
        #expect(throws: VaultError.self) { try unlocked.addWallet(name: "short", secret: .seed(SecretBytes([1, 2, 3])), origin: "x") }
        #expect(throws: VaultError.self) { try unlocked.addWallet(name: "", secret: .seed(Envelope.randomKey()), origin: "x") }
        #expect(try temporary.snapshot() == before)
    }

    /// Flipping any bit of any authenticated column is detected and names the wallet.
    @Test func everyModifiedByteIsDetected() throws {
        let temporary = try TemporaryVault()
        let unlocked = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let info = try unlocked.addWallet(name: "victim", secret: .seed(Envelope.randomKey()), origin: "random")
        let blobColumns = ["secret_nonce", "secret_ciphertext", "dek_nonce", "dek_ciphertext"]
        let textColumns = ["kind", "curve", "origin", "summary", "created_at", "record_version", "kek_generation"]
        for column in blobColumns {
            let original = try temporary.database.pool.read { try Data.fetchOne($0, sql: "SELECT \(column) FROM vault_wallets")! }
            for index in stride(from: 0, to: original.count, by: max(1, original.count / 7)) {
                var modified = original
                modified[index] ^= 0x01
                try temporary.database.pool.write { try $0.execute(sql: "UPDATE vault_wallets SET \(column) = ?", arguments: [modified]) }
                #expect(throws: VaultError.tampered("victim (\(info.id))"), "\(column)[\(index)]") {
                    try unlocked.withSecret(of: "victim") { _, _ in }
                }
                try temporary.database.pool.write { try $0.execute(sql: "UPDATE vault_wallets SET \(column) = ?", arguments: [original]) }
            }
        }
        for column in textColumns {
            let original = try temporary.database.pool.read { try DatabaseValue.fetchOne($0, sql: "SELECT \(column) FROM vault_wallets")! }
            let replacement: DatabaseValue = column == "record_version" || column == "kek_generation" ? 7.databaseValue : "forged".databaseValue
            try temporary.database.pool.write { try $0.execute(sql: "UPDATE vault_wallets SET \(column) = ?", arguments: [replacement]) }
            #expect(throws: (any Error).self, "\(column)") { try unlocked.withSecret(of: info.id) { _, _ in } }
            try temporary.database.pool.write { try $0.execute(sql: "UPDATE vault_wallets SET \(column) = ?", arguments: [original]) }
        }
        try unlocked.withSecret(of: "victim") { _, _ in }
    }

    /// A ciphertext swapped in from another wallet does not open.
    @Test func recordsCannotBeSwapped() throws {
        let temporary = try TemporaryVault()
        let unlocked = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        let a = try unlocked.addWallet(name: "a", secret: .seed(Envelope.randomKey()), origin: "random")
        let b = try unlocked.addWallet(name: "b", secret: .seed(Envelope.randomKey()), origin: "random")
        try temporary.database.pool.write { db in
            try db.execute(sql: """
                UPDATE vault_wallets SET (secret_nonce, secret_ciphertext, dek_nonce, dek_ciphertext) =
                  (SELECT secret_nonce, secret_ciphertext, dek_nonce, dek_ciphertext FROM vault_wallets WHERE id = ?) WHERE id = ?
                """, arguments: [b.id, a.id])
        }
        #expect(throws: VaultError.tampered("a (\(a.id))")) { try unlocked.withSecret(of: "a") { _, _ in } }
    }

    @Test func rotationRewrapsEveryKeyAndRaisesParameters() throws {
        let temporary = try TemporaryVault()
        let unlocked = try temporary.vault.unlock(passphrase: TemporaryVault.passphrase)
        var secrets: [String: [UInt8]] = [:]
        for i in 0..<20 {
            let key = Envelope.randomKey()
            let info = try unlocked.addWallet(name: "w\(i)", secret: .seed(key), origin: "random")
            secrets[info.id] = key.copyBytes()
        }
        let newPassphrase = secretBytes("a brand new passphrase")
        let raised = Argon2idParameters(memoryBytes: 16 << 10, iterations: 2)
        try temporary.vault.rotate(from: TemporaryVault.passphrase, to: newPassphrase, parameters: raised)
        #expect(throws: VaultError.wrongPassphrase) { try temporary.vault.unlock(passphrase: TemporaryVault.passphrase) }
        let reopened = try temporary.vault.unlock(passphrase: newPassphrase)
        #expect(try temporary.vault.store.meta()?.parameters == raised)
        #expect(try temporary.vault.store.meta()?.kekGeneration == 2)
        for (id, expected) in secrets {
            try reopened.withSecret(of: id) { secret, _ in
                guard case .seed(let bytes) = secret else { Issue.record("kind"); return }
                #expect(bytes.copyBytes() == expected)
            }
        }
        // A rotation that unlocked before this one committed is refused, changing nothing.
        let stale = try temporary.vault.store.meta()!
        var staleMeta = stale
        staleMeta.kekGeneration = stale.kekGeneration  // as if computed from the previous generation
        #expect(throws: VaultError.concurrentRotation) {
            try temporary.vault.store.rotate(to: staleMeta, audit: AuditEvent(actor: "t", action: "vault.rotate", subject: "vault", outcome: "ok"), at: "now") { $0.dek }
        }
        #expect(try temporary.vault.store.meta() == stale)
        // The old unlocked handle holds a retired key: it must not open anything, and says why.
        #expect(throws: VaultError.rotatedSinceUnlock) { try unlocked.withSecret(of: "w0") { _, _ in } }
    }
}
