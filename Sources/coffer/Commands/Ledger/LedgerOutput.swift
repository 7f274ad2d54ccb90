import ArgumentParser
import CofferPostgres
import CofferServer
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

        var json: JSONValue {
            switch self {
            case .text(let text): .string(text)
            case .number(let number): .int(Int64(number))
            case .bool(let flag): .bool(flag)
            case .texts(let texts): .array(texts.map(JSONValue.string))
            }
        }
    }

    static func print(_ fields: [(String, Value)]) throws {
        try Terminal.print(JSONValue.object(fields.map { ($0.0, $0.1.json) }).text)
    }

    /// The pagination trailer: `{"next_cursor":"..."}` when more rows remain, nothing otherwise.
    static func printNextCursor(_ cursor: LedgerCursor?) throws {
        if let cursor { try print([("next_cursor", .text(cursor.text))]) }
    }
}
