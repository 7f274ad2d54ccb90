import Foundation

/// Why SLIP-39 shares could not be made or combined.
///
/// `description` is one line a user can act on. It never contains words, share values,
/// secrets or passphrases: a mnemonic is named by its 1-based position in the input, a word by
/// its 1-based position in that mnemonic, and a group by its 1-based number.
public struct SLIP39Error: Error, Sendable, Equatable, CustomStringConvertible {
    /// A field that every share of one backup has in common.
    public enum SharedField: String, Sendable, Equatable {
        case identifier, extendableFlag = "extendable flag", iterationExponent = "iteration exponent"
    }

    /// The specific failure, with the details needed to report it.
    public enum Kind: Sendable, Equatable {
        // Reading one mnemonic.
        /// Word `position` of mnemonic `mnemonic` is not in the SLIP-39 word list.
        case unknownWord(mnemonic: Int, position: Int)
        /// Mnemonic `mnemonic` has fewer than 20 words, the length of a share of a 128-bit secret.
        case tooFewWords(mnemonic: Int, wordCount: Int)
        /// Mnemonic `mnemonic` has a word count that no share length gives (its padding would exceed 8 bits).
        case invalidLength(mnemonic: Int, wordCount: Int)
        /// The RS1024 checksum of mnemonic `mnemonic` does not match: a word is wrong or missing.
        case invalidChecksum(mnemonic: Int)
        /// The padding bits in front of the share value of mnemonic `mnemonic` are not all zero.
        case invalidPadding(mnemonic: Int)
        /// Mnemonic `mnemonic` says more groups are needed than exist.
        case groupThresholdExceedsGroupCount(mnemonic: Int, groupThreshold: Int, groupCount: Int)

        // Putting mnemonics together.
        /// No mnemonic was given.
        case noMnemonics
        /// Mnemonic `mnemonic` differs from mnemonic 1 in `field`: it belongs to another backup.
        case differentBackup(mnemonic: Int, field: SharedField)
        /// Mnemonic `mnemonic` has `wordCount` words, mnemonic 1 has `expected`.
        case differentLength(mnemonic: Int, wordCount: Int, expected: Int)
        /// Mnemonic `mnemonic` has another group threshold or group count than mnemonic 1.
        case inconsistentGroupParameters(mnemonic: Int)
        /// Mnemonic `mnemonic` has another member threshold than the earlier shares of group `group`.
        case inconsistentMemberThreshold(mnemonic: Int, group: Int)
        /// Two different shares claim to be member `member` of group `group`.
        case conflictingShares(group: Int, member: Int)
        /// Shares of `got` distinct groups were given; `needed` groups are required.
        case tooFewGroups(needed: Int, got: Int)
        /// Group `group` has `got` distinct shares; it needs `needed`.
        case tooFewShares(group: Int, needed: Int, got: Int)
        /// The shares of group `group` (nil: the group shares) combine to a value whose digest
        /// does not match: a share is corrupted, forged or from another backup.
        case digestMismatch(group: Int?)

        // Parameters.
        /// The passphrase has a character outside printable ASCII (32...126) at 1-based `position`.
        case invalidPassphrase(position: Int)
        /// A master secret to split must be 16 to 64 bytes of even length.
        case invalidMasterSecretLength(Int)
        /// The iteration exponent must be 0...15.
        case invalidIterationExponent(Int)
        /// There must be 1 to 16 groups.
        case invalidGroupCount(Int)
        /// The group threshold must be 1...groupCount.
        case invalidGroupThreshold(threshold: Int, groupCount: Int)
        /// Group `group` must have 1 to 16 members and a member threshold of 1...memberCount.
        case invalidGroup(group: Int, memberThreshold: Int, memberCount: Int)
        /// Group `group` is 1-of-N with N > 1, which SLIP-39 forbids: every share would be the same secret.
        case singleThresholdGroupWithManyMembers(group: Int, memberCount: Int)
    }

    /// The specific failure.
    public let kind: Kind

    /// Wraps `kind`.
    public init(_ kind: Kind) {
        self.kind = kind
    }

