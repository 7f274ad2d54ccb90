/// Saves a statement mapping under a name (the mapping document's JSON text).
public struct AddReconMappingRequest: Codable, Sendable, Equatable {
    public let name: String
    public let mapping: String

    public init(name: String, mapping: String) {
        self.name = name
        self.mapping = mapping
    }
}

/// Imports a statement file (CSV with a header row, or a JSON array of objects) through a saved
/// mapping, under a new name.
public struct ImportStatementRequest: Sendable, Equatable {
    public let mapping: String
    public let name: String
    public let content: [UInt8]

    public init(mapping: String, name: String, content: [UInt8]) {
        self.mapping = mapping
        self.name = name
        self.content = content
    }
}

/// Replaces the matching rules (a JSON array in priority order).
public struct SetReconRulesRequest: Codable, Sendable, Equatable {
    public let rules: String

    public init(rules: String) { self.rules = rules }
}

/// Reconciles a statement against the ledger: optionally one account's transfers and a period
/// (RFC 3339); by default the statement's own period widened by the rules' largest time window.
public struct RunReconRequest: Codable, Sendable, Equatable {
    public let statement: String
    public let account: String?
    public let from: String?
    public let to: String?

    public init(statement: String, account: String? = nil, from: String? = nil, to: String? = nil) {
        self.statement = statement
        self.account = account
        self.from = from
        self.to = to
    }
}
