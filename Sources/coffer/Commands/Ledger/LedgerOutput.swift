import ArgumentParser
import CofferPostgres
import CofferStorage
import Foundation
import Ledger

/// Where the ledger lives: the embedded SQLite database in the data directory, or PostgreSQL.
struct LedgerStorageOptions: ParsableArguments {
    @Option(help: "Data directory for the embedded SQLite database (default: $COFFER_DATA_DIR, else ~/.local/share/coffer).")
    var dataDir: String?

    @Option(help: ArgumentHelp(
        "PostgreSQL instead of the embedded database: postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE[?sslmode=require] (default: $COFFER_DATABASE_URL).",
        discussion: "Prefer $COFFER_DATABASE_URL when the URL carries a password: arguments are visible to other users of the machine."))
    var database: String?

    func store() async throws -> any LedgerStore {
        let url = database ?? ProcessInfo.processInfo.environment["COFFER_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
        if let url {
            guard dataDir == nil else { throw UsageError("--data-dir and --database exclude each other: the ledger is either embedded or in PostgreSQL") }
            return PostgresLedgerStore(database: try await PostgresPool(url: url, migrations: CofferSchema.postgresMigrations))
        }
        return SQLiteLedgerStore(database: try CofferDatabase(directory: DataDirectory(explicit: dataDir), migrations: CofferSchema.migrations))
    }
}

/// One JSON object per line with keys in the order given (the documented contract's order).
enum LedgerJSON {
    enum Value {
        case text(String), number(Int), bool(Bool), texts([String])
    }

    static func print(_ fields: [(String, Value)]) throws {
        let body = fields.map { key, value in
            let rendered: String
            switch value {
            case .text(let text): rendered = quote(text)
            case .number(let number): rendered = String(number)
            case .bool(let flag): rendered = flag ? "true" : "false"
            case .texts(let texts): rendered = "[" + texts.map(quote).joined(separator: ",") + "]"
            }
            return "\(quote(key)):\(rendered)"
        }
        try Terminal.print("{\(body.joined(separator: ","))}")
    }

    /// The pagination trailer: `{"next_cursor":"..."}` when more rows remain, nothing otherwise.
    static func printNextCursor(_ cursor: LedgerCursor?) throws {
        if let cursor { try print([("next_cursor", .text(cursor.text))]) }
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
