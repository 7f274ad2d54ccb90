/// The read behind `PendingExpiryStore.nextExpiry()`, one text for both stores.
enum LedgerExpirySQL {
    /// The earliest `expires_at` of a pending transfer without an outcome; no row when there is none.
    ///
    /// It walks the index on (expires_at, id) (ledger migration 6 on SQLite, 4 on PostgreSQL) in
    /// order and stops at the first transfer without an outcome; the index carries the id, so
    /// each probe of `ledger_pending_outcomes` needs no table row. The walk starts after the last
    /// batch's clock reading: every commit expires all pending transfers due by its clock before
    /// anything else (`LedgerEngine.apply`), so none due by then is still open, and the transfers
    /// already posted, voided or expired before it are skipped without a probe. Without that bound
    /// every poll would walk past every pending transfer with a timeout the ledger ever held.
    /// (A commit that wrote nothing expired nothing, so only written batches matter.)
    static let nextExpiry = """
        SELECT t.expires_at FROM ledger_transfers t
        WHERE t.expires_at IS NOT NULL
          AND t.expires_at > COALESCE((SELECT b.timestamp FROM ledger_batches b ORDER BY b.seq DESC LIMIT 1), -1)
          AND NOT EXISTS (SELECT 1 FROM ledger_pending_outcomes o WHERE o.pending_id = t.id)
        ORDER BY t.expires_at LIMIT 1
        """
}
