public import Foundation
public import GRDB
public import WalletCore

/// The encrypted keystore: envelope encryption (a random data key per secret, data keys sealed
/// under an Argon2id key-encryption key), passphrase rotation, and an audit record for every
/// change and every failed unlock. See docs/vault-format.md.
public struct Vault: Sendable {
    public let store: any VaultStore
    public let actor: String
    private let now: @Sendable () -> Date

    public static let formatVersion = 1
    public static let minimumPassphraseLength = 8
    private static let checkValue = Array("coffer vault key check v1".utf8)

    public init(store: any VaultStore, actor: String = "cli", now: @escaping @Sendable () -> Date = Date.init) {
        self.store = store
        self.actor = actor
        self.now = now
    }

    private var timestamp: String { VaultClock.format(now()) }

    /// The same vault acting for someone else (its audit records name `actor`).
    public func acting(as actor: String) -> Vault {
        Vault(store: store, actor: actor, now: now)
    }

    public func isInitialized() throws(VaultError) -> Bool {
        try storage { try store.meta() != nil }
    }

    /// Creates the vault with a new random salt. The passphrase must have at least 8 characters.
    public func initialize(passphrase: SecretBytes, parameters: Argon2idParameters = .default) throws(VaultError) {
        try Self.checkStrength(passphrase)
        try parameters.validate()
        guard try !isInitialized() else { throw .alreadyInitialized }
        let meta = try Self.makeMeta(passphrase: passphrase, parameters: parameters, generation: 1, createdAt: timestamp, rotatedAt: nil).meta
        try storage {
            try store.initialize(meta, audit: AuditEvent(actor: actor, action: "vault.init", subject: "vault", outcome: "ok",
                                                          detail: "argon2id m=\(parameters.memoryBytes) t=\(parameters.iterations) p=\(parameters.parallelism)"),
                                 at: timestamp)
        }
    }

    /// Derives the KEK and proves it against the stored check value. A wrong passphrase is
    /// audited and changes nothing else.
    public func unlock(passphrase: SecretBytes) throws(VaultError) -> UnlockedVault {
        guard let meta = try storage({ try store.meta() }) else { throw .notInitialized }
        let kek = try Argon2id.deriveKey(passphrase: passphrase, salt: meta.salt, parameters: meta.parameters)
        guard let check = Envelope.open(meta.check, key: kek, associatedData: meta.checkAssociatedData),
              check.withUnsafeBytes({ ConstantTime.equals($0, Self.checkValue) })
        else {
            try? store.appendAudit(AuditEvent(actor: actor, action: "vault.unlock", subject: "vault", outcome: "failed", detail: "wrong passphrase"), at: timestamp)
            throw .wrongPassphrase
        }
        return UnlockedVault(vault: self, kek: kek, generation: meta.kekGeneration)
    }

    /// Changes the passphrase (and optionally raises the Argon2id parameters) by re-sealing every
    /// data key, in one transaction. Secrets themselves are never decrypted.
    public func rotate(
        from oldPassphrase: SecretBytes, to newPassphrase: SecretBytes, parameters: Argon2idParameters? = nil,
        pauseAfterEachWallet: Duration? = nil
    ) throws(VaultError) {
        try Self.checkStrength(newPassphrase)
        let unlocked = try unlock(passphrase: oldPassphrase)
        guard let current = try storage({ try store.meta() }) else { throw .notInitialized }
        let newParameters = parameters ?? current.parameters
        try newParameters.validate()
        let generation = current.kekGeneration + 1
        let (meta, newKEK) = try Self.makeMeta(
            passphrase: newPassphrase, parameters: newParameters, generation: generation,
            createdAt: current.createdAt, rotatedAt: timestamp)
        let audit = AuditEvent(actor: actor, action: "vault.rotate", subject: "vault", outcome: "ok",
                               detail: "generation \(generation), argon2id m=\(newParameters.memoryBytes) t=\(newParameters.iterations)")
        try storage {
            try store.rotate(to: meta, audit: audit, at: timestamp) { wallet in
                let dek = try unlocked.openDataKey(of: wallet)
                let sealed = try Envelope.seal(dek, key: newKEK, associatedData: StoredWallet.dekAssociatedData(
                    id: wallet.id, generation: generation, recordVersion: wallet.recordVersion))
                if let pauseAfterEachWallet { Thread.sleep(forTimeInterval: Double(pauseAfterEachWallet.components.attoseconds) / 1e18 + Double(pauseAfterEachWallet.components.seconds)) }
                return sealed
            }
        }
    }

