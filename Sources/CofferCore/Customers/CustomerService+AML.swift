import CofferBase
import Crypto
import WalletCore
import Tenancy
import Vault
public import Customers
import Foundation
import Ledger

extension CustomerService {
    /// Replaces the screening list `name` with the addresses of a CSV text: one address per row
    /// in the first column (a header row `address` is skipped; further columns are ignored).
    public func importScreeningList(name: String, csv: String, by caller: Caller) async throws -> ScreeningImportView {
        var addresses: [String] = []
        for (number, line) in csv.split(whereSeparator: \.isNewline).enumerated() {
            let field = line.split(separator: ",", omittingEmptySubsequences: false).first.map {
                $0.trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            } ?? ""
            if field.isEmpty || (number == 0 && field.lowercased() == "address") { continue }
            addresses.append(field)
        }
        return try await importScreeningList(name: name, addresses: addresses, by: caller)
    }

    /// Replaces the screening list `name` with `addresses`, in one transaction (audited).
    public func importScreeningList(name: String, addresses: [String], by caller: Caller) async throws -> ScreeningImportView {
        try caller.require(.admin)
        guard (1...64).contains(name.utf8.count), name.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f }) else {
            throw ServiceError.invalid("list name: 1-64 printable ASCII characters without spaces")
        }
        for (index, address) in addresses.enumerated() {
            guard (1...128).contains(address.utf8.count), address.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7f && $0 != UInt8(ascii: ",") }) else {
                throw ServiceError.invalid("address \(index + 1): \"\(address.prefix(40))\" is not an address (1-128 printable characters)")
            }
        }
        guard !addresses.isEmpty else { throw ServiceError.invalid("the list holds no addresses: one address per line, first column") }
        guard addresses.count <= 1_000_000 else { throw ServiceError.invalid("at most 1,000,000 addresses per list") }
        let count = try await store.replaceScreeningList(name, addresses: addresses, scope: Self.scope(caller), at: clock())
        try await store.audit(audit(caller, "aml.screening.import", name, "addresses=\(count)"), time: Self.auditTime)
        return ScreeningImportView(list: name, addresses: count)
    }

    /// The time range of a scan or report: RFC 3339 bounds, by default the last 30 days.
    func range(from: String?, to: String?) throws(ServiceError) -> (from: Int64, to: Int64) {
        let end = try to.map { text throws(ServiceError) in try Self.parseTime(text, field: "to") } ?? clock() + 1
        let start = try from.map { text throws(ServiceError) in try Self.parseTime(text, field: "from") } ?? end - 30 * 86_400
        guard start < end else { throw ServiceError.invalid("from must be before to") }
        return (start, end)
    }

    /// Runs the AML rules over the posted movements of customers' accounts in the range (and the
    /// dormant rule's look-back before it), stores the alerts not stored before, and answers all
    /// alerts found, new or not.
    public func scan(from: String?, to: String?, by caller: Caller) async throws -> [AMLAlertView] {
        try caller.require(.admin)
        let range = try range(from: from, to: to)
        let scope = Self.scope(caller)
        // The dormant rule needs each customer's movement before the range.
        let lookBack = range.from - amlSettings.dormantSeconds - 1
        let rows = try await store.ledgerMovements(accountPrefix: caller.tenant?.prefix, from: max(0, lookBack) &* 1_000_000_000,
                                                   to: range.to &* 1_000_000_000)
        var byID: [String: LedgerMovementRow] = [:]
        let movements = rows.map { row in
            let id = row.transferID + (row.outgoing ? "|out" : "|in")
            byID[id] = row
            return AMLMovement(id: id, customer: caller.stored(row.owner), asset: row.asset, direction: row.outgoing ? .outgoing : .incoming,
                               amount: row.amount, at: row.timestamp / 1_000_000_000, counterparty: row.counterparty)
        }
        var decimals: [String: Int] = [:]
        for asset in Set(movements.map(\.asset)) { decimals[asset] = try await ledger.store.asset(asset).map { Int($0.decimals) } }
        var screening: [String: String] = [:]
        for entry in try await store.screening(scope: scope) { screening[entry.address] = entry.list }
        let alerts = AMLScanner.scan(movements, decimals: { decimals[$0] }, screening: ScreeningList(screening), settings: amlSettings)
            .filter { $0.at >= range.from && $0.at < range.to }
        let stored = try alerts.map { alert throws in
            let evidence = alert.evidence.compactMap { id in byID[id].map { row in
                AMLEvidenceView(transfer: caller.local(row.transferID) ?? row.transferID, direction: row.outgoing ? "out" : "in", amount: row.amount,
                                at: LedgerTime.formatRFC3339(UInt64(clamping: row.timestamp)), counterparty: row.counterparty)
            } }
            let amount = evidence.reduce(UInt128(0)) { $0 &+ $1.amount }
            return StoredAMLAlert(key: Self.alertID(scope: scope, key: alert.key), scope: scope, rule: alert.rule.rawValue, customer: alert.customer, asset: alert.asset,
                                  evidence: try JSONEncoding.text(evidence), detail: alert.detail, amount: amount, at: alert.at)
        }
        let new = try await store.record(stored, at: clock())
        var views: [AMLAlertView] = []
        for alert in stored {
            let current = try await store.alert(alert.key) ?? alert
            views.append(try view(current, new: new.contains(alert.key), caller))
        }
        return views
    }

    /// An alert's id: stable across scans (from the scanner's key: rule, customer, asset, first
    /// evidence) and safe in a URL path.
    static func alertID(scope: String, key: String) -> String {
        "aml_" + Hex.encode(Array(SHA256.hash(data: Array((scope + "\u{0}" + key).utf8)).prefix(12)))
    }

    func view(_ alert: StoredAMLAlert, new: Bool, _ caller: Caller) throws -> AMLAlertView {
        let evidence = (try? JSONDecoding.decode([AMLEvidenceView].self, from: Array(alert.evidence.utf8))) ?? []
        return AMLAlertView(key: alert.key, rule: alert.rule, customer: caller.local(alert.customer) ?? alert.customer,
                            asset: LedgerNames(caller).localAsset(alert.asset), detail: alert.detail, amount: alert.amount, at: Self.time(alert.at),
                            evidence: evidence, status: alert.status.rawValue, dispositionBy: alert.dispositionBy,
                            dispositionReason: alert.dispositionReason, new: new)
    }

    /// Stored alerts in the range (by the time of their last evidence).
    public func alerts(from: String?, to: String?, status: String?, by caller: Caller) async throws -> [AMLAlertView] {
        try caller.require(.read)
        let range = try range(from: from, to: to)
        let filter = try status.map { text throws(ServiceError) in
            guard let status = StoredAMLAlert.Status(rawValue: text) else { throw ServiceError.invalid("status must be open, dismissed, escalated or reported") }
            return status
        }
        return try await store.alerts(scope: Self.scope(caller), from: range.from, to: range.to, status: filter).map { try view($0, new: false, caller) }
    }

    /// An operator's decision on an alert: dismissed (a false positive), escalated or reported.
    public func disposition(_ key: String, _ request: AlertDispositionRequest, by caller: Caller) async throws -> AMLAlertView {
        try caller.require(.admin)
        guard let status = StoredAMLAlert.Status(rawValue: request.status), status != .open else {
            throw ServiceError.invalid("status must be dismissed, escalated or reported")
        }
        guard (1...500).contains(request.reason.count) else { throw ServiceError.invalid("reason: 1-500 characters") }
        let stored = key
        guard key.utf8.count <= 64, let alert = try await store.alert(stored), alert.scope == Self.scope(caller) else {
            throw ServiceError.notFound("no alert \"\(key.prefix(80))\"", code: "alert-not-found")
        }
        guard alert.status == .open else { throw ServiceError(.conflict, "alert-dispositioned", "alert \(key) was \(alert.status.rawValue) already") }
        guard try await store.disposition(stored, status: status, by: caller.actor, reason: request.reason,
                                          audit: audit(caller, "aml.alert.disposition", stored, "\(status.rawValue): \(request.reason)"), time: Self.auditTime) else {
            throw ServiceError(.conflict, "alert-dispositioned", "alert \(key) was dispositioned meanwhile")
        }
        return try view(try await store.alert(stored) ?? alert, new: false, caller)
    }

    /// The suspicious-activity report of a range: the rules are run over it first (so the
    /// report is complete), then one row per flagged transaction with the customer, amounts,
    /// rule, evidence and the alert's status. JSON (an array) or CSV (RFC 4180, header row).
    public func report(from: String?, to: String?, format: String, by caller: Caller) async throws -> String {
        try caller.require(.admin)
        guard format == "csv" || format == "json" else { throw ServiceError.invalid("format must be csv or json") }
        let range = try range(from: from, to: to)
        _ = try await scan(from: from, to: to, by: caller)
        let alerts = try await store.alerts(scope: Self.scope(caller), from: range.from, to: range.to).map { try view($0, new: false, caller) }
        var rows: [SuspiciousActivityRow] = []
        var decimals: [String: UInt8] = [:]
        for alert in alerts {
            let stored = LedgerNames(caller).scope.map { (try? $0.assetCode(alert.asset)) ?? alert.asset } ?? alert.asset
            if decimals[alert.asset] == nil { decimals[alert.asset] = try await ledger.store.asset(stored)?.decimals ?? 0 }
            for evidence in alert.evidence {
                rows.append(SuspiciousActivityRow(
                    alert: alert.key, rule: alert.rule, customer: alert.customer, asset: alert.asset, transfer: evidence.transfer,
                    direction: evidence.direction, amount: evidence.amount, amountDisplay: AmountText.display(evidence.amount, decimals: decimals[alert.asset] ?? 0),
                    time: evidence.at, counterparty: evidence.counterparty, detail: alert.detail, status: alert.status))
            }
        }
        if format == "json" { return try JSONEncoding.text(rows) }
        return SuspiciousActivityRow.csv(rows)
    }
}

