import ArgumentParser
import Crypto
import Foundation
import Vault
import WalletCore

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "The signing policy: rules evaluated before any key is touched.",
        discussion: """
            A policy is JSON: {"rules":[...]} with rule types deny_destinations, allow_destinations,
            max_per_transaction, rolling_limit (24h|7d|30d), time_window (UTC hours, ISO weekdays) and
            approvals (M of N registered approvers above an amount). Every rule may carry "name" and
            "wallets". See docs/signing-policy.md.
            """,
        subcommands: [Set.self, Show.self]
    )

    struct Set: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate and activate a policy file (a new audited version).")
        @Option(help: "Data directory (default: $COFFER_DATA_DIR).") var dataDir: String?
        @Option(help: "Policy JSON file.") var file: String

        func run() throws {
            let bytes = try InputFile.bytes(at: file, what: "policy file")
            _ = try SigningPolicy(json: bytes)
            let context = try SigningContext(dataDir: dataDir)
            let version = try context.store.setPolicy(
                document: String(decoding: bytes, as: UTF8.self), actor: context.vault.actor,
                audit: AuditEvent(actor: context.vault.actor, action: "policy.set", subject: "policy", outcome: "ok"),
                at: VaultClock.format(Date()))
            try JSONLine.print(["version": version])
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the active policy.")
        @Option(help: "Data directory (default: $COFFER_DATA_DIR).") var dataDir: String?

        func run() throws {
            guard let (version, document) = try SigningContext(dataDir: dataDir).store.currentPolicy() else {
                throw CLIError("no signing policy is set; every request is denied until `coffer policy set --file F`")
            }
            let object = (try? JSONSerialization.jsonObject(with: Data(document.utf8))) ?? [:]
            try JSONLine.print(["version": version, "policy": object])
        }
    }
}

struct ApproverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approver",
        abstract: "Approvers: identities whose ed25519 signatures over a request's hash count as approvals.",
        subcommands: [Keygen.self, Add.self, List.self]
    )

    struct Keygen: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an approver key pair: the private key goes to --out (mode 0600), the public key to stdout.")
        @Option(help: "File to write the private key (hex) to; must not exist.") var out: String

        func run() throws {
            let key = Curve25519.Signing.PrivateKey()
            guard !FileManager.default.fileExists(atPath: out) else { throw CLIError("\(out) already exists; choose a new file") }
            guard FileManager.default.createFile(atPath: out, contents: Data((Hex.encode(key.rawRepresentation) + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CLIError("cannot write \(out)")
            }
            try JSONLine.print(["public_key": Hex.encode(key.publicKey.rawRepresentation)])
        }
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an approver by id and ed25519 public key (hex).")
        @Option(help: "Data directory (default: $COFFER_DATA_DIR).") var dataDir: String?
        @Option(help: "Approver id (letters, digits, - _ .).") var id: String
        @Option(help: "32-byte ed25519 public key, hex.") var publicKey: String

        func run() throws {
            guard (1...64).contains(id.count), id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }) else {
                throw CLIError("approver id must be 1-64 letters, digits, - _ .")
            }
            let key: [UInt8]
            do { key = try Hex.decode(publicKey) } catch { throw CLIError("--public-key: \(error)") }
            guard key.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: key)) != nil else {
                throw CLIError("--public-key must be a 32-byte ed25519 public key, got \(key.count) bytes")
            }
            let context = try SigningContext(dataDir: dataDir)
            try context.store.addApprover(
                id: id, publicKey: key,
                audit: AuditEvent(actor: context.vault.actor, action: "approver.add", subject: id, outcome: "ok", detail: publicKey.lowercased()),
                at: VaultClock.format(Date()))
            try JSONLine.print(["id": id, "public_key": Hex.encode(key)])
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered approvers.")
        @Option(help: "Data directory (default: $COFFER_DATA_DIR).") var dataDir: String?

        func run() throws {
            for approver in try SigningContext(dataDir: dataDir).store.approvers() {
                try JSONLine.print(["id": approver.id, "public_key": Hex.encode(approver.publicKey)])
            }
        }
    }
}

/// The vault, the signing store and the payload signers over one database.
struct SigningContext {
    let vault: Vault
    let store: SigningStore
    let service: SigningService

    init(dataDir: String?) throws {
        let database = try VaultOptions(dataDir: dataDir).openDatabase()
        vault = Vault(store: SQLiteVaultStore(database: database), actor: "cli:\(NSUserName())")
        store = SigningStore(database: database)
        service = SigningService(vault: vault, store: store, signers: PayloadSigners.all)
    }
}
