/// How a transfer behaves.
public struct TransferFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Succeeds or fails together with the next transfer of the batch.
    public static let linked = TransferFlags(rawValue: 1 << 0)
    /// Reserves the amount (pending balances) until posted, voided or expired.
    public static let pending = TransferFlags(rawValue: 1 << 1)
    /// Posts a pending transfer, fully (amount 0 or equal) or partially (a smaller amount).
    public static let postPending = TransferFlags(rawValue: 1 << 2)
    /// Releases a pending transfer.
    public static let voidPending = TransferFlags(rawValue: 1 << 3)
    /// Clamps the amount to what the debit account's credit balance allows.
    public static let balancingDebit = TransferFlags(rawValue: 1 << 4)
    /// Clamps the amount to what the credit account's debit balance allows.
    public static let balancingCredit = TransferFlags(rawValue: 1 << 5)

    /// The wire names, in a fixed order.
    public static let names: [(name: String, flag: TransferFlags)] = [
        ("linked", .linked), ("pending", .pending), ("post_pending", .postPending), ("void_pending", .voidPending),
        ("balancing_debit", .balancingDebit), ("balancing_credit", .balancingCredit),
    ]

    /// The wire names of the flags set, in the fixed order.
    public var names: [String] { Self.names.filter { contains($0.flag) }.map(\.name) }
}

/// A transfer as a client submits it. For post/void, the accounts, asset and amount may be left
/// out (nil, 0): they are taken from the pending transfer.
public struct Transfer: Sendable, Equatable {
    public var id: LedgerID
    public var debitAccountID: LedgerID?
    public var creditAccountID: LedgerID?
    public var amount: UInt128
    public var asset: String?
    public var flags: TransferFlags
    public var pendingID: LedgerID?
    /// Seconds a pending transfer stays reserved; 0 means until posted or voided.
    public var timeout: UInt32
    public var code: UInt16
    public var reference: String
    public var metadata: String

    public init(
        id: LedgerID, debitAccountID: LedgerID?, creditAccountID: LedgerID?, amount: UInt128, asset: String?,
        flags: TransferFlags = [], pendingID: LedgerID? = nil, timeout: UInt32 = 0, code: UInt16 = 0,
        reference: String = "", metadata: String = ""
    ) {
        self.id = id
        self.debitAccountID = debitAccountID
        self.creditAccountID = creditAccountID
        self.amount = amount
        self.asset = asset
        self.flags = flags
        self.pendingID = pendingID
        self.timeout = timeout
        self.code = code
        self.reference = reference
        self.metadata = metadata
    }
}

/// A transfer the ledger committed: the request as submitted plus what the ledger resolved.
public struct CommittedTransfer: Sendable, Equatable {
    public let request: Transfer
    public let debitAccountID: LedgerID
    public let creditAccountID: LedgerID
    public let asset: String
    /// The amount moved: the request's, or the pending amount (full post), or the clamped one (balancing).
    public let amount: UInt128
    /// Commit time in nanoseconds since 1970, unique and increasing across the ledger.
    public let timestamp: UInt64

    public init(request: Transfer, debitAccountID: LedgerID, creditAccountID: LedgerID, asset: String, amount: UInt128, timestamp: UInt64) {
        self.request = request
        self.debitAccountID = debitAccountID
        self.creditAccountID = creditAccountID
        self.asset = asset
        self.amount = amount
        self.timestamp = timestamp
    }

    public var id: LedgerID { request.id }
    public var flags: TransferFlags { request.flags }

    /// When a pending transfer with a timeout stops being postable, in nanoseconds; nil if never.
    public var expiresAt: UInt64? {
        guard request.flags.contains(.pending), request.timeout > 0 else { return nil }
        let (span, spanOverflow) = UInt64(request.timeout).multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, sumOverflow) = timestamp.addingReportingOverflow(span)
        return spanOverflow || sumOverflow ? UInt64.max : sum
    }
}

/// How a pending transfer ended; recorded once, never changed.
public struct PendingOutcome: Sendable, Equatable {
    public enum Kind: String, Sendable {
        case posted, voided, expired
    }

    public let pendingID: LedgerID
    public let kind: Kind
    /// The post or void transfer; nil for an expiry.
    public let transferID: LedgerID?
    public let timestamp: UInt64

    public init(pendingID: LedgerID, kind: Kind, transferID: LedgerID?, timestamp: UInt64) {
        self.pendingID = pendingID
        self.kind = kind
        self.transferID = transferID
        self.timestamp = timestamp
    }
}
