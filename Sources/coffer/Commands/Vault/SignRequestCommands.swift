import ArgumentParser
import CofferCore
import Crypto
import Foundation
import Vault
import WalletCore

/// `coffer sign request`: submit intent + payload to the policy; sign when allowed.
struct SignRequestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Submit a signing request (intent + payload) to the policy; signs it if allowed and the vault passphrase is given.",
        discussion: """
            The file is {"id":"..","intent":{"chain","wallet","destination","asset","amount","fee"[,"token_contract"]},
            "payload":{"type":"ethereum-tx",...}}. A batch (one transaction paying many recipients, e.g. a
            bitcoin-psbt) lists its payments instead of destination and amount:
            "intent":{"chain","wallet","outputs":[{"destination","amount"},...],"asset","fee"}; the payload must
            make exactly those payments (in any order) besides the wallet's change. Resubmitting the same id and content returns the stored state
            (and signs a request approved since); the same id with other content is refused.
            """)
    @OptionGroup var options: ServiceOptions
    @Option(help: "Signing request JSON file.") var file: String

    func run() async throws {
        let body = try InputFile.bytes(at: file, what: "signing request")
        try Output.print(try await options.run { try await $0.signing.submit(body, by: $1).0 })
    }
}

/// `coffer sign approve`: an approver signs a request's hash with their own key (stdin).
struct SignApproveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a waiting request: the approver's ed25519 private key (hex) on stdin signs its hash.",
        discussion: "With the vault passphrase, a request that becomes approved is signed at once.")
    @OptionGroup var options: ServiceOptions
    @Option(help: "Request id.") var request: String
    @Option(help: "Approver id.") var approver: String

    func run() async throws {
        var keyHex = try SecretInput.standardInputLine(what: "approver private key")
        defer { keyHex = "" }
        guard var keyBytes = try? Hex.decode(keyHex), keyBytes.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: keyBytes)
        else { throw CLIError("the approver private key on stdin must be 32 bytes of hex") }
        SecretBytes.wipe(&keyBytes)
        try Output.print(try await options.run { services, caller in
            // The approver signs the message the service shows for the request (its hash, domain-tagged).
            let pending = try await services.signing.request(request, by: caller)
            let signature = try key.signature(for: Array(pending.approvalMessage.utf8))
            return try await services.signing.approve(request, ApprovalRequest(approverID: approver, signature: Hex.encode(signature)), by: caller)
        })
    }
}

/// `coffer sign status`: where a request stands.
struct SignStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a signing request's decision, approvals and result.")
    @OptionGroup var options: ServiceOptions
    @Option(help: "Request id.") var request: String

    func run() async throws {
        try Output.print(try await options.run { try await $0.signing.request(request, by: $1) })
    }
}
