import CofferBase
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

    public init() {}

    /// The config file's keys, the environment variables' suffixes and the flags' names.
    static let keys = [
        "host", "port", "data_dir", "database", "rate_limit", "rate_burst", "max_body_bytes", "request_timeout_seconds", "vault_passphrase_file",
    ]

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
                default: throw ServiceError.invalid("config file \(configFile): \(key) must be a string or a whole number")
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
        default: throw ServiceError.invalid("unknown setting \(key)", code: "invalid-configuration")
        }
    }
}
