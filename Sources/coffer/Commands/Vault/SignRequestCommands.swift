import ArgumentParser
import Crypto
import Foundation
import Vault
import WalletCore

/// `coffer sign request`: submit intent + payload to the policy; sign when allowed.
struct SignRequestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "request",
        abstract: "Submit a signing request (intent + payload) to the policy; signs it if allowed and the vault passphrase is given.",
        discussion: """
            The file is {"id":"..","intent":{"chain","wallet","destination","asset","amount","fee"[,"token_contract"]},
            "payload":{"type":"ethereum-tx",...}}. Resubmitting the same id and content returns the stored state
            (and signs a request approved since); the same id with other content is refused.
            """)
    @OptionGroup var vaultOptions: VaultOptions
    @Option(help: "Signing request JSON file.") var file: String

    func run() throws {
        let document = try SigningRequestDocument(json: try InputFile.bytes(at: file, what: "signing request"))
        let context = try SigningContext(dataDir: vaultOptions.dataDir)
        let unlocked = try vaultOptions.hasPassphrase ? vaultOptions.unlock() : nil
        try SigningOutput.print(try context.service.submit(document, unlocked: unlocked))
    }
}

/// `coffer sign approve`: an approver signs a request's hash with their own key (stdin).
struct SignApproveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "approve",
        abstract: "Approve a waiting request: the approver's ed25519 private key (hex) on stdin signs its hash.",
        discussion: "With the vault passphrase, a request that becomes approved is signed at once.")
    @OptionGroup var vaultOptions: VaultOptions
    @Option(help: "Request id.") var request: String
    @Option(help: "Approver id.") var approver: String

    func run() throws {
        let context = try SigningContext(dataDir: vaultOptions.dataDir)
        guard let record = try context.store.request(request) else { throw CLIError("no signing request \"\(request)\"") }
        var keyHex = try SecretInput.standardInputLine(what: "approver private key")
        defer { keyHex = "" }
        guard var keyBytes = try? Hex.decode(keyHex), keyBytes.count == 32,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: keyBytes)
        else { throw CLIError("the approver private key on stdin must be 32 bytes of hex") }
        SecretBytes.wipe(&keyBytes)
        let signature = try key.signature(for: ApprovalMessage.bytes(requestHash: try Hex.decode(record.requestHash)))
        let unlocked = try vaultOptions.hasPassphrase ? vaultOptions.unlock() : nil
        try SigningOutput.print(try context.service.approve(requestID: request, approverID: approver, signature: Array(signature), unlocked: unlocked))
    }
}

/// `coffer sign status`: where a request stands.
struct SignStatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show a signing request's decision, approvals and result.")
    @Option(help: "Data directory (default: $COFFER_DATA_DIR).") var dataDir: String?
    @Option(help: "Request id.") var request: String

    func run() throws {
        guard let record = try SigningContext(dataDir: dataDir).store.request(request) else { throw CLIError("no signing request \"\(request)\"") }
        try SigningOutput.print(record)
    }
}

enum SigningOutput {
    static func print(_ record: SigningRequestRecord) throws {
        var object: [String: Any] = [
            "id": record.id, "hash": record.requestHash, "status": record.status.rawValue,
            "outcome": record.decision.outcome.rawValue, "rule": record.decision.rule, "reason": record.decision.reason,
        ]
        if record.decision.approvalsRequired > 0 {
            object["approvals_required"] = record.decision.approvalsRequired
            object["approvals_received"] = record.decision.approvalsReceived
        }
        if let result = record.result { object["result"] = Dictionary(uniqueKeysWithValues: result.fields.map { ($0.key, $0.value) }) }
        try JSONLine.print(object)
    }
}

extension VaultOptions {
    var hasPassphrase: Bool {
        passphraseFile != nil || !(ProcessInfo.processInfo.environment["COFFER_VAULT_PASSPHRASE_FILE"] ?? "").isEmpty
    }
}
