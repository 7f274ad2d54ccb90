public import CofferBase

/// Why a vault operation was refused or failed: a stable code, a category and a message that
/// never contains secret material.
public typealias VaultError = DomainError<VaultDomain>

/// The vault: keys, wallets, signing.
public enum VaultDomain: ErrorDomain {}

extension VaultError {
    public static let notInitialized = VaultError(.rejected, "vault-not-initialized", "the vault is not initialised; run `coffer vault init` first")
    public static let alreadyInitialized = VaultError(.conflict, "vault-exists", "the vault is already initialised; use `coffer vault rotate` to change its passphrase")
    public static let wrongPassphrase = VaultError(.forbidden, "wrong-passphrase", "wrong vault passphrase (nothing was changed)")
    public static let emptyPassphrase = VaultError(.invalidInput, "weak-passphrase", "the vault passphrase is empty; choose one of at least 8 characters")
    public static func weakPassphrase(_ length: Int) -> VaultError {
        VaultError(.invalidInput, "weak-passphrase", "the vault passphrase has \(length) characters; use at least 8")
    }
    public static let concurrentRotation = VaultError(.conflict, "concurrent-rotation", "the vault passphrase was changed by another process during this rotation; nothing was changed here, retry with the current passphrase")
    public static let rotatedSinceUnlock = VaultError(.unavailable, "vault-rotated", "the vault passphrase was rotated since this vault was unlocked; unlock it again with the current passphrase")
    public static func walletNotFound(_ reference: String) -> VaultError {
        VaultError(.notFound, "wallet-not-found", "no wallet \"\(reference.prefix(100))\" in the vault; `coffer vault list` shows them")
    }
    public static func nameTaken(_ name: String) -> VaultError {
        VaultError(.conflict, "wallet-name-taken", "a wallet named \"\(name.prefix(100))\" already exists; choose another name")
    }
    /// A watch-only wallet (an extended public key) was asked for a signature or a private key.
    public static func watchOnly(_ wallet: String) -> VaultError {
        VaultError(.rejected, "watch-only-wallet", "wallet \(wallet.prefix(100)) is watch-only: it holds an extended public key, which derives addresses but cannot sign or export a private key")
    }
    public static func tampered(_ wallet: String) -> VaultError {
        VaultError(.internal, "vault-tampered", "wallet \(wallet): the stored record failed authentication; it was modified or corrupted, so no key was used")
    }
    /// A failure of the vault's own machinery (the cipher, libsodium), not of the request.
    public static func failure(_ description: String) -> VaultError {
        VaultError(.internal, "vault-failure", description)
    }
}
