import ArgumentParser
import Foundation
import WalletCore

/// `coffer sign bitcoin-psbt`: signs the p2wpkh, p2sh-p2wpkh and p2tr key-path inputs of a
/// PSBT with an extended private key or a WIF key on stdin, and optionally finalises it.
struct SignBitcoinPSBTCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bitcoin-psbt",
        abstract: "Sign a Bitcoin PSBT (p2wpkh, p2sh-p2wpkh, p2tr key path) with the key on stdin.",
        discussion: """
            The key on stdin is an extended private key (xprv, yprv, zprv, tprv, uprv, vprv, Litecoin's Ltpv, Mtpv, ttpv; master or \
            account level, inputs matched by their BIP32 derivation records) or a WIF private key of any \
            registry network (Bitcoin's, Litecoin's T...; inputs matched by script). Prints one JSON line: psbt (base64), signed_inputs, skipped_inputs, \
            and with --finalize the network transaction (tx, hex) and its txid.
            """
    )

    @Option(help: "PSBT file: base64 text or binary.")
    var psbtFile: String

    @Flag(help: "Finalise every input and print the network transaction.")
    var finalize = false

    @Option(help: "Master key fingerprint (8 hex digits) an account-level extended key must match.")
    var masterFingerprint: String?

    @Flag(help: "Also sign inputs that ask for SIGHASH NONE, SINGLE or ANYONECANPAY (default: ALL/DEFAULT only).")
    var allowAnySighash = false

    func run() throws {
        let fingerprint = try masterFingerprint.map(Self.parseFingerprint)
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: psbtFile))
        } catch {
            throw CLIError("cannot read PSBT file \(psbtFile)")
        }
        var psbt = try PSBT(binaryOrBase64: [UInt8](data))
        let key = try Self.signingKey(try SecretInput.bitcoinKeyText(), masterFingerprint: fingerprint)
        let allowed: Set<SighashType> = allowAnySighash ? SighashType.validTaproot : [.all, .default]
        let report = try psbt.sign(with: key, allowedSighashTypes: allowed)
        var transaction: BitcoinTransaction?
        if finalize { transaction = try psbt.finalize() }
        try Terminal.print(Self.json(psbt: psbt, report: report, transaction: transaction))
    }

    /// An extended private key (any SLIP-132 version) or a WIF key; errors never echo the key.
    static func signingKey(_ text: String, masterFingerprint: UInt32?) throws -> PSBTSigningKey {
        let prefix = text.prefix(4)
        if prefix.count == 4, KeyVersion.all.contains(where: { $0.privatePrefix == prefix || $0.publicPrefix == prefix }) {
            switch try ExtendedKey(parsing: text) {
            case .privateKey(let key, _):
                return .extendedKey(key, masterFingerprint: masterFingerprint)
            case .publicKey(_, let version):
                throw CLIError("standard input holds an extended public key (\(version.publicPrefix)); signing needs the private key (\(version.privatePrefix))")
            }
        }
        if masterFingerprint != nil {
            throw UsageError("--master-fingerprint applies to extended keys, not WIF keys")
        }
        do {
            return .privateKey(try WIF.decode(text).privateKey)
        } catch {
            throw CLIError("standard input is neither an extended private key nor a WIF key: \(error)")
        }
    }

    static func parseFingerprint(_ text: String) throws -> UInt32 {
        guard text.count == 8, let value = UInt32(text, radix: 16) else {
            throw UsageError("--master-fingerprint must be 8 hex digits, e.g. 73c5da0a")
        }
        return value
    }

    static func json(psbt: PSBT, report: PSBTSigningReport, transaction: BitcoinTransaction?) -> String {
        let signed = report.signed.map {
            #"{"index":\#($0.index),"type":"\#($0.method.rawValue)","public_key":"\#(Hex.encode($0.publicKey))","sighash":"\#($0.sighashType)"}"#
        }
        let skipped = report.skipped.map { #"{"index":\#($0.index),"reason":\#(jsonString($0.reason))}"# }
        var json = #"{"psbt":"\#(psbt.base64)","signed_inputs":[\#(signed.joined(separator: ","))],"skipped_inputs":[\#(skipped.joined(separator: ","))]"#
        if let transaction {
            json += #","tx":"\#(Hex.encode(transaction.serialized()))","txid":"\#(transaction.txid)""#
        }
        return json + "}"
    }

    static func jsonString(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
