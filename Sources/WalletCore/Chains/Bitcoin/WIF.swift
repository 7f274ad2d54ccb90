/// Wallet Import Format: a single private key as Base58Check text (the network's version: 0x80
/// Bitcoin mainnet, 0xB0 Litecoin mainnet, 0xEF every test network; then the 32-byte key, then
/// 0x01 when the public key is used compressed).
///
/// The text is a secret: read it from stdin or a file, never print it unless asked to.
public enum WIF {
    /// A decoded WIF key.
    public struct Key: Sendable {
        public let privateKey: Secp256k1.PrivateKey
        /// The first registry network with the key's version (testnet for every test network).
        public let network: BitcoinNetwork
        /// Whether addresses use the 33-byte compressed public key (every segwit address does).
        public let compressed: Bool
    }

    /// Decodes and validates WIF text; the error never repeats the text.
    public static func decode(_ text: String) throws(WIFError) -> Key {
        var payload: [UInt8]
        do {
            payload = try Base58.decodeCheck(text)
        } catch {
            throw WIFError("WIF private key is not valid Base58Check (mistyped or truncated)")
        }
        defer { SecretBytes.wipe(&payload) }
        guard payload.count == 33 || (payload.count == 34 && payload[33] == 0x01) else {
            throw WIFError("WIF private key must decode to 33 bytes, or 34 ending in 0x01 (compressed), got \(payload.count)")
        }
        guard let network = BitcoinNetwork.all.first(where: { $0.wifVersion == payload[0] }) else {
            var versions: [(version: UInt8, name: String)] = []
            for network in BitcoinNetwork.all where !versions.contains(where: { $0.version == network.wifVersion }) {
                versions.append((network.wifVersion, network.name))
            }
            let expected = versions.map { "0x\(Hex.encode([$0.version])) (\($0.name))" }.joined(separator: ", ")
            throw WIFError("WIF version byte must be one of \(expected), got 0x\(Hex.encode([payload[0]]))")
        }
        do {
            let key = try Secp256k1.PrivateKey(payload[1..<33])
            return Key(privateKey: key, network: network, compressed: payload.count == 34)
        } catch {
            throw WIFError("WIF private key is not in the range 1..n-1 of secp256k1")
        }
    }

    /// Encodes `key` (the result is a secret).
    public static func encode(_ key: Secp256k1.PrivateKey, network: BitcoinNetwork, compressed: Bool = true) -> String {
        var payload: [UInt8] = [network.wifVersion]
        key.secret.withUnsafeBytes { payload.append(contentsOf: $0) }
        if compressed { payload.append(0x01) }
        defer { SecretBytes.wipe(&payload) }
        return Base58.encodeCheck(payload)
    }
}

/// Why WIF text was refused. Never contains the key.
public struct WIFError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
