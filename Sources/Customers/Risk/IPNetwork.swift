/// The network a client address belongs to, as a key for "seen from this network before": an
/// IPv4 address's /24, an IPv6 address's /48 (a site's usual allocation, so privacy addresses
/// that change daily stay one network). Parsed here, byte by byte, without Foundation or
/// inet_pton; the text must be the bare address (no brackets, port or zone).
public enum IPNetwork {
    /// The network key of `address`: "203.0.113.0/24", "2001:db8:1::/48" (RFC 5952 text:
    /// lowercase, no leading zeros, the longest run of zero groups as "::"); nil when `address`
    /// is not an IPv4 or IPv6 address. An IPv4-mapped IPv6 address (::ffff:a.b.c.d, an IPv4
    /// client seen through a dual-stack socket) gives its IPv4 network.
    public static func of(_ address: String) -> String? {
        if let octets = ipv4(address) { return "\(octets[0]).\(octets[1]).\(octets[2]).0/24" }
        guard let groups = ipv6(address) else { return nil }
        if groups[0..<5].allSatisfy({ $0 == 0 }) && groups[5] == 0xFFFF {
            return "\(groups[6] >> 8).\(groups[6] & 0xFF).\(groups[7] >> 8).0/24"
        }
        return canonical(Array(groups[0..<3]) + [0, 0, 0, 0, 0]) + "/48"
    }

    /// The four octets of a dotted quad: four decimals 0-255, no leading zeros (which some
    /// parsers read as octal), nothing else.
    public static func ipv4(_ text: String) -> [UInt8]? { dottedQuad(Array(text.utf8)[...]) }

    /// The eight 16-bit groups of an IPv6 address (RFC 4291 §2.2): groups of 1-4 hex digits, at
    /// most one "::" standing for one or more zero groups, optionally a dotted quad as the last
    /// 32 bits.
    public static func ipv6(_ text: String) -> [UInt16]? {
        let bytes = Array(text.utf8)
        let colon = UInt8(ascii: ":")
        var gap: Int?
        var index = 0
        while index + 1 < bytes.count {
            if bytes[index] == colon && bytes[index + 1] == colon {
                guard gap == nil else { return nil }
                gap = index
                index += 2
            } else {
                index += 1
            }
        }
        guard let gap else {
            guard let groups = groups(bytes[...], endsAddress: true), groups.count == 8 else { return nil }
            return groups
        }
        guard let head = groups(bytes[..<gap], endsAddress: false), let tail = groups(bytes[(gap + 2)...], endsAddress: true),
              head.count + tail.count <= 7
        else { return nil }
        return head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
    }

    /// The groups of a colon-separated run (none for an empty one); the run that ends the address
    /// may end in a dotted quad, two groups.
    private static func groups(_ run: ArraySlice<UInt8>, endsAddress: Bool) -> [UInt16]? {
        guard !run.isEmpty else { return [] }
        let pieces = run.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var groups: [UInt16] = []
        for (index, piece) in pieces.enumerated() {
            if endsAddress && index == pieces.count - 1 && piece.contains(UInt8(ascii: ".")) {
                guard let octets = dottedQuad(piece) else { return nil }
                groups += [UInt16(octets[0]) << 8 | UInt16(octets[1]), UInt16(octets[2]) << 8 | UInt16(octets[3])]
                continue
            }
            guard (1...4).contains(piece.count) else { return nil }
            var group: UInt16 = 0
            for byte in piece {
                guard let digit = hexDigit(byte) else { return nil }
                group = group << 4 | digit
            }
            groups.append(group)
        }
        return groups
    }

    private static func dottedQuad(_ bytes: ArraySlice<UInt8>) -> [UInt8]? {
        var octets: [UInt8] = []
        for part in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard octets.count < 4, (1...3).contains(part.count), part.allSatisfy({ (0x30...0x39).contains($0) }),
                  part.count == 1 || part.first != UInt8(ascii: "0")
            else { return nil }
            let value = part.reduce(0) { $0 * 10 + Int($1 - 0x30) }
            guard value <= 255 else { return nil }
            octets.append(UInt8(value))
        }
        return octets.count == 4 ? octets : nil
    }

    private static func hexDigit(_ byte: UInt8) -> UInt16? {
        switch byte {
        case 0x30...0x39: UInt16(byte - 0x30)
        case 0x61...0x66: UInt16(byte - 0x61 + 10)
        case 0x41...0x46: UInt16(byte - 0x41 + 10)
        default: nil
        }
    }

    /// RFC 5952 §4 text of eight groups: lowercase hex without leading zeros, the longest run of
    /// two or more zero groups (the first of equal runs) written "::".
    static func canonical(_ groups: [UInt16]) -> String {
        var longest: Range<Int>?
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < groups.count && groups[end] == 0 { end += 1 }
            if end - index >= 2 && end - index > (longest?.count ?? 0) { longest = index..<end }
            index = end
        }
        let hex = groups.map { String($0, radix: 16) }
        guard let longest else { return hex.joined(separator: ":") }
        return hex[..<longest.lowerBound].joined(separator: ":") + "::" + hex[longest.upperBound...].joined(separator: ":")
    }
}
