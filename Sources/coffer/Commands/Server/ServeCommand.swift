import ArgumentParser
import CofferCore
import CofferServer
import CofferStorage
import Foundation
import Ledger
import Logging
import ServiceLifecycle
import UnixSignals
import Vault

/// `coffer serve`: the HTTP API and the background services, one service group.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (default http://127.0.0.1:8080) on the embedded database or PostgreSQL.",
        discussion: """
            Settings come from flags, then COFFER_<NAME> environment variables (COFFER_PORT, COFFER_DATABASE, ...),
            then the JSON file given with --config, then defaults. Everything long-running is a service of one group,
            started in order (the PostgreSQL pool, then the background services, then the HTTP server); SIGTERM or
            SIGINT stops them in reverse: the server stops accepting connections and lets in-flight requests finish
            first. Create the first tenant and key with `coffer tenant create` and `coffer apikey create`, on the same
            data directory or database, while the server runs or not. With --vault-passphrase-file the vault is
            unlocked at start (and created with that passphrase if the database has none yet); without it the vault
            stays locked and the wallet, address, signing, policy and audit routes answer 503 (and webhook delivery waits). Everything, the vault
            included, lives in the one database: the data directory's, or PostgreSQL's with --database.
            """)

    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port (default 8080; 0 picks a free one).") var port: Int?
    @Option(help: "Data directory for the embedded SQLite database.") var dataDir: String?
    @Option(help: "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE instead of the embedded database.") var database: String?
    @Option(help: """
        JSON file with any of: host, port, data_dir, database, rate_limit, rate_burst, max_body_bytes, request_timeout_seconds, vault_passphrase_file,         webhook_retry_base_ms, webhook_retry_cap_ms, webhook_max_attempts, webhook_timeout_ms, webhook_allow_private_urls.
        """)
    var config: String?
    @Option(help: "Requests per second per API key (0: unlimited; default 1000).") var rateLimit: Int?
    @Option(help: "Burst above the rate (default 2000).") var rateBurst: Int?
    @Option(help: "Largest request body in bytes (default 1048576).") var maxBodyBytes: Int?
    @Option(help: "Seconds a client may stay idle mid-request (default 30).") var requestTimeout: Int?
    @Option(help: "File holding the vault passphrase (one trailing newline dropped); unlocks the vault at start.") var vaultPassphraseFile: String?

    func run() async throws {
        var settings = try ServerSettings.load(configFile: config, environment: ProcessInfo.processInfo.environment)
        for (key, value) in [("host", host), ("port", port.map(String.init)), ("data_dir", dataDir), ("database", database),
                             ("rate_limit", rateLimit.map(String.init)), ("rate_burst", rateBurst.map(String.init)),
                             ("max_body_bytes", maxBodyBytes.map(String.init)), ("request_timeout_seconds", requestTimeout.map(String.init)),
                             ("vault_passphrase_file", vaultPassphraseFile)] {
            if let value { try settings.set(key, value, source: "--\(key.replacingOccurrences(of: "_", with: "-"))") }
        }
        _ = try settings.webhookOptions()  // refused before anything starts
        CofferServer.bootstrapMetrics()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["COFFER_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: "coffer.server")
        var first: [(name: String, service: any Service)] = []
        let stores: CofferStores
        let storeName: String
        if let url = settings.databaseURL {
            guard settings.dataDirectory == nil else { throw UsageError("--data-dir and --database exclude each other") }
            let pool = try PostgresPool(url: url, maximumConnections: 16)
            try await pool.prepare(migrations: CofferStores.postgresMigrations)
            first.append(("postgres", pool))
            stores = CofferStores(postgres: pool)
            storeName = "PostgreSQL \(pool.location)"
        } else {
            let database = try CofferDatabase(directory: DataDirectory(explicit: settings.dataDirectory), migrations: CofferStores.sqliteMigrations)
            stores = CofferStores(embedded: database)
            storeName = "the embedded database \(database.path)"
        }
        let chosen = settings
        let application = ServerApplication(
            settings: settings, stores: stores, vaultParameters: KDFOptions.testParameters ?? .default,
            readiness: [stores.readiness(name: storeName)], logger: logger,
            background: { services, logger in Self.background(services, logger, settings: chosen) }
        ) { port, services in
            let storage = chosen.databaseURL.map { _ in "--database \"$COFFER_DATABASE_URL\"" } ?? (chosen.dataDirectory.map { "--data-dir \($0)" } ?? "")
            let lines = [
                "coffer: listening on http://\(chosen.host):\(port) (\(storeName)); API under /v1, docs at /openapi.json",
                services.vault.isUnlocked ? "coffer: the vault is unlocked" : "coffer: the vault is locked (no --vault-passphrase-file); vault routes answer 503",
                "coffer: first admin key: coffer tenant create --name NAME \(storage)   then   coffer apikey create --tenant ID --scopes read,write,sign,approve,admin \(storage)",
            ]
            for line in lines { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(
            services: (first + [("application", application)]).map { part in
                ServiceGroupConfiguration.ServiceConfiguration(service: LoggedService(name: part.name, service: part.service, logger: logger))
            },
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger))
        try await group.run()
    }

    /// The background services, in the order they start (and the reverse of their stopping).
    static func background(_ services: CofferServices, _ logger: Logger, settings: ServerSettings) -> [(name: String, service: any Service)] {
        [
            // Releases timed-out pending transfers at their timeout (TigerBeetle's pulse), not at the next commit.
            ("pending-expiry", PendingExpiryService(store: services.stores.ledger, logger: logger)),
            ("idempotency-purge", IdempotencyPurgeService(store: services.tenancy.store, logger: logger)),
            // One syncer per configured chain: deposits detected, confirmed and credited; reorgs undone.
            ("chain-sync", ChainSyncService(chains: services.chains, logger: logger)),
            // Payouts batched, signed behind the policy, broadcast, followed, settled or compensated.
            ("payouts", PayoutWorkerService(payouts: services.payouts, logger: logger, poll: .seconds(settings.payoutPollSeconds),
                                            leaseSeconds: Int64(settings.payoutLeaseSeconds))),
            // Signed webhooks: the outbox's events to every endpoint, in order per endpoint; waits while the vault is locked.
            ("webhook-delivery", WebhookDeliveryService(webhooks: services.webhooks, logger: logger)),
            // Live prices: the http sources polled through their mappings, aggregated, stored, pushed to /v1/stream.
            ("market-feeds", MarketFeedService(live: services.live, logger: logger)),
            // Scheduled reconciliations: daily, or after each statement import.
            ("recon-scheduler", ReconSchedulerService(recon: services.recon, logger: logger)),
        ]
    }
}
