/// Why a vault operation was refused. Messages never contain secret material.
public struct VaultError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    public static let notInitialized = VaultError("the vault is not initialised; run `coffer vault init` first")
    public static let alreadyInitialized = VaultError("the vault is already initialised; use `coffer vault rotate` to change its passphrase")
    public static let wrongPassphrase = VaultError("wrong vault passphrase (nothing was changed)")
    public static let emptyPassphrase = VaultError("the vault passphrase is empty; choose one of at least 8 characters")
    public static func weakPassphrase(_ length: Int) -> VaultError {
        VaultError("the vault passphrase has \(length) characters; use at least 8")
    }
    public static let concurrentRotation = VaultError("the vault passphrase was changed by another process during this rotation; nothing was changed here, retry with the current passphrase")
    public static let rotatedSinceUnlock = VaultError("the vault passphrase was rotated since this vault was unlocked; unlock it again with the current passphrase")
    public static func walletNotFound(_ reference: String) -> VaultError {
        VaultError("no wallet \"\(reference)\" in the vault; `coffer vault list` shows them")
    }
    public static func tampered(_ wallet: String) -> VaultError {
        VaultError("wallet \(wallet): the stored record failed authentication; it was modified or corrupted, so no key was used")
    }
    public static func storage(_ error: any Error) -> VaultError {
        VaultError("vault storage error: \(error)")
    }
}
