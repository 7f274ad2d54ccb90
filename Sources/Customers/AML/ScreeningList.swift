/// Addresses on screening lists (sanctions, known scams), each with the name of its list.
/// Hex addresses ("0x…", EVM chains) match case-insensitively, since their case is only a
/// checksum; every other address (base58, bech32) matches exactly.
public struct ScreeningList: Sendable, Equatable, ExpressibleByDictionaryLiteral {
    /// Normalised address → the names of the lists it is on, sorted.
    private var lists: [String: [String]] = [:]

    /// `entries`: address → list name. Two entries for one address (a hex address in two cases)
    /// keep both names, sorted and joined with ", ".
    public init(_ entries: [String: String] = [:]) {
        for (address, list) in entries { add(address, list: list) }
    }

    public init(dictionaryLiteral elements: (String, String)...) {
        for (address, list) in elements { add(address, list: list) }
    }

    /// The list `address` is on, or nil.
    public func list(of address: String) -> String? { lists[Self.normalised(address)]?.joined(separator: ", ") }

    public var isEmpty: Bool { lists.isEmpty }

    private mutating func add(_ address: String, list: String) {
        let key = Self.normalised(address)
        let names = lists[key, default: []]
        if !names.contains(list) { lists[key] = (names + [list]).sorted() }
    }

    private static func normalised(_ address: String) -> String {
        address.hasPrefix("0x") || address.hasPrefix("0X") ? address.lowercased() : address
    }
}
