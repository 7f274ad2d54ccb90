/// The shape of one group of a SLIP-39 backup: `memberThreshold` of its `memberCount` shares
/// recover the group's secret.
public struct SLIP39GroupSpec: Sendable, Equatable {
    /// Shares of this group needed to recover it, 1...memberCount (1 only when memberCount is 1).
    public var memberThreshold: Int
    /// Shares made for this group, 1...16.
    public var memberCount: Int

    /// A `memberThreshold`-of-`memberCount` group.
    public init(memberThreshold: Int, memberCount: Int) {
        self.memberThreshold = memberThreshold
        self.memberCount = memberCount
    }
}

/// SLIP-39 Shamir backups: a master secret split into share mnemonics, in groups, so that a
/// threshold of groups, each with a threshold of its shares, recovers it; fewer reveal nothing.
///
/// The master secret is first encrypted with the passphrase (a 4-round PBKDF2 Feistel network),
/// then split twice: into group shares, and each group share into member shares. For a BIP32
/// wallet the master secret is the BIP32 seed (`ExtendedPrivateKey(seed:)`).
public enum SLIP39 {
    /// Splits `masterSecret` into mnemonics: one array per group, in the order of `groups`.
    ///
    /// Any `groupThreshold` groups, each with `memberThreshold` of its mnemonics, recover the
    /// secret with the same passphrase. The identifier comes from the system CSPRNG. New backups
    /// should be extendable (the default); `iterationExponent` e costs 10000 << e PBKDF2
    /// iterations at every recovery.
    /// - Parameters:
    ///   - masterSecret: 16 to 64 bytes, even length (64 for a BIP39-derived seed; 59-word shares).
    ///   - passphrase: printable ASCII only (SLIP-39 requires it); empty for none.
    /// - Throws: `.invalidMasterSecretLength`, `.invalidPassphrase`, `.invalidIterationExponent`,
    ///   `.invalidGroupCount`, `.invalidGroupThreshold`, `.invalidGroup` or
    ///   `.singleThresholdGroupWithManyMembers`.
    public static func split(masterSecret: SecretBytes, groupThreshold: Int, groups: [SLIP39GroupSpec],
                             passphrase: String = "", extendable: Bool = true,
                             iterationExponent: Int = 1) throws(SLIP39Error) -> [[String]] {
        var rng = SystemRandomNumberGenerator()
        return try split(masterSecret: masterSecret, groupThreshold: groupThreshold, groups: groups,
                         passphrase: passphrase, extendable: extendable, iterationExponent: iterationExponent,
                         using: &rng).map { $0.map(\.mnemonic) }
    }

    /// Recovers the master secret from any sufficient set of mnemonics, in any order.
    ///
    /// Identical mnemonics count once. When more groups or shares than needed are given, the
    /// first complete groups and the first shares of each, in input order, are used. A wrong
    /// passphrase cannot be detected: it gives a different secret.
    /// - Throws: the first problem found: a mnemonic that does not decode (`.unknownWord`,
    ///   `.tooFewWords`, `.invalidLength`, `.invalidChecksum`, `.invalidPadding`,
    ///   `.groupThresholdExceedsGroupCount`), mnemonics that do not belong together
    ///   (`.differentBackup`, `.differentLength`, `.inconsistentGroupParameters`,
    ///   `.inconsistentMemberThreshold`, `.conflictingShares`), too few of them (`.noMnemonics`,
    ///   `.tooFewGroups`, `.tooFewShares`), `.digestMismatch`, or `.invalidPassphrase`.
    public static func recover(mnemonics: [String], passphrase: String = "") throws(SLIP39Error) -> SecretBytes {
        var shares: [SLIP39Share] = []
        for (offset, mnemonic) in mnemonics.enumerated() {
            shares.append(try SLIP39Share(mnemonic: mnemonic, position: offset + 1))
        }
        return try recover(shares: shares, passphrase: passphrase)
    }

