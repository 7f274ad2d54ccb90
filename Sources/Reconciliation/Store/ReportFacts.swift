public import CofferStorage

/// What a period report reads from the payout and deposit tables (the Payouts and Chains
/// domains' own tables, read only, by their documented columns): payouts created in the period
/// and deposits credited in it.
public struct ReportFacts: Sendable {
    public struct PayoutFact: Sendable, Equatable {
        public let asset: String
        public let token: String
        public let status: String
        /// The network fee paid, in the chain's native asset (nil until known).
        public let fee: UInt128?
        public let createdAt: Int64
        public let updatedAt: Int64
    }

    public struct DepositFact: Sendable, Equatable {
        public let asset: String
        public let amount: UInt128
    }

    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    public func payouts(scope: String, from: Int64, to: Int64) async throws -> [PayoutFact] {
        try await database.read { connection in
            try connection.query("""
                SELECT asset, token, status, fee, created_at, updated_at FROM payouts
                WHERE scope = \(scope) AND created_at >= \(from) AND created_at < \(to) AND kind = 'payout' ORDER BY seq
                """) { row in
                let fee = try row.optionalText(3)
                return PayoutFact(asset: try row.text(0), token: try row.text(1), status: try row.text(2), fee: fee.flatMap { UInt128($0) },
                                  createdAt: try row.int64(4), updatedAt: try row.int64(5))
            }
        }
    }

    /// Deposits credited to the ledger (and not reversed) first seen in the period.
    public func deposits(scope: String, from: Int64, to: Int64) async throws -> [DepositFact] {
        try await database.read { connection in
            try connection.query("""
                SELECT asset, amount FROM chain_deposits
                WHERE scope = \(scope) AND seen_at >= \(from) AND seen_at < \(to) AND status = 'credited' ORDER BY seq
                """) { row in
                let text = try row.text(1)
                guard let amount = UInt128(text) else { throw StorageError.corrupt("deposit amount \"\(text.prefix(40))\" is not an integer") }
                return DepositFact(asset: try row.text(0), amount: amount)
            }
        }
    }
}
