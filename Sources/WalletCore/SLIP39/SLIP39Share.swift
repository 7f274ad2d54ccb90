/// One SLIP-39 share: the fields of a share mnemonic, decoded and checked.
///
/// A mnemonic is, in 10-bit words: identifier (15 bits), extendable flag (1), iteration
/// exponent (4), group index (4), group threshold - 1 (4), group count - 1 (4), member index
/// (4), member threshold - 1 (4), the share value left-padded with zero bits to a multiple of
/// 10 bits, then 3 RS1024 check words. `description` is redacted: the value is secret.
public struct SLIP39Share: Sendable {
    /// Words before the share value: identifier, flag, exponent and the five group/member fields.
    static let headerWordCount = 4
    /// Header and checksum words: a mnemonic has this many words plus those of the share value.
    static let metadataWordCount = headerWordCount + RS1024.checksumWordCount
    /// The shortest share: a 128-bit value (13 words) plus the metadata.
    static let minimumWordCount = metadataWordCount + 13

    /// Random 15-bit number common to all shares of one backup.
    public let identifier: Int
    /// Whether the identifier is left out of the encryption salt, so that further share sets of
    /// the same encrypted master secret can be made (SLIP-39's `ext`).
    public let isExtendable: Bool
    /// PBKDF2 runs 10000 << e iterations in all (4 rounds of 2500 << e).
    public let iterationExponent: Int
    /// The group's x coordinate, 0...15 as encoded (group number - 1).
    public let groupIndex: Int
    /// Number of groups needed to recover the master secret, 1...16.
    public let groupThreshold: Int
    /// Number of groups in the backup, 1...16.
    public let groupCount: Int
    /// The member's x coordinate in its group, 0...15 as encoded (share number - 1).
    public let memberIndex: Int
    /// Number of shares of this group needed to recover the group secret, 1...16.
    public let memberThreshold: Int
    /// The share value: this member's point on the group's polynomials, one byte per secret byte. Secret.
    let value: [UInt8]

    /// Number of words of the mnemonic of this share.
    public var wordCount: Int { Self.metadataWordCount + (value.count * 8 + 9) / 10 }

    init(identifier: Int, isExtendable: Bool, iterationExponent: Int, groupIndex: Int, groupThreshold: Int,
         groupCount: Int, memberIndex: Int, memberThreshold: Int, value: [UInt8]) {
        self.identifier = identifier
        self.isExtendable = isExtendable
        self.iterationExponent = iterationExponent
        self.groupIndex = groupIndex
        self.groupThreshold = groupThreshold
        self.groupCount = groupCount
        self.memberIndex = memberIndex
        self.memberThreshold = memberThreshold
        self.value = value
    }

    /// Decodes and checks one share mnemonic: words, length, checksum, padding and thresholds.
    ///
    /// Words are separated by any whitespace and matched case-insensitively.
    /// - Throws: `.unknownWord`, `.tooFewWords`, `.invalidLength`, `.invalidChecksum`,
    ///   `.invalidPadding` or `.groupThresholdExceedsGroupCount`, naming it mnemonic 1.
    public init(mnemonic: String) throws(SLIP39Error) {
        try self.init(mnemonic: mnemonic, position: 1)
    }

    /// `init(mnemonic:)` reporting errors as those of mnemonic `position` (1-based) of a list.
    init(mnemonic: String, position: Int) throws(SLIP39Error) {
        let typed = Mnemonic.splitWords(mnemonic)
        var words: [Int] = []
        words.reserveCapacity(typed.count)
        for (offset, word) in typed.enumerated() {
            guard let value = SLIP39Wordlist.value(of: word) else {
                throw SLIP39Error(.unknownWord(mnemonic: position, position: offset + 1))
            }
            words.append(value)
        }
        guard words.count >= Self.minimumWordCount else {
            throw SLIP39Error(.tooFewWords(mnemonic: position, wordCount: words.count))
        }
        // The value bits are a multiple of 16 (an even byte count) plus at most 8 padding bits.
        let paddingBits = (words.count - Self.metadataWordCount) * 10 % 16
        guard paddingBits <= 8 else {
            throw SLIP39Error(.invalidLength(mnemonic: position, wordCount: words.count))
        }
        let isExtendable = words[1] >> 4 & 1 == 1
        guard RS1024.verify(words: words, extendable: isExtendable) else {
            throw SLIP39Error(.invalidChecksum(mnemonic: position))
        }
        let parameters = words[2] << 10 | words[3]
        let groupThreshold = (parameters >> 12 & 0xF) + 1
        let groupCount = (parameters >> 8 & 0xF) + 1
        guard groupThreshold <= groupCount else {
            throw SLIP39Error(.groupThresholdExceedsGroupCount(
                mnemonic: position, groupThreshold: groupThreshold, groupCount: groupCount))
        }
        let valueWords = words[Self.headerWordCount..<(words.count - RS1024.checksumWordCount)]
        guard let value = Self.decodeValue(valueWords, paddingBits: paddingBits) else {
            throw SLIP39Error(.invalidPadding(mnemonic: position))
        }
        self.init(
            identifier: words[0] << 5 | words[1] >> 5,
            isExtendable: isExtendable,
            iterationExponent: words[1] & 0xF,
            groupIndex: parameters >> 16 & 0xF,
            groupThreshold: groupThreshold,
            groupCount: groupCount,
            memberIndex: parameters >> 4 & 0xF,
            memberThreshold: (parameters & 0xF) + 1,
            value: value)
    }

