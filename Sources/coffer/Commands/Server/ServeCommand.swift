import ArgumentParser
import CofferPostgres
import CofferServer
import Foundation
import Logging

/// `coffer serve`: the HTTP API.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the HTTP API (default http://127.0.0.1:8080) on the embedded database or PostgreSQL.",
        discussion: """
            Settings come from flags, then COFFER_<NAME> environment variables (COFFER_PORT, COFFER_DATABASE, ...),
            then the JSON file given with --config, then defaults. SIGTERM or SIGINT stops accepting connections and
            lets in-flight requests finish. Create the first tenant and key with `coffer tenant create` and
            `coffer apikey create`, on the same data directory or database, while the server runs or not.
            With --vault-passphrase-file the vault is unlocked at start (and created with that passphrase if the
            data directory has none yet); without it the vault stays locked and the wallet, address, signing,
            policy and audit routes answer 503. The vault always lives in the data directory's embedded
            database, also when --database puts the ledger on PostgreSQL.
            """)

    @Option(help: "Address to listen on (default 127.0.0.1).") var host: String?
    @Option(help: "Port (default 8080; 0 picks a free one).") var port: Int?
    @Option(help: "Data directory for the embedded SQLite database.") var dataDir: String?
    @Option(help: "postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE instead of the embedded database.") var database: String?
    @Option(help: "JSON file with any of: host, port, data_dir, database, rate_limit, rate_burst, max_body_bytes, request_timeout_seconds, vault_passphrase_file.")
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
        let stores = try await ServiceStorage.open(dataDir: settings.databaseURL == nil ? settings.dataDirectory : nil, database: settings.databaseURL)
        let vault = try ServiceStorage.openVault(stores: stores, dataDir: settings.dataDirectory, passphraseFile: settings.vaultPassphraseFile)
        CofferServer.bootstrapMetrics()
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = ProcessInfo.processInfo.environment["COFFER_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .info
            return handler
        }
        let logger = Logger(label: "coffer.server")
        let storeName = settings.databaseURL.map { (try? PostgresLocation(url: $0)).map { "PostgreSQL \($0)" } ?? "PostgreSQL" } ?? "the embedded database"
        let chosen = settings
        try await CofferServer.run(
            settings: chosen,
            services: CofferServices(ledger: stores.ledger, tenancy: stores.tenancy, vault: vault, readiness: stores.readiness + [vault.readiness]),
            logger: logger
        ) { port in
            let storage = chosen.databaseURL.map { _ in "--database \"$COFFER_DATABASE_URL\"" } ?? (chosen.dataDirectory.map { "--data-dir \($0)" } ?? "")
            let lines = [
                "coffer: listening on http://\(chosen.host):\(port) (\(storeName)); API under /v1, docs at /openapi.json",
                vault.isUnlocked ? "coffer: the vault is unlocked" : "coffer: the vault is locked (no --vault-passphrase-file); vault routes answer 503",
                "coffer: first admin key: coffer tenant create --name NAME \(storage)   then   coffer apikey create --tenant ID --scopes read,write,sign,approve,admin \(storage)",
            ]
            for line in lines { FileHandle.standardError.write(Data((line + "\n").utf8)) }
        }
    }
}
