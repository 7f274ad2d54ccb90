import CofferTestSupport
import Foundation
import Testing
import WalletCore

/// Shares made by trezor's reference implementation (PyPI shamir-mnemonic 0.3.0, through
/// scripts/vectors/slip39_shamir_mnemonic.py) recovered here, and shares made by `coffer shamir
/// split` that the same script recovered with the reference (Tests/Vectors/generated).
@Suite("SLIP-39 cross-check with shamir-mnemonic")
struct SLIP39CrossCheckTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let number: Int
        let masterSecret: String
        let passphrase: String
        let extendable: Bool
        let iterationExponent: Int
        let identifier: Int?
        let groupThreshold: Int
        let groups: [SLIP39GroupSpec]
        let mnemonics: [[String]]
        var testDescription: String {
            "\(number): \(groupThreshold) of \(groups.map { "\($0.memberThreshold)of\($0.memberCount)" }), "
                + "\(masterSecret.count / 2) bytes, e=\(iterationExponent)\(extendable ? ", extendable" : "")"
        }
    }

    static func load(_ name: String) -> [Case] {
        // A malformed fixture is a broken checkout: fail loudly.
        let root = try! TestVectors.json(name) as! [String: Any]
        return (root["cases"] as! [[String: Any]]).enumerated().map { number, entry in
            Case(number: number + 1,
                 masterSecret: entry["master_secret"] as! String,
                 passphrase: entry["passphrase"] as! String,
                 extendable: entry["extendable"] as! Bool,
                 iterationExponent: entry["iteration_exponent"] as! Int,
                 identifier: entry["identifier"] as? Int,
                 groupThreshold: entry["group_threshold"] as! Int,
                 groups: (entry["groups"] as! [[Int]]).map { SLIP39GroupSpec(memberThreshold: $0[0], memberCount: $0[1]) },
                 mnemonics: entry["mnemonics"] as! [[String]])
        }
    }

    static let reference = load("generated/slip39-shamir-mnemonic.json")
    static let coffer = load("generated/slip39-coffer.json")

    @Test("shares made by the reference recover here, from random sufficient subsets", arguments: reference)
    func referenceShares(_ fixture: Case) throws {
        let first = try SLIP39Share(mnemonic: fixture.mnemonics[0][0])
        #expect(first.identifier == fixture.identifier)
        #expect(first.isExtendable == fixture.extendable && first.iterationExponent == fixture.iterationExponent)
        #expect(first.groupThreshold == fixture.groupThreshold && first.groupCount == fixture.groups.count)
        var rng = SplitMix64(state: UInt64(fixture.number))
        for _ in 0..<3 {
            let subset = SLIP39Subsets.sufficient(
                fixture.mnemonics, groupThreshold: fixture.groupThreshold, groups: fixture.groups, using: &rng)
            let secret = try SLIP39.recover(mnemonics: subset, passphrase: fixture.passphrase)
            #expect(secret.withUnsafeBytes { Hex.encode($0) } == fixture.masterSecret)
        }
        let tooFew = SLIP39Subsets.insufficient(
            fixture.mnemonics, groupThreshold: fixture.groupThreshold, groups: fixture.groups, using: &rng)
        #expect(throws: SLIP39Error.self) { try SLIP39.recover(mnemonics: tooFew, passphrase: fixture.passphrase) }
    }

    @Test("the fixtures cover both flags, several exponents, lengths and multi-group schemes")
    func coverage() {
        #expect(Self.reference.count >= 30)
        #expect(Set(Self.reference.map(\.extendable)) == [true, false])
        #expect(Set(Self.reference.map(\.iterationExponent)).count >= 3)
        #expect(Set(Self.reference.map { $0.masterSecret.count / 2 }) == [16, 20, 24, 32])
        #expect(Self.reference.contains { $0.groups.count > 1 && $0.groupThreshold > 1 })
        #expect(Self.reference.contains { !$0.passphrase.isEmpty })
        #expect(Self.coffer.count >= 8)
    }

    @Test("shares made by coffer (recovered by the reference at generation time) recover here", arguments: coffer)
    func cofferShares(_ fixture: Case) throws {
        let secret = try SLIP39.recover(mnemonics: fixture.mnemonics.flatMap { $0 }, passphrase: fixture.passphrase)
        #expect(secret.withUnsafeBytes { Hex.encode($0) } == fixture.masterSecret)
    }
}
