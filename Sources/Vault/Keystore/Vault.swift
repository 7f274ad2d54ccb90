import CofferBase
public import CofferStorage
public import Foundation
public import WalletCore

/// The encrypted keystore: envelope encryption (a random data key per secret, data keys sealed
/// under an Argon2id key-encryption key), passphrase rotation, and an audit record for every
/// change and every failed unlock. See docs/vault-format.md.
public struct Vault: Sendable {
    public let store: VaultStore
    public let actor: String
    private let now: @Sendable () -> Date

    public static let formatVersion = 1
    public static let minimumPassphraseLength = 8
    private static let checkValue = Array("coffer vault key check v1".utf8)

    public init(store: VaultStore, actor: String = "cli", now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.actor = actor
        self.now = now
    }

    private var timestamp: String { VaultClock.format(now()) }

    /// The same vault acting for someone else (its audit records name `actor`).
    public func acting(as actor: String) -> Vault {
        Vault(store: store, actor: actor, now: now)
    }

    public func isInitialized() async throws -> Bool {
        try await store.meta() != nil
    }

    /// Creates the vault with a new random salt. The passphrase must have at least 8 characters.
    public func initialize(passphrase: SecretBytes, parameters: Argon2idParameters = .default) async throws {
        try Self.checkStrength(passphrase)
        try parameters.validate()
        guard try await !isInitialized() else { throw VaultError.alreadyInitialized }
        let createdAt = timestamp
        let meta = try await Blocking.run {
            try Self.makeMeta(passphrase: passphrase, parameters: parameters, generation: 1, createdAt: createdAt, rotatedAt: nil).meta
        }
        try await store.initialize(meta, audit: AuditEvent(actor: actor, action: "vault.init", subject: "vault", outcome: "ok",
                                                            detail: "argon2id m=\(parameters.memoryBytes) t=\(parameters.iterations) p=\(parameters.parallelism)"),
                                   at: timestamp)
    }

    /// Derives the KEK and proves it against the stored check value. A wrong passphrase is
    /// audited and changes nothing else.
    public func unlock(passphrase: SecretBytes) async throws -> UnlockedVault {
        guard let meta = try await store.meta() else { throw VaultError.notInitialized }
        // Argon2id takes tens of milliseconds and 64 MiB: off Swift concurrency's threads.
        let kek = try await Blocking.run { try Argon2id.deriveKey(passphrase: passphrase, salt: meta.salt, parameters: meta.parameters) }
        guard let check = Envelope.open(meta.check, key: kek, associatedData: meta.checkAssociatedData),
              check.withUnsafeBytes({ ConstantTime.equals($0, Self.checkValue) })
        else {
            try? await store.appendAudit(AuditEvent(actor: actor, action: "vault.unlock", subject: "vault", outcome: "failed", detail: "wrong passphrase"), at: timestamp)
            throw VaultError.wrongPassphrase
        }
        return UnlockedVault(vault: self, kek: kek, generation: meta.kekGeneration)
    }

    /// Changes the passphrase (and optionally raises the Argon2id parameters) by re-sealing every
    /// data key, in one transaction. Secrets themselves are never decrypted.
    public func rotate(
        from oldPassphrase: SecretBytes, to newPassphrase: SecretBytes, parameters: Argon2idParameters? = nil,
        pauseAfterEachWallet: Duration? = nil
    ) async throws {
        try Self.checkStrength(newPassphrase)
        let unlocked = try await unlock(passphrase: oldPassphrase)
        guard let current = try await store.meta() else { throw VaultError.notInitialized }
        let newParameters = parameters ?? current.parameters
        try newParameters.validate()
        let generation = current.kekGeneration + 1
        let rotatedAt = timestamp
        let (meta, newKEK) = try await Blocking.run {
            try Self.makeMeta(passphrase: newPassphrase, parameters: newParameters, generation: generation, createdAt: current.createdAt, rotatedAt: rotatedAt)
        }
        let audit = AuditEvent(actor: actor, action: "vault.rotate", subject: "vault", outcome: "ok",
                               detail: "generation \(generation), argon2id m=\(newParameters.memoryBytes) t=\(newParameters.iterations)")
        try await store.rotate(to: meta, audit: audit, at: timestamp) { wallet in
            // The rewrap runs inside the rotation's transaction: the generation it unlocked with is the one stored.
            let dek = try unlocked.openDataKey(of: wallet, storedGeneration: generation - 1)
            let sealed = try Envelope.seal(dek, key: newKEK, associatedData: StoredWallet.dekAssociatedData(
                id: wallet.id, generation: generation, recordVersion: wallet.recordVersion))
            if let pauseAfterEachWallet { Thread.sleep(forTimeInterval: Double(pauseAfterEachWallet.components.attoseconds) / 1e18 + Double(pauseAfterEachWallet.components.seconds)) }
            return sealed
        } rewrapServiceKey: { stored in
            let key = try unlocked.openServiceKey(stored, storedGeneration: generation - 1)
            return try Envelope.seal(key, key: newKEK, associatedData: StoredServiceKey.associatedData(
                purpose: stored.purpose, generation: generation, recordVersion: stored.recordVersion))
        }
    }

