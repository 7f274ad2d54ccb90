public import CofferStorage

/// What sweeps read: per deposit address of a wallet, what was credited there and what sweeps
/// took (or are taking) from it.
extension PayoutStore {
    /// A deposit address of a wallet with an asset it holds for Coffer.
    public struct SweepSource: Sendable, Equatable {
        public let address: String
        public let path: String
        /// The token contract (lowercase hex), or "" for the native coin.
        public let token: String
        /// Credited there, less what sweeps that are not final or settled took.
        public let remaining: UInt128
    }

    /// The deposit addresses of `walletID` on `chain` (except `excluding`, the hot wallet's own)
    /// with what is left to sweep per asset, largest first.
    public func sweepSources(chain: String, walletID: String, excluding: String) async throws -> [SweepSource] {
        try await database.read { connection in
            let credited = try connection.query("""
                SELECT lower(d.address), d.token, d.amount, w.path FROM chain_deposits d JOIN chain_watch w ON w.chain = d.chain AND lower(w.address) = lower(d.address)
                WHERE d.chain = \(chain) AND d.status = 'credited' AND w.wallet_id = \(walletID) AND lower(d.address) <> lower(\(excluding))
                """) { (address: try $0.text(0), token: try $0.text(1).lowercased(), amount: try $0.amount(2, "amount"), path: try $0.text(3)) }
            let swept = try connection.query("""
                SELECT lower(source_address), lower(token), amount FROM payouts
                WHERE chain = \(chain) AND kind = 'sweep' AND source_address IS NOT NULL AND status NOT IN ('rejected', 'compensated')
                """) { (address: try $0.text(0), token: try $0.text(1), amount: try $0.amount(2, "amount")) }
            var totals: [String: (path: String, amount: Int128)] = [:]
            for deposit in credited {
                let key = deposit.address + " " + deposit.token
                totals[key] = (deposit.path, (totals[key]?.amount ?? 0) + Int128(deposit.amount))
            }
            for sweep in swept {
                let key = sweep.address + " " + sweep.token
                if let total = totals[key] { totals[key] = (total.path, total.amount - Int128(sweep.amount)) }
            }
            return totals.compactMap { key, total -> SweepSource? in
                guard total.amount > 0 else { return nil }
                let parts = key.split(separator: " ", omittingEmptySubsequences: false)
                return SweepSource(address: String(parts[0]), path: total.path, token: String(parts[1]), remaining: UInt128(total.amount))
            }.sorted { ($0.remaining, $0.address, $0.token) > ($1.remaining, $1.address, $1.token) }
        }
    }

    /// How many credited native deposit outputs of `walletID` on `chain` no batch claims, at
    /// addresses other than `excluding` (the hot wallet's funding address): what a Bitcoin-like
    /// sweep can consolidate.
    public func sweepableOutputs(chain: String, walletID: String, excluding: String) async throws -> Int {
        try await database.read { connection in
            try connection.query("""
                SELECT count(*) FROM chain_deposits d JOIN chain_watch w ON w.chain = d.chain AND w.address = d.address
                WHERE d.chain = \(chain) AND d.token = '' AND d.status = 'credited' AND w.wallet_id = \(walletID) AND d.address <> \(excluding)
                  AND NOT EXISTS (SELECT 1 FROM payout_spends s WHERE s.chain = d.chain AND s.txid = d.txid AND s.output_index = d.output_index)
                """) { Int(try $0.int64(0)) }.first ?? 0
        }
    }

    /// The payouts whose ids start with `prefix` (a sweep request's), oldest first.
    public func payouts(idPrefix prefix: String) async throws -> [Payout] {
        try await database.read { connection in
            try connection.query("""
                SELECT \(raw: Self.payoutColumns) FROM payouts WHERE substr(id, 1, CAST(\(prefix.utf8.count) AS INTEGER)) = \(prefix) ORDER BY seq
                """, Self.payout)
        }
    }
}
