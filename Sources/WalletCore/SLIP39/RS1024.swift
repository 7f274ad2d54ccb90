/// The RS1024 checksum of SLIP-39 mnemonics: a Reed-Solomon code over GF(1024) whose three
/// check words detect any error in up to three words.
///
/// The customization string ("shamir" or "shamir_extendable", chosen by the share's extendable
/// flag) is fed in before the words, so a share checks only under its own flag.
enum RS1024 {
    /// Number of 10-bit check words at the end of a mnemonic.
    static let checksumWordCount = 3

    /// The customization string for a share with the extendable flag `extendable`.
    static func customization(extendable: Bool) -> [UInt8] {
        Array((extendable ? "shamir_extendable" : "shamir").utf8)
    }

    /// The generator terms of the code, from SLIP-39's checksum section.
    private static let generator: [UInt32] = [
        0x00E0_E040, 0x01C1_C080, 0x0383_8100, 0x0707_0200, 0x0E0E_0009,
        0x1C0C_2412, 0x3808_6C24, 0x3090_FC48, 0x21B1_F890, 0x03F3_F120,
    ]

    /// The BCH-view remainder of the customization string followed by `words` (10-bit values).
    static func polymod(customization: [UInt8], words: some Sequence<Int>) -> UInt32 {
        var checksum: UInt32 = 1
        func step(_ value: UInt32) {
            let top = checksum >> 20
            checksum = (checksum & 0xF_FFFF) << 10 ^ value
            for bit in 0..<10 where (top >> UInt32(bit)) & 1 == 1 {
                checksum ^= generator[bit]
            }
        }
        for byte in customization { step(UInt32(byte)) }
        for word in words { step(UInt32(word & 0x3FF)) }
        return checksum
    }

    /// True when `words` (data and checksum, 10-bit values) carry a valid checksum.
    static func verify(words: [Int], extendable: Bool) -> Bool {
        polymod(customization: customization(extendable: extendable), words: words) == 1
    }

    /// The three check words to append to `data` (10-bit values).
    static func checksum(data: [Int], extendable: Bool) -> [Int] {
        let remainder = polymod(customization: customization(extendable: extendable), words: data + [0, 0, 0]) ^ 1
        return (0..<checksumWordCount).map { Int(remainder >> (10 * UInt32(2 - $0)) & 0x3FF) }
    }
}
