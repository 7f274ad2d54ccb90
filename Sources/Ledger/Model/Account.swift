/// What an account refuses, fixed when it is created.
public struct AccountFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// Debits (posted + pending) may never exceed posted credits: a customer balance that cannot go negative.
    public static let debitsMustNotExceedCredits = AccountFlags(rawValue: 1 << 0)
    /// Credits (posted + pending) may never exceed posted debits.
    public static let creditsMustNotExceedDebits = AccountFlags(rawValue: 1 << 1)
    /// No new transfers may touch the account.
    public static let closed = AccountFlags(rawValue: 1 << 2)

    /// The wire names, in a fixed order.
    public static let names: [(name: String, flag: AccountFlags)] = [
        ("debits-must-not-exceed-credits", .debitsMustNotExceedCredits),
        ("credits-must-not-exceed-debits", .creditsMustNotExceedDebits),
        ("closed", .closed),
    ]
}

/// The four running totals of an account, in smallest units of its asset.
public struct AccountBalances: Sendable, Hashable {
    public var debitsPending: UInt128
    public var debitsPosted: UInt128
    public var creditsPending: UInt128
    public var creditsPosted: UInt128

    public init(debitsPending: UInt128 = 0, debitsPosted: UInt128 = 0, creditsPending: UInt128 = 0, creditsPosted: UInt128 = 0) {
        self.debitsPending = debitsPending
        self.debitsPosted = debitsPosted
        self.creditsPending = creditsPending
        self.creditsPosted = creditsPosted
    }

    public static let zero = AccountBalances()
}

/// A ledger account: one asset, immutable attributes, and balances only transfers change.
public struct Account: Sendable, Equatable {
    public let id: LedgerID
    public let asset: String
    public let owner: String
    public let code: UInt16
    public let metadata: String
    public let flags: AccountFlags
    /// Commit time in nanoseconds since 1970, set by the ledger.
    public let timestamp: UInt64
    public var balances: AccountBalances

    public init(
        id: LedgerID, asset: String, owner: String = "", code: UInt16 = 0, metadata: String = "",
        flags: AccountFlags = [], timestamp: UInt64 = 0, balances: AccountBalances = .zero
    ) {
        self.id = id
        self.asset = asset
        self.owner = owner
        self.code = code
        self.metadata = metadata
        self.flags = flags
        self.timestamp = timestamp
        self.balances = balances
    }
}