    /// `recover(mnemonics:passphrase:)` for shares already decoded; errors name shares by their
    /// 1-based position in `shares`.
    public static func recover(shares: [SLIP39Share], passphrase: String = "") throws(SLIP39Error) -> SecretBytes {
        let passphraseBytes = try Self.passphraseBytes(passphrase)
        guard let first = shares.first else { throw SLIP39Error(.noMnemonics) }
        var encrypted = try combine(shares)
        defer { SecretBytes.wipe(&encrypted) }
        var secret = SLIP39Cipher.decrypt(
            encrypted, passphrase: passphraseBytes, iterationExponent: first.iterationExponent,
            identifier: first.identifier, extendable: first.isExtendable)
        defer { SecretBytes.wipe(&secret) }
        return SecretBytes(secret)
    }

    /// The share values of one group, in input order, without duplicates.
    private struct Group {
        let number: Int
        let memberThreshold: Int
        var memberIndices: [UInt8] = []
        var values: [[UInt8]] = []
    }

    /// The encrypted master secret of consistent `shares` (GenerateShares' inverse, without decryption).
    static func combine(_ shares: [SLIP39Share]) throws(SLIP39Error) -> [UInt8] {
        guard let first = shares.first else { throw SLIP39Error(.noMnemonics) }
        var groups: [Group] = []
        for (offset, share) in shares.enumerated() {
            let position = offset + 1
            if share.identifier != first.identifier {
                throw SLIP39Error(.differentBackup(mnemonic: position, field: .identifier))
            }
            if share.isExtendable != first.isExtendable {
                throw SLIP39Error(.differentBackup(mnemonic: position, field: .extendableFlag))
            }
            if share.iterationExponent != first.iterationExponent {
                throw SLIP39Error(.differentBackup(mnemonic: position, field: .iterationExponent))
            }
            if share.groupThreshold != first.groupThreshold || share.groupCount != first.groupCount {
                throw SLIP39Error(.inconsistentGroupParameters(mnemonic: position))
            }
            if share.value.count != first.value.count {
                throw SLIP39Error(.differentLength(mnemonic: position, wordCount: share.wordCount, expected: first.wordCount))
            }
            let number = share.groupIndex + 1
            let slot: Int
            if let existing = groups.firstIndex(where: { $0.number == number }) {
                slot = existing
            } else {
                groups.append(Group(number: number, memberThreshold: share.memberThreshold))
                slot = groups.count - 1
            }
            guard share.memberThreshold == groups[slot].memberThreshold else {
                throw SLIP39Error(.inconsistentMemberThreshold(mnemonic: position, group: number))
            }
            let memberIndex = UInt8(share.memberIndex)
            if let seen = groups[slot].memberIndices.firstIndex(of: memberIndex) {
                guard ConstantTime.equals(groups[slot].values[seen], share.value) else {
                    throw SLIP39Error(.conflictingShares(group: number, member: share.memberIndex + 1))
                }
                continue  // the same share given twice
            }
            groups[slot].memberIndices.append(memberIndex)
            groups[slot].values.append(share.value)
        }

        let groupThreshold = first.groupThreshold
        guard groups.count >= groupThreshold else {
            throw SLIP39Error(.tooFewGroups(needed: groupThreshold, got: groups.count))
        }
        let complete = groups.filter { $0.values.count >= $0.memberThreshold }
        guard complete.count >= groupThreshold else {
            // There are enough groups, so some group is short of shares: name the first.
            let short = groups.first { $0.values.count < $0.memberThreshold } ?? groups[0]
            throw SLIP39Error(.tooFewShares(group: short.number, needed: short.memberThreshold, got: short.values.count))
        }

        var groupIndices: [UInt8] = []
        var groupValues: [[UInt8]] = []
        defer { for i in groupValues.indices { SecretBytes.wipe(&groupValues[i]) } }
        for group in complete.prefix(groupThreshold) {
            let threshold = group.memberThreshold
            guard let value = SLIP39SecretSharing.recover(
                threshold: threshold, xs: Array(group.memberIndices.prefix(threshold)),
                ys: Array(group.values.prefix(threshold)))
            else {
                throw SLIP39Error(.digestMismatch(group: group.number))
            }
            groupIndices.append(UInt8(group.number - 1))
            groupValues.append(value)
        }
        guard let encrypted = SLIP39SecretSharing.recover(threshold: groupThreshold, xs: groupIndices, ys: groupValues)
        else {
            throw SLIP39Error(.digestMismatch(group: nil))
        }
        return encrypted
    }

