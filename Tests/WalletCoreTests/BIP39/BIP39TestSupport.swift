import Foundation
import Testing
import WalletCore

/// Shared helpers for the BIP39 tests.
enum BIP39TestSupport {
    /// One entry of Tests/Vectors/bip39-vectors.json: [entropy hex, mnemonic, seed hex, xprv].
    struct Vector: Sendable {
        let entropy: [UInt8]
        let mnemonic: String
        let seed: [UInt8]
    }

    /// The passphrase every vector of bip39-vectors.json was made with (as in python-mnemonic's
    /// and Trezor's test suites); `vectorPassphraseIsTREZOR` checks it.
    static let vectorPassphrase = "TREZOR"

    /// The vectors by file key ("english", "chinese_simplified", ...), loaded once.
    ///
    /// The file also has "russian" and "turkish" lists, which are not among the official
    /// BIP39 word lists; they are loaded but never tested.
    static let vectors: [String: [Vector]] = {
        let url = URL(fileURLWithPath: #filePath)  // …/Tests/WalletCoreTests/BIP39/BIP39TestSupport.swift
            .deletingLastPathComponent()  // BIP39
            .deletingLastPathComponent()  // WalletCoreTests
            .deletingLastPathComponent()  // Tests
            .appendingPathComponent("Vectors/bip39-vectors.json")
        do {
            let raw = try JSONDecoder().decode([String: [[String]]].self, from: Data(contentsOf: url))
            return raw.mapValues { entries in
                entries.map { Vector(entropy: hex($0[0]), mnemonic: $0[1], seed: hex($0[2])) }
            }
        } catch {
            Issue.record("cannot load \(url.path): \(error)")
            return [:]
        }
    }()

    static func hex(_ string: String) -> [UInt8] {
        var bytes: [UInt8] = []
        var index = string.startIndex
        while index < string.endIndex {
            let next = string.index(index, offsetBy: 2)
            bytes.append(UInt8(string[index..<next], radix: 16)!)
            index = next
        }
        return bytes
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// The canonical decomposition's scalars: equal exactly when two strings have the same
    /// words and the same separators, whatever their normalisation form. (Swift's `==` on
    /// `String` already ignores canonical differences, so it cannot tell NFC from NFD.)
    static func nfdScalars(_ string: String) -> [Unicode.Scalar] {
        Array(string.decomposedStringWithCanonicalMapping.unicodeScalars)
    }

    /// Builds a phrase from word numbers, bypassing the checksum, for error tests.
    static func phrase(_ numbers: [Int], _ language: MnemonicLanguage = .english) -> String {
        numbers.map { Wordlist.of(language).words[$0] }.joined(separator: " ")
    }

    /// Runs `body` and returns the MnemonicError it threw, recording an issue if it did not throw.
    static func error(_ body: () throws(MnemonicError) -> Mnemonic) -> MnemonicError? {
        do {
            let unexpected = try body()
            Issue.record("expected a MnemonicError, got \(unexpected)")
            return nil
        } catch {
            return error
        }
    }
}
