import CofferBase
import Foundation

/// The validated contents of a V3 keystore file: everything decryption needs, nothing secret.
struct ParsedKeystore: Sendable, Equatable {
    let kdf: EthereumKeystoreV3.KeyDerivation
    let salt: [UInt8]
    let iv: [UInt8]
    let ciphertext: [UInt8]
    let mac: [UInt8]
    /// The 20 address bytes when the file names its address (geth always does).
    let address: [UInt8]?

    init(kdf: EthereumKeystoreV3.KeyDerivation, salt: [UInt8], iv: [UInt8], ciphertext: [UInt8], mac: [UInt8], address: [UInt8]?) {
        self.kdf = kdf
        self.salt = salt
        self.iv = iv
        self.ciphertext = ciphertext
        self.mac = mac
        self.address = address
    }

    /// Parses and checks a keystore: version 3, aes-128-ctr, scrypt or pbkdf2 (hmac-sha256), hex
    /// fields of the right lengths, KDF parameters within ``EthereumKeystoreV3/Limits``.
    /// `crypto` may also be spelled `Crypto` (MyEtherWallet's files; geth matches keys case-blind).
    init(json: [UInt8]) throws(EthereumKeystoreError) {
        let file: KeystoreFile
        do {
            file = try JSONDecoder().decode(KeystoreFile.self, from: Data(json))
        } catch let error as DecodingError {
            throw Self.explain(error, json: json)
        } catch {
            throw .notJSON
        }
        guard file.version == 3 else { throw .unsupportedVersion(file.version) }
        let crypto = file.crypto
        guard crypto.cipher == "aes-128-ctr" else { throw .unsupportedCipher(crypto.cipher) }
        let params = crypto.kdfparams
        switch crypto.kdf {
        case "scrypt":
            kdf = .scrypt(
                n: try Self.required(params.n, "crypto.kdfparams.n"),
                r: try Self.required(params.r, "crypto.kdfparams.r"),
                p: try Self.required(params.p, "crypto.kdfparams.p"))
        case "pbkdf2":
            let prf = try Self.required(params.prf, "crypto.kdfparams.prf")
            guard prf == "hmac-sha256" else { throw .unsupportedPRF(prf) }
            kdf = .pbkdf2(iterations: try Self.required(params.c, "crypto.kdfparams.c"))
        default:
            throw .unsupportedKDF(crypto.kdf)
        }
        let dklen = try Self.required(params.dklen, "crypto.kdfparams.dklen")
        guard dklen == EthereumKeystoreV3.derivedKeyByteCount else {
            throw .outOfRange("crypto.kdfparams.dklen", dklen, allowed: "32")
        }
        try EthereumKeystoreV3.validate(kdf)
        salt = try Self.hex(try Self.required(params.salt, "crypto.kdfparams.salt"), "crypto.kdfparams.salt")
        guard !salt.isEmpty, salt.count <= EthereumKeystoreV3.maxSaltByteCount else {
            throw .wrongLength("crypto.kdfparams.salt", expected: "1 to \(EthereumKeystoreV3.maxSaltByteCount)", got: salt.count)
        }
        iv = try Self.hex(crypto.cipherparams.iv, "crypto.cipherparams.iv", byteCount: 16)
        ciphertext = try Self.hex(crypto.ciphertext, "crypto.ciphertext", byteCount: 32)
        mac = try Self.hex(crypto.mac, "crypto.mac", byteCount: 32)
        address = try file.address.map { stored throws(EthereumKeystoreError) in
            try Self.hex(stored, "address", byteCount: 20)
        }
    }

    /// geth's layout: struct fields in declaration order, the kdfparams map in sorted key order,
    /// no whitespace.
    func gethJSON(id: String) -> String {
        let kdfName: String
        let kdfParams: String
        switch kdf {
        case .scrypt(let n, let r, let p):
            kdfName = "scrypt"
            kdfParams = #"{"dklen":32,"n":\#(n),"p":\#(p),"r":\#(r),"salt":"\#(Hex.encode(salt))"}"#
        case .pbkdf2(let iterations):
            kdfName = "pbkdf2"
            kdfParams = #"{"c":\#(iterations),"dklen":32,"prf":"hmac-sha256","salt":"\#(Hex.encode(salt))"}"#
        }
        let addressField = address.map { #""address":"\#(Hex.encode($0))","# } ?? ""
        return #"{\#(addressField)"crypto":{"cipher":"aes-128-ctr","ciphertext":"\#(Hex.encode(ciphertext))","#
            + #""cipherparams":{"iv":"\#(Hex.encode(iv))"},"kdf":"\#(kdfName)","kdfparams":\#(kdfParams),"#
            + #""mac":"\#(Hex.encode(mac))"},"id":"\#(id)","version":3}"#
    }

    private static func required<T>(_ value: T?, _ path: String) throws(EthereumKeystoreError) -> T {
        guard let value else { throw .missingField(path) }
        return value
    }

    private static func hex(_ text: String, _ path: String, byteCount: Int? = nil) throws(EthereumKeystoreError) -> [UInt8] {
        let bytes: [UInt8]
        do { bytes = try Hex.decode(text) } catch { throw .badHex(path, error) }
        if let byteCount, bytes.count != byteCount {
            throw .wrongLength(path, expected: "\(byteCount)", got: bytes.count)
        }
        return bytes
    }

    /// One line naming the field, never the decoder's multi-line debug text.
    private static func explain(_ error: DecodingError, json: [UInt8]) -> EthereumKeystoreError {
        func path(_ keys: [any CodingKey]) -> String {
            keys.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .missingField(path(context.codingPath + [key]))
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            if context.codingPath.isEmpty { return .notAnObject }
            return .wrongType(path(context.codingPath), expected: describe(type))
        case .dataCorrupted(let context):
            // JSONDecoder reports a number that is not an Int (1.5, 1e30) as corrupt data with no
            // path; tell that apart from broken JSON.
            if context.codingPath.isEmpty {
                return (try? JSONValue(parsing: json)) == nil ? .notJSON : .notAnInteger
            }
            return .wrongType(path(context.codingPath), expected: "an integer that fits in 64 bits")
        @unknown default:
            return .notJSON
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        if type == String.self { return "a string" }
        if type == Int.self { return "an integer" }
        return "an object"
    }
}

// MARK: - The file's shape, as JSONDecoder sees it

private struct KeystoreFile: Decodable {
    let crypto: CryptoSection
    let version: Int
    let address: String?

    enum CodingKeys: String, CodingKey {
        case crypto, version, address
        case cryptoCapitalised = "Crypto"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.cryptoCapitalised) && !container.contains(.crypto) {
            crypto = try container.decode(CryptoSection.self, forKey: .cryptoCapitalised)
        } else {
            crypto = try container.decode(CryptoSection.self, forKey: .crypto)
        }
        version = try container.decode(Int.self, forKey: .version)
        address = try container.decodeIfPresent(String.self, forKey: .address)
    }
}

private struct CryptoSection: Decodable {
    let cipher: String
    let ciphertext: String
    let cipherparams: CipherParams
    let kdf: String
    let kdfparams: KDFParams
    let mac: String
}

private struct CipherParams: Decodable {
    let iv: String
}

/// Both KDFs' fields; which are required depends on `kdf`.
private struct KDFParams: Decodable {
    let dklen: Int?
    let salt: String?
    let n: Int?
    let r: Int?
    let p: Int?
    let c: Int?
    let prf: String?
}
