import ArgumentParser
import CofferBase
import CofferCore
import Crypto
import Foundation
import WalletCore

struct PolicyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "The signing policy: rules evaluated before any key is touched.",
        discussion: """
            A policy is JSON: {"rules":[...]} with rule types deny_destinations, allow_destinations,
            max_per_transaction, rolling_limit (24h|7d|30d), time_window (UTC hours, ISO weekdays) and
            approvals (M of N registered approvers above an amount). Every rule may carry "name" and
            "wallets". Without --wallet, the vault-wide policy; with it, that wallet's own (as
            PUT /v1/policies/{wallet}). See docs/signing-policy.md.
            """,
        subcommands: [Set.self, Show.self]
    )

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Validate and activate a policy file (a new audited version).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Policy JSON file.") var file: String
        @Option(help: "A wallet (id or name): set its own policy instead of the vault-wide one.") var wallet: String?

        func run() async throws {
            let policy = try JSONValue(parsing: try InputFile.bytes(at: file, what: "policy file"))
            try Output.print(try await options.run { try await $0.signing.setPolicy(policy, wallet: wallet, by: $1) })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the active policy.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "A wallet (id or name): its own policy instead of the vault-wide one.") var wallet: String?

        func run() async throws {
            try Output.print(try await options.run { try await $0.signing.policy(wallet: wallet, by: $1) })
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

        struct PublicKey: Encodable { let public_key: String }

        func run() throws {
            let key = Curve25519.Signing.PrivateKey()
            guard !FileManager.default.fileExists(atPath: out) else { throw CLIError("\(out) already exists; choose a new file") }
            guard FileManager.default.createFile(atPath: out, contents: Data((Hex.encode(key.rawRepresentation) + "\n").utf8), attributes: [.posixPermissions: 0o600]) else {
                throw CLIError("cannot write \(out)")
            }
            try Output.print(PublicKey(public_key: Hex.encode(key.publicKey.rawRepresentation)))
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Register an approver by id and ed25519 public key (hex).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Approver id (letters, digits, - _ .).") var id: String
        @Option(help: "32-byte ed25519 public key, hex.") var publicKey: String

        func run() async throws {
            try Output.print(try await options.run { try await $0.signing.addApprover(id: id, publicKey: publicKey, by: $1) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List registered approvers.")
        @OptionGroup var options: ServiceOptions

        func run() async throws {
            for approver in try await options.run({ try await $0.signing.approvers(by: $1) }) { try Output.print(approver) }
        }
    }
}
