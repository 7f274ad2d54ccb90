/// One step of an HD derivation path: an index below 2^31, hardened or not.
public struct ChildIndex: Sendable, Hashable, CustomStringConvertible {
    public static let hardenedOffset: UInt32 = 0x8000_0000

    /// The 32-bit value BIP32 serialises (hardened indices have the top bit set).
    public let rawValue: UInt32

    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `index` must be below 2^31.
    public init(_ index: UInt32, hardened: Bool) throws(DerivationPathError) {
        guard index < ChildIndex.hardenedOffset else { throw .outOfRange(String(index)) }
        rawValue = hardened ? index | ChildIndex.hardenedOffset : index
    }

    public static func hardened(_ index: UInt32) throws(DerivationPathError) -> ChildIndex {
        try ChildIndex(index, hardened: true)
    }

    public static func normal(_ index: UInt32) throws(DerivationPathError) -> ChildIndex {
        try ChildIndex(index, hardened: false)
    }

    public var isHardened: Bool { rawValue >= ChildIndex.hardenedOffset }
    /// The index without the hardened bit.
    public var index: UInt32 { rawValue & ~ChildIndex.hardenedOffset }
    public var description: String { isHardened ? "\(index)'" : "\(index)" }
}

/// A BIP32 path such as `m/44'/60'/0'/0/5` (`h` and `H` are accepted for `'`).
public struct DerivationPath: Sendable, Hashable, CustomStringConvertible {
    public var components: [ChildIndex]

    public init(_ components: [ChildIndex] = []) { self.components = components }

    /// Parses `m`, `m/0`, `m/44'/0'/0'`, `m/44h/0h`. Whitespace is not allowed.
    public init(parsing text: String) throws(DerivationPathError) {
        guard !text.isEmpty else { throw .empty }
        var parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.first == "m" || parts.first == "M" else { throw .missingRoot(text) }
        parts.removeFirst()
        var components: [ChildIndex] = []
        components.reserveCapacity(parts.count)
        for (offset, part) in parts.enumerated() {
            let position = offset + 1
            guard !part.isEmpty else { throw .emptyComponent(position: position) }
            var digits = Substring(part)
            var hardened = false
            if let last = digits.last, last == "'" || last == "h" || last == "H" {
                hardened = true
                digits = digits.dropLast()
            }
            guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw .invalidComponent(String(part), position: position)
            }
            guard digits.count <= 10, let value = UInt64(digits), value < UInt64(ChildIndex.hardenedOffset) else {
                throw .outOfRange(String(part))
            }
            components.append(try ChildIndex(UInt32(value), hardened: hardened))
        }
        self.components = components
    }

    public func appending(_ index: ChildIndex) -> DerivationPath {
        DerivationPath(components + [index])
    }

    public var description: String {
        components.reduce(into: "m") { $0 += "/" + $1.description }
    }
}

/// Why a derivation path was refused.
public struct DerivationPathError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }

    static let empty = DerivationPathError("derivation path is empty; expected something like m/44'/0'/0'/0/0")
    static func missingRoot(_ text: String) -> DerivationPathError {
        DerivationPathError("derivation path \"\(text)\" must start with \"m\", e.g. m/44'/0'/0'/0/0")
    }
    static func emptyComponent(position: Int) -> DerivationPathError {
        DerivationPathError("derivation path component \(position) is empty (two slashes in a row or a trailing slash)")
    }
    static func invalidComponent(_ part: String, position: Int) -> DerivationPathError {
        DerivationPathError("derivation path component \(position) \"\(part)\" is not a number optionally followed by ' or h")
    }
    static func outOfRange(_ part: String) -> DerivationPathError {
        DerivationPathError("derivation path index \(part) is out of range: indices must be 0...2147483647 (add ' for hardened)")
    }
}
