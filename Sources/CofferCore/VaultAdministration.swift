public import CofferBase
import Tenancy
import Foundation
public import Vault
import WalletCore

/// The vault's own life, for the operator: creating it, proving a passphrase opens every wallet,
/// and rotating the passphrase. (Wallets themselves are `WalletService`'s.)
public struct VaultAdministration: Sendable {
    public let store: VaultStore

    public init(store: VaultStore) { self.store = store }

    public struct Created: Codable, Sendable, Equatable {
        public let initialized: Bool
        public let argon2id: Parameters
    }

    public struct Parameters: Codable, Sendable, Equatable {
        public let memoryBytes: UInt64
        public let iterations: UInt64
        public let parallelism: UInt32

        enum CodingKeys: String, CodingKey { case memoryBytes = "memory_bytes", iterations, parallelism }
    }

    public struct Checked: Codable, Sendable, Equatable {
        public let unlocked: Bool
        public let wallets: Int
    }

    public struct Rotated: Codable, Sendable, Equatable {
        public let rotated: Bool
        public let wallets: Int
    }

    func requireOperator(_ caller: Caller) throws(ServiceError) {
        guard caller.tenant == nil, caller.scopes.contains(.admin) else {
            throw ServiceError(.forbidden, "operator-only", "only the operator manages the vault itself")
        }
    }

    public func initialize(passphrase: SecretBytes, parameters: Argon2idParameters, by caller: Caller) async throws -> Created {
        try requireOperator(caller)
        try await Vault(store: store, actor: caller.actor).initialize(passphrase: passphrase, parameters: parameters)
        return Created(initialized: true, argon2id: Parameters(
            memoryBytes: parameters.memoryBytes, iterations: parameters.iterations, parallelism: parameters.parallelism))
    }

    /// Unlocks with `passphrase` and opens every wallet's secret: the proof a backup of the
    /// passphrase and the database is usable.
    public func check(passphrase: SecretBytes, by caller: Caller) async throws -> Checked {
        try requireOperator(caller)
        let unlocked = try await Vault(store: store, actor: caller.actor).unlock(passphrase: passphrase)
        return Checked(unlocked: true, wallets: try await unlocked.verifyAll())
    }

    public func rotate(
        from old: SecretBytes, to new: SecretBytes, parameters: Argon2idParameters?, pauseAfterEachWallet: Duration? = nil, by caller: Caller
    ) async throws -> Rotated {
        try requireOperator(caller)
        let vault = Vault(store: store, actor: caller.actor)
        try await vault.rotate(from: old, to: new, parameters: parameters, pauseAfterEachWallet: pauseAfterEachWallet)
        return Rotated(rotated: true, wallets: try await vault.wallets().count)
    }
}
