import ArgumentParser
import CofferBase
import CofferCore
import Crypto
import WalletCore

extension ReconCommand {
    /// `coffer recon correction`: adjusting or reversing transfers for exceptions, posted only
    /// after a second approver approved (docs/reconciliation.md, "Corrections").
    struct Correction: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Corrections of exceptions: proposed by one approver, posted once a second one approves.",
            subcommands: [Propose.self, Approve.self, Reject.self, List.self, Show.self])

        /// The approver's ed25519 private key (hex) from stdin, signing `message`.
        static func sign(_ message: String) throws -> String {
            var keyHex = try SecretInput.standardInputLine(what: "approver private key")
            defer { keyHex = "" }
            guard var keyBytes = try? Hex.decode(keyHex), keyBytes.count == 32,
                  let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: keyBytes)
            else { throw CLIError("the approver private key on stdin must be 32 bytes of hex") }
            SecretBytes.wipe(&keyBytes)
            return Hex.encode(try key.signature(for: Array(message.utf8)))
        }

        /// Signs a correction's approval message with the key on stdin and hands it to `decision`.
        static func decide(_ options: ServiceOptions, _ id: String, _ approver: String,
                           _ decision: @escaping (ReconService, String, String, String, Caller) async throws -> CorrectionView) async throws {
            try Output.print(try await options.run { services, caller in
                let signature = try sign(try await services.recon.correction(id, by: caller).approvalMessage)
                return try await decision(services.recon, id, approver, signature, caller)
            })
        }

        struct Propose: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Propose a correction, signed by an approver whose private key (hex) is on stdin.",
                discussion: "--file holds one transfer as `coffer ledger transfer` reads it (adjusting); --reverse names a posted transfer to undo.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "The exception, <run>-<n>.") var exception: String
            @Option(help: "A JSON file with the adjusting transfer.") var file: String?
            @Option(help: "A posted transfer to reverse.") var reverse: String?
            @Option(help: "The reversing transfer's id (with --reverse).") var transferId: String?
            @Option(help: "Why.") var reason: String
            @Option(help: "The proposing approver's id.") var approver: String

            func run() async throws {
                let transfer = try file.map { String(decoding: try InputFile.bytes(at: $0, what: "transfer"), as: UTF8.self) }
                let draft = CorrectionDraft(exception: exception, transfer: transfer, reverse: reverse, transferID: transferId, reason: reason)
                try Output.print(try await options.run { services, caller in
                    let signature = try Correction.sign(try await services.recon.correctionMessage(draft, by: caller))
                    return try await services.recon.proposeCorrection(draft, approver: approver, signature: signature, by: caller)
                })
            }
        }

        struct Approve: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Approve and post a correction as a second approver (private key on stdin).")
            @OptionGroup var options: ServiceOptions
            @Option(help: "The correction's id.") var id: String
            @Option(help: "The approving approver's id (not the proposer).") var approver: String

            func run() async throws { try await Correction.decide(options, id, approver) { try await $0.approveCorrection($1, approver: $2, signature: $3, by: $4) } }
        }

        struct Reject: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Reject (or withdraw) a proposed correction (private key on stdin).")
            @OptionGroup var options: ServiceOptions
            @Option(help: "The correction's id.") var id: String
            @Option(help: "The approver's id.") var approver: String

            func run() async throws { try await Correction.decide(options, id, approver) { try await $0.rejectCorrection($1, approver: $2, signature: $3, by: $4) } }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Corrections, oldest first, one JSON object per line.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "Only this exception's.") var exception: String?

            func run() async throws {
                for correction in try await options.run({ try await $0.recon.corrections(exception: exception, by: $1) }) { try Output.print(correction) }
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "One correction.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "The correction's id.") var id: String

            func run() async throws { try Output.print(try await options.run { try await $0.recon.correction(id, by: $1) }) }
        }
    }
}
