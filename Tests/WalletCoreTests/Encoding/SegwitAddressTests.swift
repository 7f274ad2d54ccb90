import PropertyBased
import Testing
import WalletCore

/// Native segwit addresses: every valid and invalid address from the test
/// vector sections of BIP173 and BIP350 (Tests/Vectors/bip-0173.mediawiki,
/// bip-0350.mediawiki), with the scriptPubKey each valid address stands for.
@Suite("Segwit addresses")
struct SegwitAddressTests {
    /// scriptPubKey = OP_n (0x00 for v0, 0x50+n for v1...16), push(program).
    static func scriptPubKey(version: UInt8, program: [UInt8]) -> [UInt8] {
        [version == 0 ? 0 : 0x50 + version, UInt8(program.count)] + program
    }

    /// BIP350 "valid segwit addresses and the scriptPubKey that they translate to"
    /// (the BIP173 v0 entries are repeated here unchanged).
    static let valid: [(String, String)] = [
        ("BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", "0014751e76e8199196d454941c45d1b3a323f1433bd6"),
        ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", "00201863143c14c5166804bd19203356da136c985678cd4d27a1b8c6329604903262"),
        ("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kt5nd6y",
         "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6"),
        ("BC1SW50QGDZ25J", "6002751e"),
        ("bc1zw508d6qejxtdg4y5r3zarvaryvaxxpcs", "5210751e76e8199196d454941c45d1b3a323"),
        ("tb1qqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesrxh6hy", "0020000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
        ("tb1pqqqqp399et2xygdj5xreqhjjvcmzhxw4aywxecjdzew6hylgvsesf3hn0c", "5120000000c4a5cad46221b2a187905e5266362b99d5e91c6ce24d165dab93e86433"),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", "512079be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"),
    ]

    @Test("Valid addresses decode to the listed scriptPubKey and re-encode", arguments: valid)
    func validAddresses(address: String, scriptPubKeyHex: String) throws {
        let hrp = address.prefix(2).lowercased()
        for expected in [hrp, nil] as [String?] {
            let decoded = try SegwitAddress.decode(address, expectedHRP: expected)
            #expect(decoded.hrp == hrp)
            #expect(Hex.encode(Self.scriptPubKey(version: decoded.version, program: decoded.program)) == scriptPubKeyHex)
            #expect(try SegwitAddress.encode(hrp: decoded.hrp, version: decoded.version, program: decoded.program) == address.lowercased())
        }
        // Expected HRP is compared case-insensitively.
        #expect(try SegwitAddress.decode(address, expectedHRP: hrp.uppercased()).hrp == hrp)
        // The other network's prefix is refused.
        let otherNetwork = hrp == "bc" ? "tb" : "bc"
        #expect(throws: Bech32Error(.hrpMismatch(expected: otherNetwork, actual: hrp))) {
            try SegwitAddress.decode(address, expectedHRP: otherNetwork)
        }
    }

    /// BIP173's valid v1+ addresses used Bech32; BIP350 made v1+ require
    /// Bech32m, so they are still well-formed Bech32 strings (and carry the
    /// listed scriptPubKey) but are no longer valid segwit addresses.
    static let bip173VersionOnePlus: [(String, String, UInt8)] = [
        ("bc1pw508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7k7grplx",
         "5128751e76e8199196d454941c45d1b3a323f1433bd6751e76e8199196d454941c45d1b3a323f1433bd6", 1),
        ("BC1SW50QA3JX3S", "6002751e", 16),
        ("bc1zw508d6qejxtdg4y5r3zarvaryvg6kdaj", "5210751e76e8199196d454941c45d1b3a323", 2),
    ]

