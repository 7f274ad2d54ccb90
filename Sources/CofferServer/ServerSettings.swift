import CofferBase
public import CofferCore
import Foundation

/// How `coffer serve` runs. Each setting comes from, in order of precedence: a command-line
/// flag, an environment variable (`COFFER_<NAME>`), the JSON config file (`--config`), the default.
public struct ServerSettings: Sendable, Equatable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The embedded database's data directory (nil: the default one).
    public var dataDirectory: String?
    /// A `postgres://` URL instead of the embedded database.
    public var databaseURL: String?
    /// Requests per second per API key (0: unlimited) and the burst allowed above it.
    public var rateLimit = 1_000
    public var rateBurst = 2_000
    public var maximumBodyBytes = 1 << 20
    public var requestTimeoutSeconds = 30
    /// The vault passphrase file: with it the server unlocks the vault at start.
    public var vaultPassphraseFile: String?
    /// Webhook delivery: the backoff's base and cap, attempts per event before an endpoint is
    /// marked failing, the time one attempt may take (see docs/webhooks.md).
    public var webhookRetryBaseMilliseconds: Int64 = 10_000
    public var webhookRetryCapMilliseconds: Int64 = 3_600_000
    public var webhookMaximumAttempts = 15
    public var webhookTimeoutMilliseconds: Int64 = 10_000
    /// Whether API keys may register webhook URLs on loopback, private or link-local addresses.
    public var webhookAllowPrivateURLs = false
    /// The payout worker: seconds between passes, and how long a server holds a chain's pipeline
    /// (renewed while it works) before another server may take it over.
    public var payoutPollSeconds = 2
    public var payoutLeaseSeconds = 60

    public init() {}

    /// The config file's keys, the environment variables' suffixes and the flags' names.
    static let keys = [
        "host", "port", "data_dir", "database", "rate_limit", "rate_burst", "max_body_bytes", "request_timeout_seconds", "vault_passphrase_file",
        "webhook_retry_base_ms", "webhook_retry_cap_ms", "webhook_max_attempts", "webhook_timeout_ms", "webhook_allow_private_urls",
        "payout_poll_seconds", "payout_lease_seconds",
    ]

    /// How webhooks are delivered, from these settings; throws when they do not fit together
    /// (a cap below the base).
    public func webhookOptions() throws -> WebhookOptions {
        try WebhookOptions(
            retryBaseMilliseconds: webhookRetryBaseMilliseconds, retryCapMilliseconds: webhookRetryCapMilliseconds, maximumAttempts: webhookMaximumAttempts,
            timeoutMilliseconds: webhookTimeoutMilliseconds, allowPrivateURLs: webhookAllowPrivateURLs)
    }

    /// Applies a JSON config file, then `COFFER_*` variables, over the defaults.
    public static func load(configFile: String?, environment: [String: String]) throws(ServiceError) -> ServerSettings {
        var settings = ServerSettings()
        if let configFile {
            let data: Data
            do {
                data = try Data(contentsOf: URL(fileURLWithPath: configFile))
            } catch {
                throw ServiceError.invalid("cannot read config file \(configFile): \(error.localizedDescription)")
            }
            guard case .object(let members)? = try? JSONValue(parsing: data) else {
                throw ServiceError.invalid("config file \(configFile) is not a JSON object")
            }
            for (key, value) in members {
                guard keys.contains(key) else { throw ServiceError.invalid("config file \(configFile): unknown setting \"\(key.prefix(40))\"; settings are \(keys.joined(separator: ", "))") }
                let text: String
                switch value {
                case .string(let string): text = string
                case .number(let literal) where literal.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }): text = literal
                case .bool(let flag): text = flag ? "true" : "false"
                default: throw ServiceError.invalid("config file \(configFile): \(key) must be a string, a whole number or a boolean")
                }
                try settings.set(key, text, source: "config file \(configFile)")
            }
        }
        for key in keys {
            if let value = environment["COFFER_" + key.uppercased()], !value.isEmpty {
                try settings.set(key, value, source: "COFFER_\(key.uppercased())")
            }
        }
        if environment["COFFER_DATABASE_URL"].map({ !$0.isEmpty }) == true, settings.databaseURL == nil {
            settings.databaseURL = environment["COFFER_DATABASE_URL"]
        }
        return settings
    }

    /// Sets one setting from text, naming `source` when the value is unusable.
    public mutating func set(_ key: String, _ value: String, source: String) throws(ServiceError) {
        func number(_ range: ClosedRange<Int>) throws(ServiceError) -> Int {
            guard let number = Int(value), range.contains(number) else {
                throw ServiceError.invalid("\(source): \(key) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \"\(value.prefix(20))\"")
            }
            return number
        }
        switch key {
        case "host": host = value
        case "port": port = try number(0...65535)
        case "data_dir": dataDirectory = value
        case "database": databaseURL = value
        case "rate_limit": rateLimit = try number(0...10_000_000)
        case "rate_burst": rateBurst = try number(1...10_000_000)
        case "max_body_bytes": maximumBodyBytes = try number(1_024...(64 << 20))
        case "request_timeout_seconds": requestTimeoutSeconds = try number(1...3_600)
        case "vault_passphrase_file": vaultPassphraseFile = value
        case "webhook_retry_base_ms": webhookRetryBaseMilliseconds = Int64(try number(1...86_400_000))
        case "webhook_retry_cap_ms": webhookRetryCapMilliseconds = Int64(try number(1...604_800_000))
        case "webhook_max_attempts": webhookMaximumAttempts = try number(1...100)
        case "webhook_timeout_ms": webhookTimeoutMilliseconds = Int64(try number(100...30_000))
        case "payout_poll_seconds": payoutPollSeconds = try number(1...3_600)
        case "payout_lease_seconds": payoutLeaseSeconds = try number(1...3_600)
        case "webhook_allow_private_urls":
            guard value == "true" || value == "false" else {
                throw ServiceError.invalid("\(source): \(key) must be true or false, not \"\(value.prefix(20))\"")
            }
            webhookAllowPrivateURLs = value == "true"
        default: throw ServiceError.invalid("unknown setting \(key)", code: "invalid-configuration")
        }
    }
}
