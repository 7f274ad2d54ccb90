public import CofferStorage

/// The nonce manager of EVM payouts: each batch of a sending address gets the lowest nonce at or
/// above the node's mined count that no other batch holds, in the same transaction that creates
/// the batch. Holding the nonce in a table whose primary key is (chain, address, nonce) makes a
/// reuse impossible even with several workers; taking the lowest free one leaves no gap; and the
/// floor from the node is what recovers after a crash, a restored database or a transaction sent
/// from the address by hand: nonces the chain consumed are never handed out again.
extension PayoutStore {
    /// Creates a one-payout EVM batch with the next nonce of `sender`: `build` makes its first
    /// attempt for that nonce. Nil when the payout was batched meanwhile (another worker).
    public func createEVMBatch(_ batch: PayoutBatch, payout: String, sender: String, floor: UInt64,
                               alongside: @escaping @Sendable (any SQLConnection) throws -> Void = { _ in },
                               build: @escaping @Sendable (UInt64) throws -> PayoutAttempt) async throws -> UInt64? {
        do {
            return try await database.write { connection in
                let nonce = try Self.nextNonce(chain: batch.chain, sender: sender, floor: floor, on: connection)
                try connection.execute("""
                    INSERT INTO payout_nonces (chain, address, nonce, batch_id) VALUES (\(batch.chain), \(sender), \(Int64(nonce)), \(batch.id))
                    """)
                try Self.insert(batch, taking: [payout], on: connection)
                try Self.insert(try build(nonce), on: connection)
                try alongside(connection)
                return nonce
            }
        } catch is BatchRace {
            return nil
        }
    }

    /// The lowest nonce of `sender` at or above `floor` that no batch holds.
    static func nextNonce(chain: String, sender: String, floor: UInt64, on connection: any SQLConnection) throws -> UInt64 {
        let held = try connection.query("""
            SELECT nonce FROM payout_nonces WHERE chain = \(chain) AND address = \(sender) AND nonce >= \(Int64(floor)) ORDER BY nonce
            """) { UInt64(clamping: try $0.int64(0)) }
        var next = floor
        for nonce in held {
            guard nonce == next else { break }
            next += 1
        }
        return next
    }

    /// The sending address and nonce a batch holds (nil for Bitcoin-like batches).
    public func nonce(batch: String) async throws -> (sender: String, nonce: UInt64)? {
        try await database.read { connection in
            try connection.query("SELECT address, nonce FROM payout_nonces WHERE batch_id = \(batch)") { (try $0.text(0), UInt64(clamping: try $0.int64(1))) }.first
        }
    }

    /// Gives a refused batch's nonce back: nothing was signed with it, so the next payout takes it.
    public static func freeNonce(batch: String, on connection: any SQLConnection) throws {
        try connection.execute("DELETE FROM payout_nonces WHERE batch_id = \(batch)")
    }
}
