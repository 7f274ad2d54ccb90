import Foundation
import Vault
import WalletCore

/// Turns the body of `POST /v1/wallets` into the secret to store. Every error names the field
/// and what is wrong with it, never the secret or any part of it (a mistyped mnemonic word is
/// reported by its position only).
enum WalletImport {
    /// Which fields each source takes besides `name` and `source`.
    static let fieldsBySource: [String: Set<String>] = [
        "generate": ["word_count"],
        "mnemonic": ["mnemonic", "bip39_passphrase"],
        "private-key": ["private_key", "curve"],
        "ethereum-keystore": ["keystore", "password"],
    ]

    /// The secret and its vault origin.
    static func secret(source: String, input: JSONInput, body: [UInt8]) throws(Problem) -> (WalletSecret, String) {
        guard let allowed = fieldsBySource[source] else {
            throw Problem.badRequest("source must be generate, mnemonic, private-key or ethereum-keystore")
        }
        let optional = WalletRoutes.createFields.subtracting(["name", "source"]).subtracting(allowed)
        if let misplaced = optional.sorted().first(where: { input.has($0) }) {
            throw Problem.badRequest("\(misplaced) does not apply to source \(source); it takes \(allowed.sorted().joined(separator: ", "))")
        }
        switch source {
        case "generate":
            let words = try input.integer("word_count", as: Int.self) ?? 24
            guard Mnemonic.validWordCounts.contains(words) else { throw Problem.badRequest("word_count must be 12, 15, 18, 21 or 24") }
            let mnemonic: Mnemonic
            do { mnemonic = try Mnemonic.generate(wordCount: words) } catch { throw Problem.badRequest("\(error)") }
            var seed = mnemonic.seed()
            defer { SecretBytes.wipe(&seed) }
            return (.seed(SecretBytes(seed)), "generated-bip39")
        case "mnemonic":
            let phrase = try input.requiredString("mnemonic")
            let mnemonic: Mnemonic
            do { mnemonic = try Mnemonic(phrase: phrase) } catch { throw Problem.badRequest(describe(error)) }
            var seed = mnemonic.seed(passphrase: try input.string("bip39_passphrase") ?? "")
            defer { SecretBytes.wipe(&seed) }
            return (.seed(SecretBytes(seed)), "bip39")
        case "private-key":
            guard let curveName = try input.string("curve") else { throw Problem.badRequest("curve is missing: secp256k1 or ed25519") }
            guard let curve = Curve(rawValue: curveName) else { throw Problem.badRequest("curve must be secp256k1 or ed25519") }
            var text = Array(try input.requiredString("private_key").utf8)
            defer { SecretBytes.wipe(&text) }
            if text.count >= 2, text[0] == UInt8(ascii: "0"), text[1] | 0x20 == UInt8(ascii: "x") { text.removeFirst(2) }
            guard text.count == 64, var key = try? Hex.decode(String(decoding: text, as: UTF8.self)) else {
                throw Problem.badRequest("private_key must be 64 hex digits (32 bytes), optionally prefixed with 0x")
            }
            defer { SecretBytes.wipe(&key) }
            let secret = WalletSecret.privateKey(SecretBytes(key), curve: curve)
            do { try secret.validate() } catch { throw Problem.badRequest("private_key is not a valid \(curve.rawValue) private key") }
            return (secret, "private-key")
        default:
            let password = try input.requiredString("password")
            let keystore = try keystoreBytes(body)
            do {
                let key = try EthereumKeystoreV3.decrypt(json: keystore, password: password)
                return (.privateKey(key, curve: .secp256k1), "ethereum-v3")
            } catch {
                if error == .wrongPassword { throw Problem.unprocessable("keystore: \(error.description)", slug: "wrong-keystore-password") }
                throw Problem.badRequest("keystore: \(error.description)")
            }
        }
    }

    /// `keystore` as given: the V3 JSON object itself, or a string holding it.
    static func keystoreBytes(_ body: [UInt8]) throws(Problem) -> [UInt8] {
        guard let root = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any], let value = root["keystore"] else {
            throw Problem.badRequest("keystore is missing: the V3 keystore JSON object (or a string holding it)")
        }
        if let text = value as? String { return Array(text.utf8) }
        guard value is [String: Any], let data = try? JSONSerialization.data(withJSONObject: value) else {
            throw Problem.badRequest("keystore must be the V3 keystore JSON object or a string holding it")
        }
        return Array(data)
    }

    /// A mnemonic error without the words: positions and languages only.
    static func describe(_ error: MnemonicError) -> String {
        switch error.kind {
        case .unknownWord(let position, _, let language, _):
            "mnemonic: word \(position) is not in the \(language.rawValue) wordlist"
        case .mixedLanguages(let position, _, let language, _, _):
            "mnemonic: the phrase looks \(language.rawValue), but word \(position) is from another language's wordlist"
        case .invalidEntropyLength, .invalidWordCount, .checksumMismatch, .languageNotDetected:
            "mnemonic: \(error.description)"
        }
    }
}