    public func wallets() async throws -> [WalletInfo] {
        try await store.wallets().map(\.info)
    }

    public func auditRecords() async throws -> [AuditRecord] {
        try await store.auditRecords()
    }

    /// One page of the records `selection` admits: up to `limit` after `seq`, in order.
    public func auditRecords(after seq: Int64, limit: Int, selecting selection: AuditSelection) async throws -> [AuditRecord] {
        try await store.auditRecords(after: seq, limit: limit, selecting: selection)
    }

    private static func checkStrength(_ passphrase: SecretBytes) throws(VaultError) {
        guard passphrase.count > 0 else { throw .emptyPassphrase }
        let characters = passphrase.withUnsafeBytes { String(decoding: $0, as: UTF8.self).count }
        guard characters >= minimumPassphraseLength else { throw .weakPassphrase(characters) }
    }

    private static func makeMeta(
        passphrase: SecretBytes, parameters: Argon2idParameters, generation: Int64, createdAt: String, rotatedAt: String?
    ) throws(VaultError) -> (meta: VaultMeta, kek: SecretBytes) {
        let salt = Envelope.randomBytes(Argon2id.saltLength)
        let kek = try Argon2id.deriveKey(passphrase: passphrase, salt: salt, parameters: parameters)
        var meta = VaultMeta(
            formatVersion: formatVersion, parameters: parameters, salt: salt, kekGeneration: generation,
            check: Envelope.Sealed(nonce: [], ciphertext: []), createdAt: createdAt, rotatedAt: rotatedAt)
        meta.check = try Envelope.seal(SecretBytes(checkValue), key: kek, associatedData: meta.checkAssociatedData)
        return (meta, kek)
    }
}

/// A vault whose key-encryption key is in memory: can add wallets and open their secrets.
public struct UnlockedVault: Sendable {
    public let vault: Vault
    let kek: SecretBytes
    let generation: Int64

    /// The same unlocked vault acting for someone else (its audit records name `actor`).
    public func acting(as actor: String) -> UnlockedVault {
        UnlockedVault(vault: vault.acting(as: actor), kek: kek, generation: generation)
    }

    /// Seals and stores a new wallet. `origin` records where the secret came from. `alongside`
    /// runs with the new wallet's description in the transaction that stores it (the wallet
    /// directory records the owning tenant there, so a crash cannot leave a wallet nobody owns);
    /// if it throws, nothing is stored and its error is rethrown.
    public func addWallet(
        name: String, secret: WalletSecret, origin: String,
        alongside: @escaping @Sendable (WalletInfo, any SQLConnection) throws -> Void = { _, _ in }
    ) async throws -> WalletInfo {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty, trimmed.count <= 100, !trimmed.contains(where: { $0.isNewline }) else {
            throw VaultError("a wallet name must be 1 to 100 characters on one line")
        }
        try secret.validate()
        let id = UUID().uuidString.lowercased()
        let dek = Envelope.randomKey()
        var wallet = StoredWallet(
            id: id, name: trimmed, rawKind: secret.kind.rawValue, curve: secret.curve?.rawValue, origin: origin,
            summary: secret.publicSummary(), createdAt: VaultClock.format(Date()), recordVersion: Vault.formatVersion,
            secret: Envelope.Sealed(nonce: [], ciphertext: []), dek: Envelope.Sealed(nonce: [], ciphertext: []),
            kekGeneration: generation)
        wallet.secret = try Envelope.seal(secret.encoded(), key: dek, associatedData: wallet.secretAssociatedData)
        wallet.dek = try Envelope.seal(dek, key: kek, associatedData: StoredWallet.dekAssociatedData(
            id: id, generation: generation, recordVersion: wallet.recordVersion))
        let audit = AuditEvent(actor: vault.actor, action: "wallet.\(origin == "random" || origin == "generated-bip39" ? "create" : "import")", subject: id,
                               outcome: "ok", detail: "\(trimmed) (\(secret.kind.rawValue), \(origin))")
        let info = wallet.info
        try await vault.store.insert(wallet, audit: audit, at: wallet.createdAt) { connection in try alongside(info, connection) }
        return info
    }

    /// Decrypts a wallet's secret for the duration of `body` only. Any modified byte of the record
    /// is detected and reported, naming the wallet; no wrong key is ever returned.
    public func withSecret<R>(of reference: String, _ body: (WalletSecret, WalletInfo) throws -> R) async throws -> R {
        guard let wallet = try await vault.store.wallet(reference) else { throw VaultError.walletNotFound(reference) }
        var storedGeneration: Int64? = generation
        if wallet.kekGeneration != generation { storedGeneration = try await vault.store.meta()?.kekGeneration }
        let dek = try openDataKey(of: wallet, storedGeneration: storedGeneration)
        guard let plaintext = Envelope.open(wallet.secret, key: dek, associatedData: wallet.secretAssociatedData),
              let secret = WalletSecret.decode(plaintext)
        else { throw VaultError.tampered("\(wallet.name) (\(wallet.id))") }
        return try body(secret, wallet.info)
    }