/// One flagged transaction in a suspicious-activity report.
struct SuspiciousActivityRow: Codable, Sendable {
    let alert: String
    let rule: String
    let customer: String
    let asset: String
    let transfer: String
    let direction: String
    /// Smallest units.
    let amount: UInt128
    /// In the asset's major unit, exact.
    let amountDisplay: String
    let time: String
    let counterparty: String?
    let detail: String
    let status: String

    enum CodingKeys: String, CodingKey {
        case alert, rule, customer, asset, transfer, direction, amount, amountDisplay = "amount_display", time, counterparty, detail, status
    }

    static let header = ["alert", "rule", "customer", "asset", "transfer", "direction", "amount", "amount_display", "time", "counterparty", "detail", "status"]

    /// RFC 4180 with CRLF lines, every field through `CSVField` (formula-guarded, quoted).
    static func csv(_ rows: [SuspiciousActivityRow]) -> String {
        var lines = [header.joined(separator: ",")]
        for row in rows {
            lines.append([row.alert, row.rule, row.customer, row.asset, row.transfer, row.direction, String(row.amount), row.amountDisplay, row.time,
                          row.counterparty ?? "", row.detail, row.status].map(CSVField.text).joined(separator: ","))
        }
        return lines.joined(separator: "\r\n") + "\r\n"
    }
}