    public func wallets() throws(VaultError) -> [WalletInfo] {
        try storage { try store.wallets().map(\.info) }
    }

    public func auditRecords() throws(VaultError) -> [AuditRecord] {
        try storage { try store.auditRecords() }
    }

    /// One page of the records `selection` admits: up to `limit` after `seq`, in order.
    public func auditRecords(after seq: Int64, limit: Int, selecting selection: AuditSelection) throws(VaultError) -> [AuditRecord] {
        try storage { try store.auditRecords(after: seq, limit: limit, selecting: selection) }
    }

    /// Runs a store call, mapping its errors to `VaultError`.
    func storage<T>(_ body: () throws -> T) throws(VaultError) -> T {
        do { return try body() } catch let error as VaultError { throw error } catch { throw .storage(error) }
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
    /// runs with the new wallet's description in the transaction that stores it (the HTTP API
    /// records the owning tenant there, so a crash cannot leave a wallet nobody owns); if it
    /// throws, nothing is stored and its error is reported as a storage failure.
    public func addWallet(
        name: String, secret: WalletSecret, origin: String, alongside: (WalletInfo, Database) throws -> Void = { _, _ in }
    ) throws(VaultError) -> WalletInfo {
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
        try vault.storage { try vault.store.insert(wallet, audit: audit, at: wallet.createdAt) { db in try alongside(info, db) } }
        return info
    }

    /// Decrypts a wallet's secret for the duration of `body` only. Any modified byte of the record
    /// is detected and reported, naming the wallet; no wrong key is ever returned.
    public func withSecret<R>(of reference: String, _ body: (WalletSecret, WalletInfo) throws -> R) throws -> R {
        guard let wallet = try vault.storage({ try vault.store.wallet(reference) }) else { throw VaultError.walletNotFound(reference) }
        let dek = try openDataKey(of: wallet)
        guard let plaintext = Envelope.open(wallet.secret, key: dek, associatedData: wallet.secretAssociatedData),
              let secret = WalletSecret.decode(plaintext)
        else { throw VaultError.tampered("\(wallet.name) (\(wallet.id))") }
        return try body(secret, wallet.info)
    }

    /// Opens every wallet's data key and secret, proving the whole vault readable with this key.
    /// Returns the number of wallets; the first unreadable one is reported by name.
    public func verifyAll() throws -> Int {
        let wallets = try vault.storage { try vault.store.wallets() }
        for wallet in wallets { try withSecret(of: wallet.id) { _, _ in } }
        return wallets.count
    }

    /// Appends an audit record (export, signature, decision...).
    public func audit(_ event: AuditEvent) throws(VaultError) {
        try vault.storage { try vault.store.appendAudit(event, at: VaultClock.format(Date())) }
    }

    func openDataKey(of wallet: StoredWallet) throws(VaultError) -> SecretBytes {
        if wallet.kekGeneration != generation,
           let current = try? vault.store.meta(), current.kekGeneration == wallet.kekGeneration, current.kekGeneration != generation {
            throw VaultError.rotatedSinceUnlock
        }
        guard wallet.kekGeneration == generation,
              let dek = Envelope.open(wallet.dek, key: kek, associatedData: StoredWallet.dekAssociatedData(
                id: wallet.id, generation: wallet.kekGeneration, recordVersion: wallet.recordVersion))
        else { throw VaultError.tampered("\(wallet.name) (\(wallet.id))") }
        return dek
    }
}