    /// Opens every wallet's data key and secret, proving the whole vault readable with this key.
    /// Returns the number of wallets; the first unreadable one is reported by name.
    public func verifyAll() async throws -> Int {
        let wallets = try await vault.store.wallets()
        for wallet in wallets { try await withSecret(of: wallet.id) { _, _ in } }
        return wallets.count
    }

    /// The vault-wide key for `purpose` (1-64 characters from a-z0-9-), made and sealed under the
    /// KEK on first use (audited as `vault.service-key.create`). Another domain seals its own
    /// secrets under it (webhook signing secrets), so they open only while the vault is unlocked
    /// and follow passphrase rotations. Every process unlocked with the vault gets the same key.
    public func serviceKey(_ purpose: String) async throws -> SecretBytes {
        guard (1...64).contains(purpose.utf8.count), purpose.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2d }) else {
            throw VaultError("a service key purpose is 1-64 characters from a-z0-9-")
        }
        if let stored = try await vault.store.serviceKey(purpose) { return try await open(stored) }
        let key = Envelope.randomKey()
        let createdAt = VaultClock.format(Date())
        let record = StoredServiceKey(
            purpose: purpose, recordVersion: Vault.formatVersion,
            key: try Envelope.seal(key, key: kek, associatedData: StoredServiceKey.associatedData(purpose: purpose, generation: generation, recordVersion: Vault.formatVersion)),
            kekGeneration: generation, createdAt: createdAt)
        let audit = AuditEvent(actor: vault.actor, action: "vault.service-key.create", subject: purpose, outcome: "ok", detail: "")
        if try await vault.store.insert(record, audit: audit, at: createdAt) { return key }
        // Another process made it first: everyone uses that one.
        guard let stored = try await vault.store.serviceKey(purpose) else { throw VaultError.failure("the service key \(purpose) vanished while it was made") }
        return try await open(stored)
    }

    /// The service key for `purpose` when it was made; nil before its first use (nothing was
    /// sealed under it yet).
    public func existingServiceKey(_ purpose: String) async throws -> SecretBytes? {
        guard let stored = try await vault.store.serviceKey(purpose) else { return nil }
        return try await open(stored)
    }

    private func open(_ stored: StoredServiceKey) async throws -> SecretBytes {
        var storedGeneration: Int64? = generation
        if stored.kekGeneration != generation { storedGeneration = try await vault.store.meta()?.kekGeneration }
        return try openServiceKey(stored, storedGeneration: storedGeneration)
    }

    /// Appends an audit record (export, signature, decision...).
    public func audit(_ event: AuditEvent) async throws {
        try await vault.store.appendAudit(event, at: VaultClock.format(Date()))
    }

    /// The wallet's data key. `storedGeneration` is the vault's current key generation as stored:
    /// a wallet sealed under a newer generation than this unlock's means the passphrase was
    /// rotated since (unlock again), anything else that fails to open was tampered with.
    func openDataKey(of wallet: StoredWallet, storedGeneration: Int64?) throws(VaultError) -> SecretBytes {
        try openSealedKey(wallet.dek, generation: wallet.kekGeneration, storedGeneration: storedGeneration, name: "\(wallet.name) (\(wallet.id))",
                          associatedData: StoredWallet.dekAssociatedData(id: wallet.id, generation: wallet.kekGeneration, recordVersion: wallet.recordVersion))
    }

    /// A service key, opened as a wallet's data key is (the same generation rules).
    func openServiceKey(_ stored: StoredServiceKey, storedGeneration: Int64?) throws(VaultError) -> SecretBytes {
        try openSealedKey(stored.key, generation: stored.kekGeneration, storedGeneration: storedGeneration, name: "service key \(stored.purpose)",
                          associatedData: StoredServiceKey.associatedData(purpose: stored.purpose, generation: stored.kekGeneration, recordVersion: stored.recordVersion))
    }

    private func openSealedKey(
        _ sealed: Envelope.Sealed, generation sealedGeneration: Int64, storedGeneration: Int64?, name: String, associatedData: [UInt8]
    ) throws(VaultError) -> SecretBytes {
        if sealedGeneration != generation, let current = storedGeneration, current == sealedGeneration, current != generation {
            throw VaultError.rotatedSinceUnlock
        }
        guard sealedGeneration == generation, let key = Envelope.open(sealed, key: kek, associatedData: associatedData) else {
            throw VaultError.tampered(name)
        }
        return key
    }
}
