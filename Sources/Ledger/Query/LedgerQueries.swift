import CofferBase
/// One point of an account's balance history: its balances right after a transfer touched it, or
/// after a pending transfer of it expired.
public struct BalanceHistoryEntry: Sendable, Equatable {
    /// What changed the balances.
    public enum Event: String, Sendable {
        case transfer, expiry
    }

    public let event: Event
    /// The transfer that touched the account; for an expiry, the pending transfer that expired.
    public let transferID: LedgerID
    /// Commit timestamp in nanoseconds since 1970.
    public let timestamp: UInt64
    public let balances: AccountBalances

    public init(event: Event, transferID: LedgerID, timestamp: UInt64, balances: AccountBalances) {
        self.event = event
        self.transferID = transferID
        self.timestamp = timestamp
        self.balances = balances
    }

    /// Where the page after this entry starts.
    public var cursor: PageCursor { PageCursor(position: timestamp, key: transferID.value) }
}

/// Which committed transfers to list; the filters combine (all must hold). Times are nanoseconds,
/// `from` inclusive and `to` exclusive.
public struct TransferQuery: Sendable, Equatable {
    /// The most rows one page of any ledger query holds.
    public static let maximumLimit = 10_000

    /// Returns `limit` if it is a usable page size (1...`maximumLimit`), else throws.
    public static func validate(limit: Int) throws(LedgerError) -> Int {
        guard (1...maximumLimit).contains(limit) else { throw LedgerError("limit \(limit) is out of range; use 1 to \(maximumLimit)") }
        return limit
    }

    public var account: LedgerID?
    public var reference: String?
    public var from: UInt64?
    public var to: UInt64?
    public var limit: Int
    public var cursor: PageCursor?
    /// Only transfers whose ids are in this tenant's scope (a tenant's listing).
    public var scope: TenantScope?

    public init(
        account: LedgerID? = nil, reference: String? = nil, from: UInt64? = nil, to: UInt64? = nil, limit: Int = 100,
        cursor: PageCursor? = nil, scope: TenantScope? = nil
    ) {
        self.scope = scope
        self.account = account
        self.reference = reference
        self.from = from
        self.to = to
        self.limit = limit
        self.cursor = cursor
    }
}

/// Per asset, the sums over all its accounts. In double entry, debits equal credits, posted and
/// pending alike; the sums are exact even beyond 2^128 (see `LedgerSum`).
public struct AssetTotals: Sendable, Equatable {
    public let asset: String
    public let debitsPosted: LedgerSum
    public let creditsPosted: LedgerSum
    public let debitsPending: LedgerSum
    public let creditsPending: LedgerSum

    public init(asset: String, debitsPosted: LedgerSum, creditsPosted: LedgerSum, debitsPending: LedgerSum, creditsPending: LedgerSum) {
        self.asset = asset
        self.debitsPosted = debitsPosted
        self.creditsPosted = creditsPosted
        self.debitsPending = debitsPending
        self.creditsPending = creditsPending
    }

    /// True when the double-entry invariant holds for this asset.
    public var isBalanced: Bool { debitsPosted == creditsPosted && debitsPending == creditsPending }
}

/// A sum of many UInt128 amounts that cannot overflow: 256 bits, as four 64-bit limbs, least
/// significant first. Printed as an exact decimal string.
public struct LedgerSum: Sendable, Equatable, CustomStringConvertible {
    private var limbs: [UInt64] = [0, 0, 0, 0]

    public init() {}

    public init(_ value: UInt128) { add(value) }

    /// Parses exact decimal digits (as PostgreSQL prints a NUMERIC sum); nil for anything else or
    /// a value of 2^256 or more.
    public init?(decimal text: String) {
        guard !text.isEmpty, text.utf8.allSatisfy({ (48...57).contains($0) }) else { return nil }
        for digit in text.utf8 {
            var carry = UInt64(digit - 48)
            for index in 0..<4 {
                let (high, low) = limbs[index].multipliedFullWidth(by: 10)
                let (sum, overflow) = low.addingReportingOverflow(carry)
                limbs[index] = sum
                carry = high + (overflow ? 1 : 0)
            }
            guard carry == 0 else { return nil }
        }
    }

    /// Adds `value`; a sum of fewer than 2^128 amounts always fits.
    public mutating func add(_ value: UInt128) {
        var carry: UInt64 = 0
        for index in 0..<4 {
            let part: UInt64 = index == 0 ? UInt64(truncatingIfNeeded: value) : index == 1 ? UInt64(truncatingIfNeeded: value >> 64) : 0
            let (first, overflowA) = limbs[index].addingReportingOverflow(part)
            let (second, overflowB) = first.addingReportingOverflow(carry)
            limbs[index] = second
            carry = (overflowA ? 1 : 0) + (overflowB ? 1 : 0)
        }
    }

    /// The exact decimal digits.
    public var description: String {
        var remaining = limbs
        var groups: [UInt64] = []
        let base: UInt64 = 10_000_000_000_000_000_000
        repeat {
            var remainder: UInt64 = 0
            for index in stride(from: 3, through: 0, by: -1) {
                let (quotient, rest) = base.dividingFullWidth((high: remainder, low: remaining[index]))
                remaining[index] = quotient
                remainder = rest
            }
            groups.append(remainder)
        } while remaining.contains(where: { $0 != 0 })
        var text = String(groups.last ?? 0)
        for group in groups.dropLast().reversed() {
            let digits = String(group)
            text += String(repeating: "0", count: 19 - digits.count) + digits
        }
        return text
    }
}
