public import CofferBase
import CofferStorage
import Foundation
public import Vault
import WalletCore

/// The vault as services use it: unlocked once (at `coffer serve`'s start, or per CLI command,
/// from a passphrase file), or locked with the reason why. Operations that need a key answer
/// `vault-locked` (503 over HTTP) while it is locked.
public struct VaultAccess: Sendable {
    public let vault: Vault
    private let unlockedVault: UnlockedVault?
    /// Why the vault is locked; nil when unlocked.
    public let lockedReason: String?
    /// What a key operation meets while locked: over HTTP a retryable 503 (the operator unlocks
    /// the server), at the command line the caller's own omission (exit 1).
    let lockedCategory: ErrorCategory

    public var isUnlocked: Bool { unlockedVault != nil }

    init(vault: Vault, unlocked: UnlockedVault?, lockedReason: String?, lockedCategory: ErrorCategory = .unavailable) {
        self.vault = vault
        unlockedVault = unlocked
        self.lockedReason = lockedReason
        self.lockedCategory = lockedCategory
    }

    /// A vault that stays locked, for `reason`; key operations fail with `vault-locked` in `category`.
    public static func locked(_ store: VaultStore, reason: String, category: ErrorCategory = .unavailable) -> VaultAccess {
        VaultAccess(vault: Vault(store: store, actor: "server"), unlocked: nil, lockedReason: reason, lockedCategory: category)
    }

    /// Unlocks the vault with the passphrase in `passphraseFile` (its bytes less one trailing
    /// newline), first creating it with `createWith` when the database holds none. A file that
    /// cannot be read or holds the wrong passphrase is an error: an operator who configured one
    /// meant the vault to be open. The passphrase is never logged and never part of an error.
    public static func unlock(_ store: VaultStore, passphraseFile: String, createWith parameters: Argon2idParameters? = nil) async throws -> VaultAccess {
        let vault = Vault(store: store, actor: "server")
        let passphrase = try readPassphrase(passphraseFile)
        do {
            if let parameters, try await !vault.isInitialized() {
                do {
                    try await vault.initialize(passphrase: passphrase, parameters: parameters)
                } catch let error as VaultError where error == .alreadyInitialized {
                    // Another process created it meanwhile: unlock that one.
                }
            }
            return VaultAccess(vault: vault, unlocked: try await vault.unlock(passphrase: passphrase), lockedReason: nil)
        } catch let error as any CofferError {
            throw ServiceError(error.category == .internal ? .internal : .rejected, error.code,
                               "cannot unlock the vault with the passphrase in \(passphraseFile): \(error.description)")
        }
    }

    /// The file's bytes less one trailing newline, as every vault command reads it.
    public static func readPassphrase(_ path: String) throws(ServiceError) -> SecretBytes {
        guard var bytes = FileManager.default.contents(atPath: path).map(Array.init) else {
            throw ServiceError.invalid("cannot read the vault passphrase file \(path)", code: "invalid-configuration")
        }
        defer { SecretBytes.wipe(&bytes) }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw ServiceError.invalid("the vault passphrase file \(path) is not valid UTF-8", code: "invalid-configuration")
        }
        return SecretBytes(bytes)
    }

    /// The unlocked vault acting for `caller` (its audit records name the caller), or `vault-locked`.
    public func unlocked(for caller: Caller) throws(ServiceError) -> UnlockedVault {
        guard let unlockedVault else { throw Self.lockedError(lockedReason, category: lockedCategory) }
        return unlockedVault.acting(as: caller.actor)
    }

    /// The unlocked vault for `caller` when there is one (signing requests are decided while
    /// locked and signed once unlocked).
    public func unlockedIfOpen(for caller: Caller) -> UnlockedVault? {
        unlockedVault?.acting(as: caller.actor)
    }

    /// The vault acting for `caller`, locked or not (public facts, audit records).
    public func vault(for caller: Caller) -> Vault { vault.acting(as: caller.actor) }

    static func lockedError(_ reason: String?, category: ErrorCategory = .unavailable) -> ServiceError {
        ServiceError(category, "vault-locked", reason ?? "the vault is locked: start coffer serve with --vault-passphrase-file")
    }

    /// A vault failure that means the vault cannot be used as unlocked (rotated since, or gone):
    /// `vault-locked`, so clients retry once the operator restarted with the current passphrase.
    static func translating(_ error: VaultError) -> any CofferError {
        if error == .rotatedSinceUnlock || error == .notInitialized {
            return lockedError("\(error.description); restart coffer serve with the current passphrase file")
        }
        return error
    }
}