    /// The mnemonic of this share: lowercase words separated by single spaces.
    public var mnemonic: String {
        let header = [
            identifier >> 5,
            (identifier & 0x1F) << 5 | (isExtendable ? 1 : 0) << 4 | iterationExponent,
            groupIndex << 6 | (groupThreshold - 1) << 2 | (groupCount - 1) >> 2,
            ((groupCount - 1) & 3) << 8 | memberIndex << 4 | (memberThreshold - 1),
        ]
        let data = header + Self.encodeValue(value)
        let words = data + RS1024.checksum(data: data, extendable: isExtendable)
        return words.map { SLIP39Wordlist.words[$0] }.joined(separator: " ")
    }

    /// The share value as 10-bit words, big-endian, after enough zero bits to fill the last word.
    static func encodeValue(_ bytes: [UInt8]) -> [Int] {
        let wordCount = (bytes.count * 8 + 9) / 10
        var words: [Int] = []
        words.reserveCapacity(wordCount)
        var pending = 0
        var pendingBits = wordCount * 10 - bytes.count * 8  // the zero padding comes first
        for byte in bytes {
            pending = pending << 8 | Int(byte)
            pendingBits += 8
            if pendingBits >= 10 {
                pendingBits -= 10
                words.append(pending >> pendingBits & 0x3FF)
                pending &= (1 << pendingBits) - 1
            }
        }
        return words
    }

    /// The bytes of 10-bit `words` after `paddingBits` leading bits, which must be zero; nil if they are not.
    static func decodeValue(_ words: ArraySlice<Int>, paddingBits: Int) -> [UInt8]? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity((words.count * 10 - paddingBits) / 8)
        var pending = 0
        var pendingBits = -paddingBits
        for word in words {
            pending = pending << 10 | word
            pendingBits += 10
            if pendingBits < 10 {
                // First word: its top `paddingBits` bits are padding.
                guard pending >> pendingBits == 0 else { return nil }
            }
            while pendingBits >= 8 {
                pendingBits -= 8
                bytes.append(UInt8(pending >> pendingBits & 0xFF))
            }
            pending &= (1 << pendingBits) - 1
        }
        return bytes
    }
}

extension SLIP39Share: Equatable {
    /// Equal when every field is; the share values are compared in constant time.
    public static func == (lhs: SLIP39Share, rhs: SLIP39Share) -> Bool {
        lhs.identifier == rhs.identifier && lhs.isExtendable == rhs.isExtendable
            && lhs.iterationExponent == rhs.iterationExponent && lhs.groupIndex == rhs.groupIndex
            && lhs.groupThreshold == rhs.groupThreshold && lhs.groupCount == rhs.groupCount
            && lhs.memberIndex == rhs.memberIndex && lhs.memberThreshold == rhs.memberThreshold
            && ConstantTime.equals(lhs.value, rhs.value)
    }
}

extension SLIP39Share: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Redacted: the group and member coordinates and thresholds, never the value or the words.
    public var description: String {
        "SLIP39Share(group \(groupIndex + 1) of \(groupCount) (\(groupThreshold) needed), "
            + "member \(memberIndex + 1) (\(memberThreshold) needed), \(wordCount) words, redacted)"
    }

    /// Redacted like `description`.
    public var debugDescription: String { description }

    /// Redacted for `dump` and debuggers.
    public var customMirror: Mirror {
        Mirror(self, children: ["group": groupIndex + 1, "member": memberIndex + 1], displayStyle: .struct)
    }
}
