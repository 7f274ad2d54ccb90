import CofferBase
import Crypto
import Foundation

/// One entry of the tamper-evident audit log. `hash` covers every field and the previous
/// record's hash, so altering, removing or reordering any record breaks the chain.
public struct AuditRecord: Sendable, Equatable, Codable {
    public let seq: Int64
    public let recordedAt: String
    public let actor: String
    public let action: String
    public let subject: String
    public let requestHash: String
    public let outcome: String
    public let detail: String
    public let previousHash: [UInt8]
    public let hash: [UInt8]

    /// The hash of the record before the first: 32 zero bytes.
    public static let genesisHash = [UInt8](repeating: 0, count: 32)

    /// SHA-256 over a length-prefixed encoding of every field, so no two different records
    /// encode alike.
    public static func computeHash(
        seq: Int64, recordedAt: String, actor: String, action: String, subject: String,
        requestHash: String, outcome: String, detail: String, previousHash: [UInt8]
    ) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array("coffer-audit-v1".utf8))
        var seqBytes = [UInt8](repeating: 0, count: 8)
        for i in 0..<8 { seqBytes[i] = UInt8(truncatingIfNeeded: UInt64(bitPattern: seq) >> (56 - 8 * UInt64(i))) }
        hasher.update(data: seqBytes)
        for field in [recordedAt, actor, action, subject, requestHash, outcome, detail] {
            let bytes = Array(field.utf8)
            let length = UInt32(truncatingIfNeeded: bytes.count)
            hasher.update(data: [UInt8(length >> 24), UInt8(truncatingIfNeeded: length >> 16), UInt8(truncatingIfNeeded: length >> 8), UInt8(truncatingIfNeeded: length)])
            hasher.update(data: bytes)
        }
        hasher.update(data: previousHash)
        return Array(hasher.finalize())
    }

    public var recomputedHash: [UInt8] {
        Self.computeHash(
            seq: seq, recordedAt: recordedAt, actor: actor, action: action, subject: subject,
            requestHash: requestHash, outcome: outcome, detail: detail, previousHash: previousHash)
    }
}

/// What is being audited, before it gets its place in the chain.
public struct AuditEvent: Sendable, Equatable {
    public var actor: String
    public var action: String
    public var subject: String
    public var requestHash: String
    public var outcome: String
    public var detail: String

    public init(actor: String, action: String, subject: String, requestHash: String = "", outcome: String, detail: String = "") {
        self.actor = actor
        self.action = action
        self.subject = subject
        self.requestHash = requestHash
        self.outcome = outcome
        self.detail = detail
    }
}

/// The result of checking the chain: fine, or the first record that breaks it.
public enum AuditVerification: Sendable, Equatable {
    case intact(records: Int, headHash: [UInt8])
    case broken(seq: Int64, reason: String)
}

/// Walks records in order and finds the first that was altered, removed or reordered.
public enum AuditChain {
    public static func verify(_ records: [AuditRecord]) -> AuditVerification {
        var previous = AuditRecord.genesisHash
        var expectedSeq: Int64 = 1
        for record in records {
            if record.seq != expectedSeq {
                return .broken(seq: record.seq, reason: record.seq > expectedSeq
                    ? "record \(expectedSeq)\(record.seq - expectedSeq > 1 ? "...\(record.seq - 1)" : "") is missing (removed)"
                    : "record \(record.seq) is out of order")
            }
            if record.previousHash != previous {
                return .broken(seq: record.seq, reason: "record \(record.seq) does not follow record \(record.seq - 1): a record before it was altered, removed or reordered")
            }
            if record.recomputedHash != record.hash {
                return .broken(seq: record.seq, reason: "record \(record.seq) was altered: its contents do not match its hash")
            }
            previous = record.hash
            expectedSeq += 1
        }
        return .intact(records: records.count, headHash: previous)
    }
}
