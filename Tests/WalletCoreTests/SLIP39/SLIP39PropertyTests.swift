import CofferTestSupport
import Foundation
import PropertyBased
import Testing
import WalletCore

/// Randomised properties: any sufficient set of shares recovers the secret, no insufficient set
/// does, every share decodes to what was encoded, and the checksum catches changed words.
@Suite("SLIP-39 properties")
struct SLIP39PropertyTests {
    /// A 16, 20, 24 or 32-byte secret.
    static let secret = zip(Gen.element(of: [16, 20, 24, 32]), Gen.uint8().array(of: 32))
        .map { count, bytes in Array(bytes.prefix(count!)) }

    @Test("a random sufficient subset in random order recovers the secret; an insufficient one is rejected")
    func splitAndRecover() async {
        await propertyCheck(count: 60, input: Self.secret, Gen.uint64()) { secret, seed in
            var rng = SplitMix64(state: seed)
            let (groupThreshold, groups) = SLIP39Subsets.randomScheme(using: &rng)
            let passphrase = String((0..<Int.random(in: 0...12, using: &rng)).map { _ in
                Character(Unicode.Scalar(UInt8.random(in: 32...126, using: &rng)))
            })
            let extendable = Bool.random(using: &rng)
            do {
                let mnemonics = try SLIP39.split(
                    masterSecret: SecretBytes(secret), groupThreshold: groupThreshold, groups: groups,
                    passphrase: passphrase, extendable: extendable, iterationExponent: 0)
                #expect(mnemonics.map(\.count) == groups.map(\.memberCount))
                let enough = SLIP39Subsets.sufficient(mnemonics, groupThreshold: groupThreshold, groups: groups, using: &rng)
                let recovered = try SLIP39.recover(mnemonics: enough, passphrase: passphrase)
                #expect(recovered.copyBytes() == secret, "\(groupThreshold) of \(groups)")

                let tooFew = SLIP39Subsets.insufficient(mnemonics, groupThreshold: groupThreshold, groups: groups, using: &rng)
                let error = #expect(throws: SLIP39Error.self) { try SLIP39.recover(mnemonics: tooFew, passphrase: passphrase) }
                switch error?.kind {
                case .tooFewGroups?, .tooFewShares?, .noMnemonics?: break
                default: Issue.record("insufficient set of \(groupThreshold) of \(groups): \(String(describing: error))")
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("every share decodes to the fields it was made with and re-encodes to the same words")
    func shareFields() async {
        await propertyCheck(count: 40, input: Self.secret, Gen.uint64()) { secret, seed in
            var rng = SplitMix64(state: seed)
            let (groupThreshold, groups) = SLIP39Subsets.randomScheme(using: &rng)
            let extendable = Bool.random(using: &rng)
            let exponent = Int.random(in: 0...1, using: &rng)
            do {
                let mnemonics = try SLIP39.split(
                    masterSecret: SecretBytes(secret), groupThreshold: groupThreshold, groups: groups,
                    extendable: extendable, iterationExponent: exponent)
                let identifier = try SLIP39Share(mnemonic: mnemonics[0][0]).identifier
                for (groupIndex, group) in mnemonics.enumerated() {
                    for (memberIndex, mnemonic) in group.enumerated() {
                        let share = try SLIP39Share(mnemonic: mnemonic)
                        #expect(share.identifier == identifier && (0..<32768).contains(identifier))
                        #expect(share.isExtendable == extendable && share.iterationExponent == exponent)
                        #expect(share.groupIndex == groupIndex && share.memberIndex == memberIndex)
                        #expect(share.groupThreshold == groupThreshold && share.groupCount == groups.count)
                        #expect(share.memberThreshold == groups[groupIndex].memberThreshold)
                        #expect(share.mnemonic == mnemonic)
                        #expect(share.wordCount == [16: 20, 20: 23, 24: 27, 32: 33][secret.count])
                        #expect(mnemonic.split(separator: " ").count == share.wordCount)
                        // Case-insensitive and whitespace-tolerant, like the reference.
                        let retyped = "  " + mnemonic.uppercased().replacingOccurrences(of: " ", with: " \t\n ")
                        #expect(try SLIP39Share(mnemonic: retyped) == share)
                        let words = mnemonic.split(separator: " ")
                        #expect(share.description.hasSuffix("redacted)"))
                        #expect(zip(words, words.dropFirst()).allSatisfy { !share.description.contains("\($0) \($1)") })
                    }
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }

    @Test("changing one to three words of a share is always caught by the checksum")
    func checksumCatchesSubstitutions() async {
        await propertyCheck(count: 60, input: Self.secret, Gen.uint64()) { secret, seed in
            var rng = SplitMix64(state: seed)
            do {
                let mnemonic = try SLIP39.split(
                    masterSecret: SecretBytes(secret), groupThreshold: 1,
                    groups: [SLIP39GroupSpec(memberThreshold: 1, memberCount: 1)], iterationExponent: 0)[0][0]
                let original = mnemonic.split(separator: " ").map(String.init)
                for _ in 0..<10 {
                    var words = original
                    let positions = Array(words.indices).shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng))
                    for position in positions {
                        let value = try #require(SLIP39Wordlist.value(of: words[position]))
                        words[position] = SLIP39Wordlist.words[(value + Int.random(in: 1...1023, using: &rng)) % 1024]
                    }
                    let error = #expect(throws: SLIP39Error.self) { try SLIP39Share(mnemonic: words.joined(separator: " ")) }
                    // RS1024 is MDS: up to 3 changed words are always detected, and the checksum is
                    // checked before anything that could fail for another reason.
                    #expect(error?.kind == .invalidChecksum(mnemonic: 1), "\(String(describing: error))")
                }
            } catch {
                Issue.record("\(error)")
            }
        }
    }
}
