import ArgumentParser
import Foundation
import WalletCore

struct SignTronCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tron-tx",
        abstract: "Sign a TRON transaction's raw_data; the private key (64 hex digits) is read from stdin.",
        discussion: """
            The file holds raw_data_hex as TronWeb or the java-tron API return it. Prints \
            {"txID":"…","signature":"…"}: txID = SHA-256(raw_data), signature r||s||v (v = 1b/1c, \
            TronWeb's convention) to add to the transaction's signature list.
            """
    )

    @Option(help: "File holding the transaction's raw_data as hex.")
    var rawDataFile: String

    func run() throws {
        let rawData = try Self.readRawData(rawDataFile)
        let keyLines = try SecretInput.privateKeyLines(what: "private key")
        guard keyLines.count == 1 else {
            throw CLIError("expected one private key on standard input, got \(keyLines.count) lines")
        }
        let key = try Secp256k1.PrivateKey(secret: try SecretInput.hexPrivateKey(keyLines[0], what: "private key"))
        let signed = try TronTransactionSigner.sign(rawData: rawData, with: key)
        try Terminal.print(#"{"txID":"\#(signed.txIDHex)","signature":"\#(signed.signatureHex)"}"#)
    }

    static func readRawData(_ path: String) throws -> [UInt8] {
        let text = try SignInputFile.text(path, what: "raw-data file")
        if text.hasPrefix("{") {
            throw CLIError("raw-data file \(path) holds JSON; put only the transaction's raw_data_hex value in it")
        }
        do {
            return try Hex.decode(text)
        } catch {
            throw CLIError("raw-data file \(path): \(error)")
        }
    }
}

/// Reading the non-secret input files of `coffer sign`.
enum SignInputFile {
    /// The file's UTF-8 text without surrounding whitespace; an error names the file.
    static func text(_ path: String, what: String) throws -> String {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot read \(what) \(path)")
        }
        guard let text = String(data: data, encoding: .utf8) else { throw CLIError("\(what) \(path) is not UTF-8 text") }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CLIError("\(what) \(path) is empty") }
        return trimmed
    }
}
