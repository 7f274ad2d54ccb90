public import CofferBase
import Crypto
import Foundation
import WalletCore
import Ledger
import Tenancy

/// The audit export: every ledger transfer committed in a period and every audit record of the
/// vault's tamper-evident chain written in it, as JSON Lines, closed by a line with the SHA-256
/// of every line before it, so a copy handed to an auditor can be checked for completeness and
/// for changes.
extension ReportService {
    /// Lines: `{"type":"transfer","transfer":{…}}` in commit order, `{"type":"audit","record":{…}}`
    /// in chain order, then `{"type":"checksum","algorithm":"sha256","value","transfers","audit_records","from","to"}`
    /// (the hash of every byte before it, newlines included). `from` and `to` are RFC 3339; `to`
    /// is exclusive. The caller's own: a tenant's transfers and audit records, or all of them.
    public func auditExport(from: String, to: String, by caller: Caller) async throws -> [UInt8] {
        try caller.require(.admin)
        let start: UInt64, end: UInt64
        do { (start, end) = (try LedgerTime.parseRFC3339(from), try LedgerTime.parseRFC3339(to)) } catch {
            throw ServiceError.invalid("from and to must be RFC 3339 times: \(error.description)")
        }
        guard start < end else { throw ServiceError.invalid("from must be before to") }
        var out: [UInt8] = []
        var transfers = 0, records = 0
        var cursor: PageCursor?
        repeat {
            let page = try await ledgerService.transfers(TransferListQuery(from: from, to: to), page: PageRequest(limit: 1_000, after: cursor), by: caller)
            for transfer in page.items {
                try JSONEncoding.encode(ExportLine(type: "transfer", transfer: transfer, record: nil), into: &out)
                out.append(0x0A)
                transfers += 1
            }
            cursor = page.nextCursor
        } while cursor != nil
        repeat {
            let page = try await audit.records(page: PageRequest(limit: AuditService.maximumPage, after: cursor), by: caller)
            for record in page.items {
                guard let time = try? LedgerTime.parseRFC3339(record.time), time >= start, time < end else { continue }
                try JSONEncoding.encode(ExportLine(type: "audit", transfer: nil, record: record), into: &out)
                out.append(0x0A)
                records += 1
            }
            cursor = page.nextCursor
        } while cursor != nil
        let digest = Hex.encode(Array(SHA256.hash(data: out)))
        try JSONEncoding.encode(ExportChecksum(value: digest, transfers: transfers, auditRecords: records, from: from, to: to), into: &out)
        out.append(0x0A)
        return out
    }

    /// Checks an export: the last line's checksum against every byte before it.
    public static func verifyAuditExport(_ bytes: [UInt8]) -> Bool {
        guard bytes.last == 0x0A else { return false }
        // A period with nothing in it is the checksum line alone, of no bytes before it.
        let cut = bytes.dropLast().lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let body = bytes[..<cut], last = bytes[cut..<(bytes.count - 1)]
        guard let value = try? JSONValue(parsing: last), case .string(let expected)? = value["value"] else { return false }
        return Hex.encode(Array(SHA256.hash(data: Array(body)))) == expected
    }
}

struct ExportLine: Encodable {
    let type: String
    let transfer: TransferView?
    let record: AuditRecordView?

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        if let transfer { try container.encode(transfer, forKey: .transfer) }
        if let record { try container.encode(record, forKey: .record) }
    }

    enum CodingKeys: String, CodingKey { case type, transfer, record }
}

struct ExportChecksum: Encodable {
    let type = "checksum"
    let algorithm = "sha256"
    let value: String
    let transfers: Int
    let auditRecords: Int
    let from: String
    let to: String

    enum CodingKeys: String, CodingKey {
        case type, algorithm, value, transfers, from, to
        case auditRecords = "audit_records"
    }
}
