/// Bitcoin addresses: legacy Base58Check (p2pkh, p2sh) and segwit Bech32/Bech32m (p2wpkh, p2wsh, p2tr).
public enum BitcoinAddress {
    /// The address for `publicKey` under `scheme`. p2tr applies the BIP86 key-path-only tweak.
    public static func encode(_ publicKey: Secp256k1.PublicKey, scheme: BitcoinScheme, network: BitcoinNetwork) throws(AddressError) -> String {
        try encode(publicKey, compressed: publicKey.compressed, scheme: scheme, network: network)
    }

    /// Same, with the key's compressed encoding already at hand.
    static func encode(_ publicKey: Secp256k1.PublicKey, compressed: [UInt8], scheme: BitcoinScheme, network: BitcoinNetwork) throws(AddressError) -> String {
        do {
            switch scheme {
            case .p2pkh:
                return Base58.encodeCheck([network.p2pkhVersion] + Hash160.hash(compressed))
            case .p2shP2wpkh:
                let redeemScript: [UInt8] = [0x00, 0x14] + Hash160.hash(compressed)
                return Base58.encodeCheck([network.p2shVersion] + Hash160.hash(redeemScript))
            case .p2wpkh:
                return try SegwitAddress.encode(hrp: network.bech32HRP, version: 0, program: Hash160.hash(compressed))
            case .p2tr:
                return try SegwitAddress.encode(hrp: network.bech32HRP, version: 1, program: publicKey.taprootOutputKey())
            }
        } catch let error as AddressError {
            throw error
        } catch {
            throw AddressError("cannot encode \(scheme.rawValue) address: \(error)")
        }
    }

    /// The address of a standard output script (p2pkh, p2sh, segwit v0-16), or nil for scripts
    /// that have no address (bare multisig, OP_RETURN...).
    public static func address(scriptPubKey script: [UInt8], network: BitcoinNetwork) -> String? {
        address(scriptPubKey: script[...], p2pkhVersion: network.p2pkhVersion, p2shVersion: network.p2shVersion, bech32HRP: network.bech32HRP)
    }

    /// The same for a network given by its parameters (a Bitcoin fork's, such as Litecoin's),
    /// reading the script in place: block decoding hands out scripts as slices of the block.
    public static func address(scriptPubKey script: ArraySlice<UInt8>, p2pkhVersion: UInt8, p2shVersion: UInt8, bech32HRP: String) -> String? {
        script.withUnsafeBufferPointer { script -> String? in
            switch (script.first, script.count) {
            case (0x76, 25) where script[1] == 0xA9 && script[2] == 0x14 && script[23] == 0x88 && script[24] == 0xAC:
                return Base58.encodeCheck([p2pkhVersion] + script[3..<23])
            case (0xA9, 23) where script[1] == 0x14 && script[22] == 0x87:
                return Base58.encodeCheck([p2shVersion] + script[2..<22])
            case (.some(let opcode), 4...42) where (opcode == 0x00 || (0x51...0x60).contains(opcode)) && Int(script[1]) == script.count - 2:
                return try? SegwitAddress.encode(hrp: bech32HRP, version: opcode == 0 ? 0 : opcode - 0x50, program: Array(script[2...]))
            default:
                return nil
            }
        }
    }

    /// What a valid Bitcoin address pays to.
    public struct Decoded: Sendable, Equatable, CustomStringConvertible {
        public let network: BitcoinNetwork
        /// p2pkh, p2sh, p2wpkh, p2wsh, p2tr, or "segwit vN" for future witness versions.
        public let type: String
        /// The output script (scriptPubKey) the address stands for.
        public let scriptPubKey: [UInt8]
        public var description: String { "bitcoin \(type) \(network.rawValue)" }
    }

    /// Validates an address: Base58Check checksum and version, or Bech32/Bech32m per BIP173/BIP350.
    /// `network` restricts the accepted network when given.
    public static func decode(_ address: String, network expected: BitcoinNetwork? = nil) throws(AddressError) -> Decoded {
        guard !address.isEmpty else { throw AddressError("bitcoin address is empty") }
        let lower = address.lowercased()
        let decoded: Decoded
        if lower.hasPrefix("bc1") || lower.hasPrefix("tb1") {
            let network: BitcoinNetwork = lower.hasPrefix("bc1") ? .mainnet : .testnet
            let segwit: (hrp: String, version: UInt8, program: [UInt8])
            do {
                segwit = try SegwitAddress.decode(address, expectedHRP: network.bech32HRP)
            } catch {
                throw AddressError("invalid bitcoin segwit address: \(error)")
            }
            let type: String =
                switch (segwit.version, segwit.program.count) {
                case (0, 20): "p2wpkh"
                case (0, 32): "p2wsh"
                case (1, 32): "p2tr"
                default: "segwit v\(segwit.version)"
                }
            let opcode: UInt8 = segwit.version == 0 ? 0x00 : 0x50 + segwit.version
            decoded = Decoded(network: network, type: type, scriptPubKey: [opcode, UInt8(segwit.program.count)] + segwit.program)
        } else {
            let payload: [UInt8]
            do {
                payload = try Base58.decodeCheck(address)
            } catch {
                throw AddressError("invalid bitcoin address: \(error)")
            }
            guard payload.count == 21 else {
                throw AddressError("invalid bitcoin address: Base58Check payload must be 21 bytes (version + 20-byte hash), got \(payload.count)")
            }
            let hash = Array(payload[1...])
            switch payload[0] {
            case 0x00: decoded = Decoded(network: .mainnet, type: "p2pkh", scriptPubKey: [0x76, 0xA9, 0x14] + hash + [0x88, 0xAC])
            case 0x6F: decoded = Decoded(network: .testnet, type: "p2pkh", scriptPubKey: [0x76, 0xA9, 0x14] + hash + [0x88, 0xAC])
            case 0x05: decoded = Decoded(network: .mainnet, type: "p2sh", scriptPubKey: [0xA9, 0x14] + hash + [0x87])
            case 0xC4: decoded = Decoded(network: .testnet, type: "p2sh", scriptPubKey: [0xA9, 0x14] + hash + [0x87])
            default:
                throw AddressError("invalid bitcoin address: unknown version byte 0x\(Hex.encode([payload[0]])) (expected 0x00/0x05 mainnet or 0x6f/0xc4 testnet)")
            }
        }
        if let expected, expected != decoded.network {
            throw AddressError("\(address) is a \(decoded.network.rawValue) address, not \(expected.rawValue)")
        }
        return decoded
    }
}