    /// True for the failures that mean the requested split is not a valid SLIP-39 scheme (bad
    /// thresholds, counts or exponent), as opposed to bad input (secret, passphrase, shares).
    public var isInvalidSplitParameter: Bool {
        switch kind {
        case .invalidIterationExponent, .invalidGroupCount, .invalidGroupThreshold, .invalidGroup,
             .singleThresholdGroupWithManyMembers:
            true
        default:
            false
        }
    }

    /// One actionable line, e.g. `group 1 needs 3 shares, got 2`.
    public var description: String {
        switch kind {
        case .unknownWord(let mnemonic, let position):
            "mnemonic \(mnemonic): word \(position) is not in the SLIP-39 word list"
        case .tooFewWords(let mnemonic, let wordCount):
            "mnemonic \(mnemonic) has \(wordCount) word\(wordCount == 1 ? "" : "s"); a SLIP-39 share has at least 20"
        case .invalidLength(let mnemonic, let wordCount):
            "mnemonic \(mnemonic) has \(wordCount) words, which is not a SLIP-39 share length "
                + "(20 words for a 128-bit secret, 33 for a 256-bit one): a word is missing or extra"
        case .invalidChecksum(let mnemonic):
            "mnemonic \(mnemonic): invalid checksum: a word is wrong, missing or out of order"
        case .invalidPadding(let mnemonic):
            "mnemonic \(mnemonic): invalid padding: the share value has non-zero padding bits, so a word is wrong"
        case .groupThresholdExceedsGroupCount(let mnemonic, let threshold, let count):
            "mnemonic \(mnemonic) is invalid: it requires \(threshold) groups of a backup that has only \(count)"
        case .noMnemonics:
            "no SLIP-39 mnemonics given"
        case .differentBackup(let mnemonic, let field):
            "mnemonic \(mnemonic) is from a different backup than mnemonic 1 (different \(field.rawValue)); "
                + "all shares of one backup start with the same two words"
        case .differentLength(let mnemonic, let wordCount, let expected):
            "mnemonic \(mnemonic) has \(wordCount) words but mnemonic 1 has \(expected): they are from different backups"
        case .inconsistentGroupParameters(let mnemonic):
            "mnemonic \(mnemonic) has a different group threshold or group count than mnemonic 1: "
                + "they are from different backups"
        case .inconsistentMemberThreshold(let mnemonic, let group):
            "mnemonic \(mnemonic) has a different member threshold than the other shares of group \(group)"
        case .conflictingShares(let group, let member):
            "two different shares claim to be share \(member) of group \(group): one of them is from another backup or corrupted"
        case .tooFewGroups(let needed, let got):
            "need \(needed) groups, got \(got)"
        case .tooFewShares(let group, let needed, let got):
            "group \(group) needs \(needed) shares, got \(got)"
        case .digestMismatch(let group):
            if let group {
                "the shares of group \(group) do not combine (digest mismatch): one is corrupted or from another backup"
            } else {
                "the groups do not combine (digest mismatch): a share is corrupted or from another backup"
            }
        case .invalidPassphrase(let position):
            "the passphrase must contain only printable ASCII characters (space to ~); character \(position) is not"
        case .invalidMasterSecretLength(let count):
            "the master secret must be 16 to 64 bytes of even length, got \(count)"
        case .invalidIterationExponent(let exponent):
            "the iteration exponent must be 0 to 15, got \(exponent)"
        case .invalidGroupCount(let count):
            "there must be 1 to 16 groups, got \(count)"
        case .invalidGroupThreshold(let threshold, let count):
            "the group threshold must be 1 to the number of groups (\(count)), got \(threshold)"
        case .invalidGroup(let group, let threshold, let count):
            "group \(group) is \(threshold)-of-\(count): a group needs 1 to 16 shares and a threshold of 1 to its share count"
        case .singleThresholdGroupWithManyMembers(let group, let count):
            "group \(group) is 1-of-\(count), which SLIP-39 forbids (every share would be the whole group secret); "
                + "use 1-of-1 and copy that share"
        }
    }
}

extension SLIP39Error: LocalizedError {
    /// The same one-line message as `description`, for `localizedDescription`.
    public var errorDescription: String? { description }
}
