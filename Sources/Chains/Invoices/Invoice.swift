/// Where an invoice stands. `open` until paid or expired; `paid` when the credited payments made
/// before the expiry add up to the amount exactly, `underpaid` / `overpaid` when they fall short or
/// exceed it, `expired` when nothing arrived in time. Payments after the expiry are credited
/// all the same and set `late`.
public enum InvoiceStatus: String, Sendable, CaseIterable, Codable {
    case open, paid, underpaid, overpaid, expired

    public static func parse(_ text: String) throws(ChainError) -> InvoiceStatus {
        guard let status = InvoiceStatus(rawValue: text) else {
            throw ChainError.invalid("status must be one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return status
    }
}

/// A payment request: an amount of an asset on a chain, to a fresh address used for nothing else.
public struct Invoice: Sendable, Equatable {
    public let seq: Int64
    public let id: String
    public let scope: String
    public let chain: String
    public let walletID: String
    public let account: String
    public let address: String
    /// The stored ledger asset code.
    public let asset: String
    /// The token contract, "" for the chain's native asset.
    public let token: String
    public let amount: UInt128
    public let memo: String?
    public let status: InvoiceStatus
    public let late: Bool
    /// Credited so far, on time and late.
    public let received: UInt128
    public let expiresAt: Int64
    public let createdAt: Int64
    public let paidAt: Int64?

    public init(seq: Int64, id: String, scope: String, chain: String, walletID: String, account: String, address: String, asset: String, token: String,
                amount: UInt128, memo: String?, status: InvoiceStatus, late: Bool, received: UInt128, expiresAt: Int64, createdAt: Int64, paidAt: Int64?) {
        self.seq = seq
        self.id = id
        self.scope = scope
        self.chain = chain
        self.walletID = walletID
        self.account = account
        self.address = address
        self.asset = asset
        self.token = token
        self.amount = amount
        self.memo = memo
        self.status = status
        self.late = late
        self.received = received
        self.expiresAt = expiresAt
        self.createdAt = createdAt
        self.paidAt = paidAt
    }

    /// The status the credited payments give: `onTime` arrived (was first seen) by the expiry,
    /// `lateAmount` after it. Pure, so every path (a credit, a reversal, the expiry) agrees.
    public static func status(amount: UInt128, onTime: UInt128, lateAmount: UInt128, expiresAt: Int64, now: Int64) -> InvoiceStatus {
        if onTime == 0 { return now > expiresAt || lateAmount > 0 ? .expired : .open }
        if onTime == amount { return .paid }
        return onTime < amount ? .underpaid : .overpaid
    }
}
