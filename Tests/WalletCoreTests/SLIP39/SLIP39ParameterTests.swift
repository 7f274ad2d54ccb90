import Testing
import WalletCore

/// What `split` refuses, and recovery edge cases beyond the published vectors.
@Suite("SLIP-39 parameters and edge cases")
struct SLIP39ParameterTests {
    static let secret = SecretBytes([UInt8](0..<16))
    static func group(_ threshold: Int, of count: Int) -> SLIP39GroupSpec {
        SLIP39GroupSpec(memberThreshold: threshold, memberCount: count)
    }

    static let invalidSplits: [(secretLength: Int, groupThreshold: Int, groups: [SLIP39GroupSpec], passphrase: String,
                                exponent: Int, expected: SLIP39Error.Kind)] = [
        (15, 1, [group(2, of: 3)], "", 0, .invalidMasterSecretLength(15)),
        (17, 1, [group(2, of: 3)], "", 0, .invalidMasterSecretLength(17)),
        (34 + 32, 1, [group(2, of: 3)], "", 0, .invalidMasterSecretLength(66)),
        (33, 1, [group(2, of: 3)], "", 0, .invalidMasterSecretLength(33)),
        (0, 1, [group(2, of: 3)], "", 0, .invalidMasterSecretLength(0)),
        (16, 1, [group(2, of: 3)], "", 16, .invalidIterationExponent(16)),
        (16, 1, [group(2, of: 3)], "", -1, .invalidIterationExponent(-1)),
        (16, 1, [], "", 0, .invalidGroupCount(0)),
        (16, 1, Array(repeating: group(1, of: 1), count: 17), "", 0, .invalidGroupCount(17)),
        (16, 3, [group(2, of: 3), group(2, of: 3)], "", 0, .invalidGroupThreshold(threshold: 3, groupCount: 2)),
        (16, 0, [group(2, of: 3)], "", 0, .invalidGroupThreshold(threshold: 0, groupCount: 1)),
        (16, 1, [group(4, of: 3)], "", 0, .invalidGroup(group: 1, memberThreshold: 4, memberCount: 3)),
        (16, 1, [group(0, of: 3)], "", 0, .invalidGroup(group: 1, memberThreshold: 0, memberCount: 3)),
        (16, 2, [group(2, of: 3), group(2, of: 17)], "", 0, .invalidGroup(group: 2, memberThreshold: 2, memberCount: 17)),
        (16, 1, [group(1, of: 2)], "", 0, .singleThresholdGroupWithManyMembers(group: 1, memberCount: 2)),
        (16, 1, [group(2, of: 3)], "caf\u{E9}", 0, .invalidPassphrase(position: 4)),
        (16, 1, [group(2, of: 3)], "tab\there", 0, .invalidPassphrase(position: 4)),
        (16, 1, [group(2, of: 3)], "del\u{7F}", 0, .invalidPassphrase(position: 4)),
    ]

    @Test("split rejects what SLIP-39 does not allow, precisely", arguments: invalidSplits.indices)
    func invalidSplit(_ index: Int) {
        let c = Self.invalidSplits[index]
        let error = #expect(throws: SLIP39Error.self) {
            try SLIP39.split(masterSecret: SecretBytes([UInt8](repeating: 1, count: c.secretLength)),
                             groupThreshold: c.groupThreshold, groups: c.groups, passphrase: c.passphrase,
                             iterationExponent: c.exponent)
        }
        #expect(error?.kind == c.expected)
        #expect(error.map { !$0.description.contains("\n") && !$0.description.contains("caf") } == true)
        let isScheme = if case .invalidMasterSecretLength = c.expected { false } else if case .invalidPassphrase = c.expected { false } else { true }
        #expect(error?.isInvalidSplitParameter == isScheme)
    }

    @Test("the limits themselves are accepted: 16 groups, 16-of-16, exponent 0, 32 bytes, 1-of-1 groups")
    func limits() throws {
        let wide = try SLIP39.split(masterSecret: Self.secret, groupThreshold: 16,
                                    groups: Array(repeating: Self.group(1, of: 1), count: 16), iterationExponent: 0)
        #expect(wide.count == 16)
        #expect(try SLIP39.recover(mnemonics: wide.flatMap { $0 }) == Self.secret)
        let long = SecretBytes([UInt8](repeating: 0xFF, count: 32))
        let deep = try SLIP39.split(masterSecret: long, groupThreshold: 1, groups: [Self.group(16, of: 16)],
                                    passphrase: " ~", extendable: false, iterationExponent: 0)
        #expect(try SLIP39.recover(mnemonics: deep[0].reversed(), passphrase: " ~") == long)
    }

    @Test("more shares and groups than needed are fine; too few name the group; conflicts are caught")
    func supersetsAndShortfalls() throws {
        let groups = [Self.group(2, of: 3), Self.group(3, of: 5), Self.group(1, of: 1)]
        let shares = try SLIP39.split(masterSecret: Self.secret, groupThreshold: 2, groups: groups, iterationExponent: 0)
        // Everything at once.
        #expect(try SLIP39.recover(mnemonics: shares.flatMap { $0 }) == Self.secret)
        // Group 3 (1-of-1) and group 1; group 2 incomplete alongside is ignored.
        #expect(try SLIP39.recover(mnemonics: [shares[1][0], shares[2][0], shares[0][2], shares[1][4], shares[0][1]])
                == Self.secret)
        // Two groups present, only one complete.
        #expect(throws: SLIP39Error(.tooFewShares(group: 2, needed: 3, got: 2))) {
            try SLIP39.recover(mnemonics: [shares[0][0], shares[0][1], shares[1][0], shares[1][1], shares[1][0]])
        }
        #expect(throws: SLIP39Error(.tooFewGroups(needed: 2, got: 1))) {
            try SLIP39.recover(mnemonics: shares[1])
        }
        #expect(throws: SLIP39Error(.noMnemonics)) { try SLIP39.recover(mnemonics: []) }
        // A share of another split of the same scheme: another identifier.
        let other = try SLIP39.split(masterSecret: Self.secret, groupThreshold: 2, groups: groups, iterationExponent: 0)
        let error = #expect(throws: SLIP39Error.self) { try SLIP39.recover(mnemonics: [shares[2][0], other[2][0]]) }
        // Identifiers are 15 random bits: 1 in 32768 runs they collide and the values conflict instead.
        #expect(error?.kind == .differentBackup(mnemonic: 2, field: .identifier)
                || error?.kind == .conflictingShares(group: 3, member: 1))
    }

    @Test("errors name the mnemonic by its position in the list, and the word by its position")
    func positions() throws {
        let shares = try SLIP39.split(masterSecret: Self.secret, groupThreshold: 1, groups: [Self.group(2, of: 3)],
                                      iterationExponent: 0)[0]
        let original = shares[1].split(separator: " ").map(String.init)
        var words = original
        words[7] = "bitcoin"
        #expect(throws: SLIP39Error(.unknownWord(mnemonic: 3, position: 8))) {
            try SLIP39.recover(mnemonics: [shares[0], shares[2], words.joined(separator: " ")])
        }
        words[7] = original[7] == "acid" ? "academic" : "acid"
        #expect(throws: SLIP39Error(.invalidChecksum(mnemonic: 2))) {
            try SLIP39.recover(mnemonics: [shares[0], words.joined(separator: " ")])
        }
    }
}