    /// `split(...)` with an explicit generator, returning shares; internal so that production
    /// code cannot pick a non-cryptographic one.
    static func split(masterSecret: SecretBytes, groupThreshold: Int, groups: [SLIP39GroupSpec],
                      passphrase: String, extendable: Bool, iterationExponent: Int,
                      using rng: inout some RandomNumberGenerator) throws(SLIP39Error) -> [[SLIP39Share]] {
        guard (16...64).contains(masterSecret.count), masterSecret.count % 2 == 0 else {
            throw SLIP39Error(.invalidMasterSecretLength(masterSecret.count))
        }
        let passphraseBytes = try Self.passphraseBytes(passphrase)
        guard (0...15).contains(iterationExponent) else {
            throw SLIP39Error(.invalidIterationExponent(iterationExponent))
        }
        guard (1...16).contains(groups.count) else {
            throw SLIP39Error(.invalidGroupCount(groups.count))
        }
        guard (1...groups.count).contains(groupThreshold) else {
            throw SLIP39Error(.invalidGroupThreshold(threshold: groupThreshold, groupCount: groups.count))
        }
        for (offset, group) in groups.enumerated() {
            guard (1...16).contains(group.memberCount), (1...group.memberCount).contains(group.memberThreshold) else {
                throw SLIP39Error(.invalidGroup(
                    group: offset + 1, memberThreshold: group.memberThreshold, memberCount: group.memberCount))
            }
            guard group.memberThreshold > 1 || group.memberCount == 1 else {
                throw SLIP39Error(.singleThresholdGroupWithManyMembers(group: offset + 1, memberCount: group.memberCount))
            }
        }

        let identifier = Int((rng.next() as UInt16) & 0x7FFF)
        var plain = masterSecret.copyBytes()
        defer { SecretBytes.wipe(&plain) }
        var encrypted = SLIP39Cipher.encrypt(
            plain, passphrase: passphraseBytes, iterationExponent: iterationExponent,
            identifier: identifier, extendable: extendable)
        defer { SecretBytes.wipe(&encrypted) }
        var groupValues = SLIP39SecretSharing.split(
            threshold: groupThreshold, count: groups.count, secret: encrypted, using: &rng)
        defer { for i in groupValues.indices { SecretBytes.wipe(&groupValues[i]) } }
        return groups.enumerated().map { groupIndex, group in
            let memberValues = SLIP39SecretSharing.split(
                threshold: group.memberThreshold, count: group.memberCount, secret: groupValues[groupIndex], using: &rng)
            return memberValues.enumerated().map { memberIndex, value in
                SLIP39Share(
                    identifier: identifier, isExtendable: extendable, iterationExponent: iterationExponent,
                    groupIndex: groupIndex, groupThreshold: groupThreshold, groupCount: groups.count,
                    memberIndex: memberIndex, memberThreshold: group.memberThreshold, value: value)
            }
        }
    }

    /// The passphrase as bytes, after checking that it is printable ASCII (32...126) as SLIP-39 requires.
    static func passphraseBytes(_ passphrase: String) throws(SLIP39Error) -> [UInt8] {
        var bytes: [UInt8] = []
        for (offset, scalar) in passphrase.unicodeScalars.enumerated() {
            guard (32...126).contains(scalar.value) else {
                SecretBytes.wipe(&bytes)
                throw SLIP39Error(.invalidPassphrase(position: offset + 1))
            }
            bytes.append(UInt8(scalar.value))
        }
        return bytes
    }
}
