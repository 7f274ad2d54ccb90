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
        /// The network asked for, or the first of ``BitcoinNetwork/all`` whose encodings the
        /// address uses (testnet for an address that signet and regtest share).
        public let network: BitcoinNetwork
        /// p2pkh, p2sh, p2wpkh, p2wsh, p2tr, or "segwit vN" for future witness versions.
        public let type: String
        /// The output script (scriptPubKey) the address stands for.
        public let scriptPubKey: [UInt8]
        /// "bitcoin p2wpkh testnet", "litecoin p2sh mainnet".
        public var description: String { "\(network.coin) \(type) \(network.shortName)" }
    }

    /// The network a Bech32 address's HRP names, if it names one: `bc1...`, `tltc1...`.
    static func bech32Networks(_ lowercased: String) -> [BitcoinNetwork] {
        BitcoinNetwork.all.filter { lowercased.hasPrefix($0.bech32HRP + "1") }
    }

    /// Validates an address: Base58Check checksum and version, or Bech32/Bech32m per BIP173/BIP350,
    /// against the registry's networks. `network` restricts the accepted network when given: an
    /// address of another network is refused, naming the network it belongs to.
    public static func decode(_ address: String, network expected: BitcoinNetwork? = nil) throws(AddressError) -> Decoded {
        guard !address.isEmpty else { throw AddressError("bitcoin address is empty") }
        let candidates: [BitcoinNetwork]
        let type: String
        let scriptPubKey: [UInt8]
        let segwitNetworks = bech32Networks(address.lowercased())
        if let first = segwitNetworks.first {
            let segwit: (hrp: String, version: UInt8, program: [UInt8])
            do {
                segwit = try SegwitAddress.decode(address, expectedHRP: first.bech32HRP)
            } catch {
                throw AddressError("invalid \(first.coin) segwit address: \(error)")
            }
            type =
                switch (segwit.version, segwit.program.count) {
                case (0, 20): "p2wpkh"
                case (0, 32): "p2wsh"
                case (1, 32): "p2tr"
                default: "segwit v\(segwit.version)"
                }
            let opcode: UInt8 = segwit.version == 0 ? 0x00 : 0x50 + segwit.version
            scriptPubKey = [opcode, UInt8(segwit.program.count)] + segwit.program
            candidates = segwitNetworks
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
            let version = payload[0]
            let p2pkh = BitcoinNetwork.all.filter { $0.p2pkhVersion == version }
            let p2sh = BitcoinNetwork.all.filter { $0.acceptedP2SHVersions.contains(version) }
            if !p2pkh.isEmpty {
                (type, scriptPubKey, candidates) = ("p2pkh", [0x76, 0xA9, 0x14] + hash + [0x88, 0xAC], p2pkh)
            } else if !p2sh.isEmpty {
                (type, scriptPubKey, candidates) = ("p2sh", [0xA9, 0x14] + hash + [0x87], p2sh)
            } else {
                throw AddressError("invalid bitcoin address: unknown version byte 0x\(Hex.encode([version])) (\(knownVersions))")
            }
        }
        guard let expected else { return Decoded(network: candidates[0], type: type, scriptPubKey: scriptPubKey) }
        guard candidates.contains(expected) else {
            throw AddressError("\(address) is a \(candidates[0].name) address, not \(expected.name)")
        }
        return Decoded(network: expected, type: type, scriptPubKey: scriptPubKey)
    }

    /// The registry's Base58 versions, for errors: "0x00/0x05 mainnet, 0x6f/0xc4 testnet, ...".
    static var knownVersions: String {
        var seen: Set<[UInt8]> = []
        var parts: [String] = []
        for network in BitcoinNetwork.all {
            let versions = [network.p2pkhVersion] + network.acceptedP2SHVersions
            guard seen.insert(versions).inserted else { continue }
            parts.append(versions.map { "0x" + Hex.encode([$0]) }.joined(separator: "/") + " " + network.name)
        }
        return "expected " + parts.joined(separator: ", ")
    }
}
