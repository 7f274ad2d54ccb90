public import CofferBase
import Ledger

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

// MARK: The HTTP API's bodies

/// `POST /v1/recon/mappings`: a mapping as a JSON object.
public struct ReconMappingInput: Codable, Sendable, Equatable {
    public let name: String
    public let mapping: JSONValue

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        mapping = try container.decode(JSONValue.self, forKey: .mapping)
        guard case .object = mapping else {
            throw DecodingError.dataCorruptedError(forKey: .mapping, in: container, debugDescription: "mapping must be an object")
        }
    }
}

/// `POST /v1/recon/statements`: the statement file's text (CSV or a JSON array).
public struct StatementImportInput: Codable, Sendable, Equatable {
    public let mapping: String
    public let name: String
    public let content: String
}

/// `PUT /v1/recon/rules`: the rules in priority order.
public struct ReconRulesInput: Codable, Sendable, Equatable {
    public let rules: [JSONValue]
}

/// `POST /v1/recon/corrections/preview` and, with `approver_id` and `signature`,
/// `POST /v1/recon/corrections`: a correction and the proposer's signature of its message.
public struct CorrectionInput: Codable, Sendable, Equatable {
    public let exception: String
    /// An adjusting transfer, as `POST /v1/transfers` takes one.
    public let transfer: JSONValue?
    /// A posted transfer to reverse, with `transfer_id` for the reversing one.
    public let reverse: String?
    public let transferID: String?
    public let reason: String
    public let approverID: String?
    public let signature: String?

    enum CodingKeys: String, CodingKey {
        case exception, transfer, reverse, reason, signature
        case transferID = "transfer_id", approverID = "approver_id"
    }

    /// The transfer is read as `POST /v1/transfers` reads one (strict: unknown members refused).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        exception = try container.decode(String.self, forKey: .exception)
        transfer = try container.decodeIfPresent(JSONValue.self, forKey: .transfer).flatMap { $0 == .null ? nil : $0 }
        if let transfer {
            do { _ = try TransferJSON.decode(transfer.bytes) } catch {
                throw DecodingError.dataCorruptedError(forKey: .transfer, in: container, debugDescription: error.description)
            }
        }
        reverse = try container.decodeIfPresent(String.self, forKey: .reverse)
        transferID = try container.decodeIfPresent(String.self, forKey: .transferID)
        reason = try container.decode(String.self, forKey: .reason)
        approverID = try container.decodeIfPresent(String.self, forKey: .approverID)
        signature = try container.decodeIfPresent(String.self, forKey: .signature)
    }

    public var draft: CorrectionDraft {
        get throws {
            let text: String? = try transfer.map { value in
                guard case .object = value else { throw ServiceError.invalid("transfer: an object, as POST /v1/transfers takes") }
                return String(decoding: value.bytes, as: UTF8.self)
            }
            return CorrectionDraft(exception: exception, transfer: text, reverse: reverse, transferID: transferID, reason: reason)
        }
    }
}

/// `POST /v1/recon/corrections/{id}/approve|reject`: the approver and its signature of the
/// correction's `approval_message`.
public struct CorrectionDecisionInput: Codable, Sendable, Equatable {
    public let approverID: String
    public let signature: String

    enum CodingKeys: String, CodingKey {
        case approverID = "approver_id", signature
    }
}

/// `POST /v1/recon/corrections/preview`: the message a proposer signs.
public struct CorrectionPreviewView: Encodable, Sendable {
    public let approvalMessage: String

    enum CodingKeys: String, CodingKey { case approvalMessage = "approval_message" }

    public init(approvalMessage: String) { self.approvalMessage = approvalMessage }
}

/// Reconciles a chain (by its name) against the ledger: what Coffer's addresses hold on it, read
/// from its node, next to the custody accounts of its native asset and tokens.
public struct ChainReconRequest: Codable, Sendable, Equatable {
    public let chain: String

    public init(chain: String) { self.chain = chain }
}
