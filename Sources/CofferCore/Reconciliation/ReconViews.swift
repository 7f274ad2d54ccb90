public import CofferBase
public import Reconciliation
import Foundation
import Ledger

/// A saved statement mapping.
public struct ReconMappingView: Encodable, Sendable {
    public let name: String
    public let mapping: JSONValue
}

/// An imported statement: its name, how many rows it holds and the SHA-256 of the file's bytes.
public struct StatementImportView: Encodable, Sendable, Equatable {
    public let statement: String
    public let rows: Int
    public let checksum: String
}

/// The matching rules in force, in priority order.
public struct ReconRulesView: Encodable, Sendable {
    public let rules: JSONValue
}

/// A decimal number written from exact text (durations, confidences): never a float on the wire.
enum ExactNumber {
    /// `micros` as seconds with three decimals, e.g. `6.840`.
    static func seconds(micros: Int64) -> JSONValue {
        let millis = (micros + 500) / 1000
        let fraction = String(millis % 1000)
        return .number("\(millis / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)")
    }

    /// A per-mille value as a number from 0 to 1, e.g. `0.985`, `1`.
    static func fraction(perMille: Int) -> JSONValue {
        if perMille >= 1000 { return .number("1") }
        let text = String(perMille)
        return .number("0." + String(repeating: "0", count: 3 - text.count) + text)
    }
}

/// One rule's share of a run.
public struct ReconRuleFigures: Encodable, Sendable {
    public let name: String
    public let matched: Int
    public let seconds: JSONValue
}

/// A reconciliation run: the counts of what matched and what did not, and how long each rule took.
public struct ReconRunView: Encodable, Sendable {
    public let run: String
    public let statement: String
    public let matched: Int
    public let unmatchedLedger: Int
    public let unmatchedStatement: Int
    public let exceptions: Int
    public let seconds: JSONValue
    public let rules: [ReconRuleFigures]
    public let ledgerRows: Int
    public let statementRows: Int
    public let statementChecksum: String
    public let ledgerChecksum: String
    public let trigger: String
    public let startedAt: String
    /// `statement`, or `chain` for a chain's holdings against the ledger (then `statement` names
    /// the chain, the checksums are of the node's answer and of the custody balances, and
    /// `balances` has a line per asset).
    public let source: String
    public let balances: [ReconBalanceView]

    enum CodingKeys: String, CodingKey {
        case run, matched
        case unmatchedLedger = "unmatched_ledger", unmatchedStatement = "unmatched_statement"
        case exceptions, seconds, rules, statement
        case ledgerRows = "ledger_rows", statementRows = "statement_rows", statementChecksum = "statement_checksum", ledgerChecksum = "ledger_checksum"
        case trigger
        case startedAt = "started_at"
        case source, balances
    }

    init(_ record: ReconRunRecord) {
        run = String(record.id)
        statement = record.statement
        matched = record.matched
        unmatchedLedger = record.unmatchedLedger
        unmatchedStatement = record.unmatchedStatement
        exceptions = record.exceptions
        seconds = ExactNumber.seconds(micros: record.durationMicros)
        rules = record.perRule.map { ReconRuleFigures(name: $0.name, matched: $0.matched, seconds: ExactNumber.seconds(micros: $0.micros)) }
        ledgerRows = record.ledgerRows
        statementRows = record.statementRows
        statementChecksum = record.statementChecksum
        ledgerChecksum = record.ledgerChecksum
        trigger = record.trigger
        startedAt = ReconTime.text(record.startedAt)
        source = record.source
        balances = record.balances.map(ReconBalanceView.init)
    }
}

/// One asset of a chain run, in its smallest unit: what Coffer's addresses hold at `height`,
/// the custody account's posted and pending balances (debits minus credits), deposits mined but
/// not credited yet, and on chain minus ledger. `status` is `balanced`, `in_flight` or `different`.
public struct ReconBalanceView: Encodable, Sendable {
    public let chain: String
    public let asset: String
    public let account: String
    public let height: Int64
    public let block: String
    public let onChain: String
    public let ledger: String
    public let pending: String
    public let uncredited: String
    public let difference: String
    public let status: String

    enum CodingKeys: String, CodingKey {
        case chain, asset, account, height, block
        case onChain = "on_chain"
        case ledger, pending, uncredited, difference, status
    }

    init(_ stored: StoredBalance) {
        chain = stored.chain
        asset = stored.asset
        account = stored.account
        height = stored.height
        block = stored.block
        onChain = stored.onChain
        ledger = stored.ledger
        pending = stored.pending
        uncredited = stored.uncredited
        difference = stored.difference
        status = stored.status
    }
}

/// One match: the rule that made it, the ledger transfers and statement rows it joins, and the
/// engine's confidence (0 to 1).
public struct ReconMatchView: Encodable, Sendable {
    public let rule: String
    public let ledger: [String]
    public let statement: [String]
    public let confidence: JSONValue
    /// Statement minus ledger, in the ledger asset's smallest unit.
    public let amountDifference: String

    enum CodingKeys: String, CodingKey {
        case rule, ledger, statement, confidence
        case amountDifference = "amount_difference"
    }

    init(_ match: StoredMatch) {
        rule = match.rule
        ledger = match.ledger
        statement = match.statement
        confidence = ExactNumber.fraction(perMille: match.confidence)
        amountDifference = match.amountDifference
    }
}

/// Something a run could not match, classified.
public struct ReconExceptionView: Encodable, Sendable {
    public let id: String
    public let kind: String
    public let ledger: [String]
    public let statement: [String]
    /// Statement minus ledger in the smallest unit where both sides are known; else null.
    public let amountDifference: String?
    public let detail: String

    enum CodingKeys: String, CodingKey {
        case id, kind, ledger, statement, detail
        case amountDifference = "amount_difference"
    }

    init(_ exception: StoredException) {
        id = exception.id
        kind = exception.kind
        ledger = exception.ledger
        statement = exception.statement
        amountDifference = exception.amountDifference
        detail = exception.detail
    }
}
