import ArgumentParser
import Foundation
import Vault
import WalletCore

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The tamper-evident audit log of the vault.",
        subcommands: [Verify.self, Export.self]
    )

    struct Verify: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; exit 1 naming the first record altered, removed or reordered.")
        @Option(help: "Data directory (default: $COFFER_DATA_DIR).") var dataDir: String?

        func run() throws {
            let records = try VaultOptions(dataDir: dataDir).vault().auditRecords()
            switch AuditChain.verify(records) {
            case .intact(let count, let head):
                try JSONLine.print(["intact": true, "records": count, "head_hash": Hex.encode(head)])
            case .broken(let seq, let reason):
                throw CLIError("audit log broken at record \(seq): \(reason)")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write every audit record as JSON Lines, in order.")
        @Option(help: "Data directory (default: $COFFER_DATA_DIR).") var dataDir: String?

        func run() throws {
            for record in try VaultOptions(dataDir: dataDir).vault().auditRecords() {
                try JSONLine.print([
                    "seq": record.seq, "time": record.recordedAt, "actor": record.actor, "action": record.action,
                    "subject": record.subject, "request_hash": record.requestHash, "outcome": record.outcome,
                    "detail": record.detail, "prev_hash": Hex.encode(record.previousHash), "hash": Hex.encode(record.hash),
                ])
            }
        }
    }
}

extension VaultOptions {
    init(dataDir: String?) {
        self.init()
        self.dataDir = dataDir
    }
}
