public import GRDB

/// One numbered schema change of one domain. Identifiers are `domain-NNNN-name` and, once
/// released, never change: the database records which ones it has applied.
public struct SchemaMigration: Sendable {
    public let domain: String
    public let number: Int
    public let name: String
    public let apply: @Sendable (Database) throws -> Void

    public init(domain: String, number: Int, name: String, apply: @escaping @Sendable (Database) throws -> Void) {
        self.domain = domain
        self.number = number
        self.name = name
        self.apply = apply
    }

    public var identifier: String {
        let digits = String(number)
        return "\(domain)-\(String(repeating: "0", count: max(0, 4 - digits.count)))\(digits)-\(name)"
    }
}