    @Test("BIP173-era v1+ Bech32 addresses are rejected after BIP350", arguments: bip173VersionOnePlus)
    func bip173VersionOnePlusAddresses(address: String, scriptPubKeyHex: String, version: UInt8) throws {
        let generic = try Bech32.decode(address)
        #expect(generic.variant == .bech32)
        #expect(generic.data.first == version)
        let program = try Bech32.convertBits(Array(generic.data.dropFirst()), from: 5, to: 8, pad: false)
        #expect(Hex.encode(Self.scriptPubKey(version: version, program: program)) == scriptPubKeyHex)
        #expect(throws: Bech32Error(.wrongVariant(version: version, expected: .bech32m, actual: .bech32))) {
            try SegwitAddress.decode(address, expectedHRP: "bc")
        }
        // Re-encoding the same program today yields the Bech32m form listed in BIP350.
        let reencoded = try SegwitAddress.encode(hrp: "bc", version: version, program: program)
        #expect(Self.valid.contains { $0.0.lowercased() == reencoded })
    }

    /// BIP173 invalid segwit addresses, with the reason from the BIP and the
    /// error this implementation reports.
    static let invalidBIP173: [(String, Bech32Error.Kind, String)] = [
        ("tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", .hrpMismatch(expected: "bc", actual: "tc"), "Invalid human-readable part"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t5", .invalidChecksum, "Invalid checksum"),
        ("BC13W508D6QEJXTDG4Y5R3ZARVARY0C5XW7KN40WF2", .invalidWitnessVersion(17), "Invalid witness version"),
        ("bc1rw5uspcuh", .invalidProgramLength(1), "Invalid program length"),
        ("bc10w508d6qejxtdg4y5r3zarvary0c5xw7kw508d6qejxtdg4y5r3zarvary0c5xw7kw5rljs90", .invalidProgramLength(41), "Invalid program length"),
        ("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", .invalidV0ProgramLength(16), "Invalid program length for witness version 0 (per BIP141)"),
        ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sL5k7", .mixedCase, "Mixed case"),
        ("bc1zw508d6qejxtdg4y5r3zarvaryvqyzf3du", .excessPadding(bits: 7), "zero padding of more than 4 bits"),
        ("tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3pjxtptv", .nonZeroPadding, "Non-zero padding in 8-to-5 conversion"),
        ("bc1gmk9yu", .missingWitnessVersion, "Empty data section"),
    ]

    /// BIP350 invalid segwit addresses, with the reason from the BIP and the
    /// error this implementation reports.
    static let invalidBIP350: [(String, Bech32Error.Kind, String)] = [
        ("tc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq5zuyut", .hrpMismatch(expected: "bc", actual: "tc"), "Invalid human-readable part"),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqh2y7hd",
         .wrongVariant(version: 1, expected: .bech32m, actual: .bech32), "Invalid checksum (Bech32 instead of Bech32m)"),
        ("tb1z0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqglt7rf",
         .wrongVariant(version: 2, expected: .bech32m, actual: .bech32), "Invalid checksum (Bech32 instead of Bech32m)"),
        ("BC1S0XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ54WELL",
         .wrongVariant(version: 16, expected: .bech32m, actual: .bech32), "Invalid checksum (Bech32 instead of Bech32m)"),
        ("bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh",
         .wrongVariant(version: 0, expected: .bech32, actual: .bech32m), "Invalid checksum (Bech32m instead of Bech32)"),
        ("tb1q0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq24jc47",
         .wrongVariant(version: 0, expected: .bech32, actual: .bech32m), "Invalid checksum (Bech32m instead of Bech32)"),
        ("bc1p38j9r5y49hruaue7wxjce0updqjuyyx0kh56v8s25huc6995vvpql3jow4", .invalidDataCharacter("o", position: 59), "Invalid character in checksum"),
        ("BC130XLXVLHEMJA6C4DQV22UAPCTQUPFHLXM9H8Z3K2E72Q4K9HCZ7VQ7ZWS8R", .invalidWitnessVersion(17), "Invalid witness version"),
        ("bc1pw5dgrnzv", .invalidProgramLength(1), "Invalid program length (1 byte)"),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v8n0nx0muaewav253zgeav", .invalidProgramLength(41), "Invalid program length (41 bytes)"),
        ("BC1QR508D6QEJXTDG4Y5R3ZARVARYV98GJ9P", .invalidV0ProgramLength(16), "Invalid program length for witness version 0 (per BIP141)"),
        ("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq47Zagq", .mixedCase, "Mixed case"),
        ("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7v07qwwzcrf", .excessPadding(bits: 6), "zero padding of more than 4 bits"),
        ("tb1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vpggkg4j", .nonZeroPadding, "Non-zero padding in 8-to-5 conversion"),
        ("bc1gmk9yu", .missingWitnessVersion, "Empty data section"),
    ]

    @Test("BIP173 invalid addresses fail for the stated reason", arguments: invalidBIP173)
    func invalidBIP173Addresses(address: String, expected: Bech32Error.Kind, reason: String) {
        checkInvalid(address, expected: expected, reason: reason)
    }

    @Test("BIP350 invalid addresses fail for the stated reason", arguments: invalidBIP350)
    func invalidBIP350Addresses(address: String, expected: Bech32Error.Kind, reason: String) {
        checkInvalid(address, expected: expected, reason: reason)
    }

    private func checkInvalid(_ address: String, expected: Bech32Error.Kind, reason: String) {
        // With the address's own network prefix expected ("bc" for the tc1 cases,
        // which is what makes their HRP invalid) the reported error is the BIP's reason.
        let ownHRP = address.prefix(2).lowercased()
        let expectedHRP = ownHRP == "tc" ? "bc" : ownHRP
        #expect(throws: Bech32Error(expected), "\(reason)") { try SegwitAddress.decode(address, expectedHRP: expectedHRP) }
        // As in the BIPs' reference tests: invalid for both mainnet and testnet.
        for hrp in ["bc", "tb"] {
            #expect(throws: Bech32Error.self, "\(reason)") { try SegwitAddress.decode(address, expectedHRP: hrp) }
        }
    }

    @Test("Encoder enforces the same rules")
    func encoderRules() throws {
        let twenty = [UInt8](repeating: 0xAB, count: 20)
        #expect(throws: Bech32Error(.invalidWitnessVersion(17))) { try SegwitAddress.encode(hrp: "bc", version: 17, program: twenty) }
        #expect(throws: Bech32Error(.invalidProgramLength(1))) { try SegwitAddress.encode(hrp: "bc", version: 1, program: [1]) }
        #expect(throws: Bech32Error(.invalidProgramLength(41))) {
            try SegwitAddress.encode(hrp: "bc", version: 1, program: [UInt8](repeating: 0, count: 41))
        }
        #expect(throws: Bech32Error(.invalidV0ProgramLength(16))) {
            try SegwitAddress.encode(hrp: "bc", version: 0, program: [UInt8](repeating: 0, count: 16))
        }
        #expect(throws: Bech32Error(.emptyHRP)) { try SegwitAddress.encode(hrp: "", version: 0, program: twenty) }
        #expect(throws: Bech32Error(.mixedCase)) { try SegwitAddress.encode(hrp: "Bc", version: 0, program: twenty) }
        // 40-byte v16 program with a long HRP exceeds 90 characters.
        #expect(throws: Bech32Error(.tooLong(length: 91, limit: 90))) {
            try SegwitAddress.encode(hrp: String(repeating: "x", count: 19), version: 16, program: [UInt8](repeating: 0, count: 40))
        }
        // v0 uses Bech32, v1 uses Bech32m.
        #expect(try Bech32.decode(SegwitAddress.encode(hrp: "bc", version: 0, program: twenty)).variant == .bech32)
        #expect(try Bech32.decode(SegwitAddress.encode(hrp: "bc", version: 1, program: twenty)).variant == .bech32m)
        #expect(try SegwitAddress.encode(hrp: "BC", version: 0, program: try Hex.decode("751e76e8199196d454941c45d1b3a323f1433bd6"))
            == "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4")
    }

    @Test("Round trip for every version and program length the rules allow")
    func roundTrip() async {
        await propertyCheck(input: Gen.uint8(in: 0...16), Gen.uint8().array(of: 2...40), Gen.bool) { version, program, mainnet throws in
            guard version != 0 || program.count == 20 || program.count == 32 else { return }
            let hrp = mainnet ? "bc" : "tb"
            let address = try SegwitAddress.encode(hrp: hrp, version: version, program: program)
            let decoded = try SegwitAddress.decode(address, expectedHRP: hrp)
            #expect(decoded.hrp == hrp)
            #expect(decoded.version == version)
            #expect(decoded.program == program)
            #expect(try SegwitAddress.decode(address.uppercased(), expectedHRP: hrp).program == program)
        }
    }
}
