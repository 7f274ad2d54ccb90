import CofferBase
import Foundation
import Vault
import WalletCore

/// Turns a wallet request into the secret to seal. Every error names the field and what is wrong
/// with it, never the secret or any part of it (a mistyped mnemonic word is reported by its
/// position only).
enum WalletSecrets {
    /// Which fields each source takes besides `name` and `source`.
    static let fieldsBySource: [String: Set<String>] = [
        "generate": ["word_count"],
        "mnemonic": ["mnemonic", "language", "bip39_passphrase"],
        "private-key": ["private_key", "curve"],
        "master-secret": ["master_secret"],
        "slip39": ["shares", "slip39_passphrase"],
        "ethereum-keystore": ["keystore", "password"],
        "xpub": ["xpub", "scheme"],
    ]

    /// The secret and its vault origin.
    static func secret(_ request: CreateWalletRequest) throws -> (WalletSecret, String) {
        let source = request.source ?? "generate"
        guard let allowed = fieldsBySource[source] else {
            throw ServiceError.invalid("source must be one of \(fieldsBySource.keys.sorted().joined(separator: ", "))")
        }
        let given: [(String, Bool)] = [
            ("word_count", request.wordCount != nil), ("mnemonic", request.mnemonic != nil), ("language", request.language != nil), ("bip39_passphrase", request.bip39Passphrase != nil),
            ("private_key", request.privateKey != nil), ("curve", request.curve != nil), ("master_secret", request.masterSecret != nil),
            ("shares", request.shares != nil), ("slip39_passphrase", request.slip39Passphrase != nil), ("keystore", request.keystore != nil),
            ("password", request.password != nil), ("xpub", request.xpub != nil), ("scheme", request.scheme != nil),
        ]
        if let misplaced = given.first(where: { $0.1 && !allowed.contains($0.0) }) {
            throw ServiceError.invalid("\(misplaced.0) does not apply to source \(source); it takes \(allowed.sorted().joined(separator: ", "))")
        }
        switch source {
        case "generate":
            let words = request.wordCount ?? 24
            guard Mnemonic.validWordCounts.contains(words) else { throw ServiceError.invalid("word_count must be 12, 15, 18, 21 or 24") }
            let mnemonic = try Mnemonic.generate(wordCount: words)
            var seed = mnemonic.seed()
            defer { SecretBytes.wipe(&seed) }
            return (.seed(SecretBytes(seed)), "generated-bip39")
        case "mnemonic":
            guard let phrase = request.mnemonic else { throw ServiceError.invalid("mnemonic is missing") }
            let language = try request.language.map { name throws(ServiceError) in
                guard let language = MnemonicLanguage(rawValue: name) else {
                    throw ServiceError.invalid("language must be one of \(MnemonicLanguage.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                return language
            }
            let mnemonic: Mnemonic
            do { mnemonic = try Mnemonic(phrase: phrase, language: language) } catch { throw ServiceError.invalid(describe(error), code: "invalid-mnemonic") }
            var seed = mnemonic.seed(passphrase: request.bip39Passphrase ?? "")
            defer { SecretBytes.wipe(&seed) }
            return (.seed(SecretBytes(seed)), "bip39")
        case "private-key":
            guard let curveName = request.curve else { throw ServiceError.invalid("curve is missing: secp256k1 or ed25519") }
            guard let curve = Curve(rawValue: curveName) else { throw ServiceError.invalid("curve must be secp256k1 or ed25519") }
            let key = try hexSecret(request.privateKey, field: "private_key", lengths: 32...32)
            let secret = WalletSecret.privateKey(key, curve: curve)
            do { try secret.validate() } catch { throw ServiceError.invalid("private_key is not a valid \(curve.rawValue) private key") }
            return (secret, "private-key")
        case "master-secret":
            return (.seed(try hexSecret(request.masterSecret, field: "master_secret", lengths: 16...64)), "master-secret")
        case "xpub":
            return (try watchOnly(request), "xpub")
        case "slip39":
            guard let shares = request.shares, !shares.isEmpty else { throw ServiceError.invalid("shares is missing: the SLIP-39 share mnemonics") }
            do {
                return (.seed(try SLIP39.recover(mnemonics: shares, passphrase: request.slip39Passphrase ?? "")), "slip39")
            } catch {
                throw ServiceError.invalid("shares: \(error.description)", code: "invalid-shares")
            }
        default:
            guard let password = request.password else { throw ServiceError.invalid("password is missing") }
            guard let keystore = request.keystore else { throw ServiceError.invalid("keystore is missing: the V3 keystore JSON object (or a string holding it)") }
            do {
                return (.privateKey(try EthereumKeystoreV3.decrypt(json: keystore.bytes, password: password), curve: .secp256k1), "ethereum-v3")
            } catch {
                if error == .wrongPassword { throw ServiceError(.rejected, "wrong-keystore-password", "keystore: \(error.description)") }
                throw ServiceError.invalid("keystore: \(error.description)")
            }
        }
    }

    /// A watch-only wallet's key: an account-level extended public key whose version fixes the
    /// scheme (or takes `scheme`: p2pkh by default for xpub and tpub).
    static func watchOnly(_ request: CreateWalletRequest) throws -> WalletSecret {
        guard let text = request.xpub?.trimmingCharacters(in: .whitespacesAndNewlines), !text.isEmpty else {
            throw ServiceError.invalid("xpub is missing: the account-level extended public key (xpub, ypub, zpub, tpub, upub, vpub...)")
        }
        let scheme = try request.scheme.map { name throws(ServiceError) in try parseScheme(name) }
        let parsed: ExtendedKey
        do { parsed = try ExtendedKey(parsing: text) } catch { throw ServiceError.invalid("xpub: \(error)", code: "invalid-xpub") }
        guard case .publicKey(let key, let version) = parsed else {
            throw ServiceError.invalid("xpub holds a private extended key (\(parsed.version.privatePrefix)); a watch-only wallet takes its public form (\(parsed.version.publicPrefix)), or import the seed instead", code: "invalid-xpub")
        }
        let format: AddressFormat
        do { format = try AddressFormat.watchOnly(version: version, scheme: scheme, network: nil, defaultScheme: .p2pkh) } catch {
            throw ServiceError.invalid("xpub: \(error)", code: "invalid-xpub")
        }
        guard case .bitcoin(let chosen, _) = format else { throw ServiceError.invalid("xpub: not a Bitcoin-like account key", code: "invalid-xpub") }
        let secret = WalletSecret.watchOnly(key, version: version, scheme: chosen)
        do { try secret.validate() } catch { throw ServiceError.invalid("xpub: \(error.description)", code: "invalid-xpub") }
        return secret
    }

    /// A Bitcoin scheme by name; the error lists the names.
    static func parseScheme(_ name: String) throws(ServiceError) -> BitcoinScheme {
        guard let scheme = BitcoinScheme(rawValue: name) else {
            throw ServiceError.invalid("scheme must be one of \(BitcoinScheme.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return scheme
    }

    /// `text` as hex bytes (0x optional) of a length in `lengths`, in wiped memory.
    static func hexSecret(_ text: String?, field: String, lengths: ClosedRange<Int>) throws(ServiceError) -> SecretBytes {
        guard var characters = text.map({ Array($0.utf8) }) else { throw ServiceError.invalid("\(field) is missing") }
        defer { SecretBytes.wipe(&characters) }
        if characters.count >= 2, characters[0] == UInt8(ascii: "0"), characters[1] | 0x20 == UInt8(ascii: "x") { characters.removeFirst(2) }
        let digits = lengths.lowerBound == lengths.upperBound ? "\(lengths.lowerBound * 2)" : "\(lengths.lowerBound * 2)-\(lengths.upperBound * 2)"
        guard var bytes = try? Hex.decode(String(decoding: characters, as: UTF8.self)), lengths.contains(bytes.count) else {
            throw ServiceError.invalid("\(field) must be \(digits) hex digits, optionally prefixed with 0x")
        }
        defer { SecretBytes.wipe(&bytes) }
        return SecretBytes(bytes)
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
