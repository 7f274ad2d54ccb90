public import CofferStorage

/// What a chain run reads from the Chains and Payouts domains' own tables (read only, by their
/// documented columns): which addresses on a chain are Coffer's, and which deposits the chain
/// has mined that the ledger has not credited yet.
public struct ChainReconFacts: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    /// Every address of Coffer's on `chain`: the watched ones (deposit addresses, invoice
    /// addresses, the payout hot wallet) and the change addresses payouts paid themselves.
    public func addresses(chain: String) async throws -> [String] {
        try await database.read { connection in
            try connection.query("""
                SELECT address FROM chain_watch WHERE chain = \(chain) UNION SELECT address FROM payout_change WHERE chain = \(chain) ORDER BY 1
                """) { try $0.text(0) }
        }
    }

    /// Deposits in a block of the best chain but short of the chain's confirmations
    /// (`confirming`), summed per token contract ("" for the native asset).
    public func uncredited(chain: String) async throws -> [String: UInt128] {
        let rows = try await database.read { connection in
            try connection.query("SELECT token, amount FROM chain_deposits WHERE chain = \(chain) AND status = 'confirming' ORDER BY seq") { row in
                (try row.text(0), try row.text(1))
            }
        }
        var sums: [String: UInt128] = [:]
        for (token, text) in rows {
            guard let amount = UInt128(text) else { throw StorageError.corrupt("deposit amount \"\(text.prefix(40))\" is not an integer") }
            let (sum, overflow) = (sums[token] ?? 0).addingReportingOverflow(amount)
            guard !overflow else { throw StorageError.corrupt("deposits confirming on \(chain) sum above 2^128") }
            sums[token] = sum
        }
        return sums
    }
}
