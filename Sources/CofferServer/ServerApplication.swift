public import CofferCore
import CofferStorage
import Foundation
import Hummingbird
public import Logging
public import ServiceLifecycle
import Vault

/// Everything `coffer serve` runs over one set of stores, as a lifecycle service: it opens the
/// vault (the database is up by then: the pool is an earlier service of the same group), then
/// runs its own group of the background services and the HTTP server, in that order. On graceful
/// shutdown that group stops in reverse: the HTTP server stops accepting and drains in-flight
/// requests first, then the background services, and only after them does the outer group stop
/// the database pool.
public struct ServerApplication: Service {
    let settings: ServerSettings
    let stores: CofferStores
    let vaultParameters: Argon2idParameters
    /// Long-running work besides the HTTP server, started in this order before it.
    let background: @Sendable (CofferServices, Logger) -> [(name: String, service: any Service)]
    let readiness: [@Sendable () async -> String?]
    let logger: Logger
    let onRunning: @Sendable (Int, CofferServices) async -> Void

    public init(
        settings: ServerSettings, stores: CofferStores, vaultParameters: Argon2idParameters, readiness: [@Sendable () async -> String?],
        logger: Logger, background: @escaping @Sendable (CofferServices, Logger) -> [(name: String, service: any Service)],
        onRunning: @escaping @Sendable (Int, CofferServices) async -> Void
    ) {
        self.settings = settings
        self.stores = stores
        self.vaultParameters = vaultParameters
        self.readiness = readiness
        self.logger = logger
        self.background = background
        self.onRunning = onRunning
    }

    public func run() async throws {
        let vault: VaultAccess
        if let file = settings.vaultPassphraseFile, !file.isEmpty {
            vault = try await VaultAccess.unlock(stores.vault, passphraseFile: file, createWith: vaultParameters)
        } else {
            vault = .locked(stores.vault, reason: "the vault is locked: start coffer serve with --vault-passphrase-file (or COFFER_VAULT_PASSPHRASE_FILE)")
        }
        let services = CofferServices(stores: stores, vault: vault, signers: CofferServices.payloadSigners, webhooks: try settings.webhookOptions())
        let vaultReady: @Sendable () async -> String? = { vault.lockedReason }
        let http = CofferServer.application(
            settings: settings, services: services, readiness: readiness + [vaultReady], logger: logger,
            onRunning: { port in await onRunning(port, services) })
        let parts = background(services, logger) + [("http", http)]
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: parts.map { part in
                ServiceGroupConfiguration.ServiceConfiguration(service: LoggedService(name: part.name, service: part.service, logger: logger))
            },
            logger: logger))
        try await group.run()
    }
}

/// A service that says when it starts and when it stopped, so operators (and the shutdown test)
/// can see the order.
public struct LoggedService: Service {
    let name: String
    let service: any Service
    let logger: Logger

    public init(name: String, service: any Service, logger: Logger) {
        self.name = name
        self.service = service
        self.logger = logger
    }

    public func run() async throws {
        logger.info("service started", metadata: ["service": "\(name)"])
        defer { logger.info("service stopped", metadata: ["service": "\(name)"]) }
        try await service.run()
    }
}
