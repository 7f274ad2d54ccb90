import Foundation
import Testing
import WalletCore

/// trezor/python-shamir-mnemonic's vectors.json: every valid set recovers its master secret
/// (passphrase "TREZOR") and BIP32 master key; every invalid set is rejected for its stated reason.
@Suite("SLIP-39 published vectors")
struct SLIP39VectorTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let description: String
        let mnemonics: [String]
        let masterSecret: String
        let xprv: String
        var testDescription: String { description }
    }

    static let vectors: [Vector] = {
        // A malformed vectors file is a broken checkout: fail loudly.
        let raw = try! TestVectors.json("slip39/vectors.json") as! [[Any]]
        return raw.map { entry in
            Vector(description: entry[0] as! String, mnemonics: entry[1] as! [String],
                   masterSecret: entry[2] as! String, xprv: entry[3] as! String)
        }
    }()

    /// The reason each invalid vector must be rejected for, keyed by a phrase of its description
    /// (the 128-bit and the 256-bit vectors of a kind fail the same way).
    static let expectedErrors: [(phrase: String, kind: SLIP39Error.Kind)] = [
        ("Mnemonic with invalid checksum", .invalidChecksum(mnemonic: 1)),
        ("Mnemonic with invalid padding", .invalidPadding(mnemonic: 1)),
        ("Basic sharing 2-of-3", .tooFewShares(group: 1, needed: 2, got: 1)),
        ("different identifiers", .differentBackup(mnemonic: 2, field: .identifier)),
        ("different iteration exponents", .differentBackup(mnemonic: 2, field: .iterationExponent)),
        ("mismatching group thresholds", .inconsistentGroupParameters(mnemonic: 3)),
        ("mismatching group counts", .inconsistentGroupParameters(mnemonic: 2)),
        ("greater group threshold than group counts",
         .groupThresholdExceedsGroupCount(mnemonic: 1, groupThreshold: 2, groupCount: 1)),
        ("duplicate member indices", .conflictingShares(group: 1, member: 3)),
        ("mismatching member thresholds", .inconsistentMemberThreshold(mnemonic: 2, group: 1)),
        ("invalid digest", .digestMismatch(group: 1)),
        ("Insufficient number of groups", .tooFewGroups(needed: 2, got: 1)),
        ("insufficient number of members in one group", .tooFewShares(group: 4, needed: 2, got: 1)),
        ("insufficient length", .tooFewWords(mnemonic: 1, wordCount: 19)),
        ("invalid master secret length", .invalidLength(mnemonic: 1, wordCount: 21)),
    ]

    @Test("the vectors file has every kind of case")
    func coverage() {
        #expect(Self.vectors.count == 45)
        #expect(Self.vectors.filter { $0.masterSecret.isEmpty }.count >= 25)
        #expect(Self.vectors.contains { $0.description.contains("xtendable") && !$0.masterSecret.isEmpty })
    }

    @Test("valid sets recover the master secret and BIP32 master key",
          arguments: vectors.filter { !$0.masterSecret.isEmpty })
    func valid(_ vector: Vector) throws {
        let secret = try SLIP39.recover(mnemonics: vector.mnemonics, passphrase: "TREZOR")
        #expect(secret.withUnsafeBytes { Hex.encode($0) } == vector.masterSecret)
        #expect(try ExtendedPrivateKey(seed: secret).serialized() == vector.xprv)
        // Order does not matter, and a repeated mnemonic counts once.
        let shuffled = try SLIP39.recover(mnemonics: vector.mnemonics.reversed() + [vector.mnemonics[0]],
                                          passphrase: "TREZOR")
        #expect(shuffled == secret)
        // Another passphrase gives another secret, silently (SLIP-39 cannot detect it).
        #expect(try SLIP39.recover(mnemonics: vector.mnemonics, passphrase: "") != secret)
    }

    @Test("invalid sets are rejected", arguments: vectors.filter { $0.masterSecret.isEmpty })
    func invalid(_ vector: Vector) throws {
        let error = #expect(throws: SLIP39Error.self) {
            try SLIP39.recover(mnemonics: vector.mnemonics, passphrase: "TREZOR")
        }
        guard let error else { return }
        let expected = Self.expectedErrors.first { vector.description.contains($0.phrase) }?.kind
        #expect(error.kind == expected, "\(vector.description): \(error)")
        // One line, and none of the words of the mnemonics (but for the few English words of
        // the messages themselves that happen to be in the SLIP-39 list).
        #expect(!error.description.contains("\n"))
        let messageWords: Set = ["extra", "group", "length", "member", "order", "secret", "space", "that", "zero"]
        let words = Set(vector.mnemonics.flatMap { $0.split(separator: " ").map(String.init) })
        let said = Set(error.description.split(whereSeparator: { !$0.isLetter }).map(String.init))
        #expect(words.subtracting(messageWords).isDisjoint(with: said), "\(error) repeats a word")
    }

    @Test("the embedded word list is the published one")
    func wordlist() throws {
        let published = try TestVectors.text("slip39/wordlist.txt").split(whereSeparator: \.isNewline).map(String.init)
        #expect(SLIP39Wordlist.words == published)
        #expect(SLIP39Wordlist.words.count == 1024)
        #expect(Set(SLIP39Wordlist.words.map { $0.prefix(4) }).count == 1024)
        #expect(SLIP39Wordlist.value(of: "ACADEMIC") == 0)
        #expect(SLIP39Wordlist.value(of: "zero") == 1023)
        #expect(SLIP39Wordlist.value(of: "bitcoin") == nil)
    }
}
