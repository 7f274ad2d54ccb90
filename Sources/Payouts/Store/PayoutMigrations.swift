public import CofferStorage
import Foundation
import GRDB

/// The payout pipeline's tables, in either database: hot wallets per chain, payouts, their
/// batches and each batch's signed attempts, the outputs batches spend, the change they made,
/// and the workers' leases. Amounts are decimal text (UInt128 fits neither engine's integers).
public enum PayoutMigrations {
    static let tables: [String] = [
        """
        CREATE TABLE payout_hot_wallets (
            chain TEXT PRIMARY KEY,
            wallet_id TEXT NOT NULL,
            address TEXT NOT NULL,
            path TEXT NOT NULL,
            fee_account TEXT NOT NULL,
            treasury_account TEXT NOT NULL,
            fallback_fee_rate BIGINT NOT NULL,
            max_fee_rate BIGINT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE payouts (
            seq INTEGER PRIMARY KEY_AUTO,
            id TEXT NOT NULL UNIQUE,
            scope TEXT NOT NULL,
            chain TEXT NOT NULL,
            account TEXT NOT NULL,
            destination TEXT NOT NULL,
            asset TEXT NOT NULL,
            token TEXT NOT NULL,
            amount TEXT NOT NULL,
            fee_hold TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT,
            batch_id TEXT,
            txid TEXT,
            fee TEXT,
            confirmations BIGINT NOT NULL DEFAULT 0,
            block_height BIGINT,
            transfer_base TEXT NOT NULL,
            request_hash TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX payouts_queue ON payouts (chain, status, seq)",
        "CREATE INDEX payouts_scope ON payouts (scope, seq)",
        "CREATE INDEX payouts_batch ON payouts (batch_id)",
        """
        CREATE TABLE payout_batches (
            id TEXT PRIMARY KEY,
            chain TEXT NOT NULL,
            status TEXT NOT NULL,
            attempt INTEGER NOT NULL,
            conflict_height BIGINT,
            reason TEXT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX payout_batches_open ON payout_batches (chain, status)",
        """
        CREATE TABLE payout_attempts (
            batch_id TEXT NOT NULL,
            number INTEGER NOT NULL,
            unsigned TEXT NOT NULL,
            signing_request TEXT NOT NULL,
            raw TEXT,
            txid TEXT,
            fee TEXT NOT NULL,
            size BIGINT NOT NULL,
            broadcast_at BIGINT,
            change_index BIGINT,
            change_amount TEXT,
            change_address TEXT,
            change_path TEXT,
            PRIMARY KEY (batch_id, number)
        )
        """,
        """
        CREATE TABLE payout_spends (
            chain TEXT NOT NULL,
            txid TEXT NOT NULL,
            output_index BIGINT NOT NULL,
            batch_id TEXT NOT NULL,
            PRIMARY KEY (chain, txid, output_index)
        )
        """,
        """
        CREATE TABLE payout_change (
            chain TEXT NOT NULL,
            txid TEXT NOT NULL,
            output_index BIGINT NOT NULL,
            amount TEXT NOT NULL,
            address TEXT NOT NULL,
            wallet_id TEXT NOT NULL,
            path TEXT NOT NULL,
            batch_id TEXT NOT NULL,
            PRIMARY KEY (chain, txid, output_index)
        )
        """,
        """
        CREATE TABLE payout_leases (
            chain TEXT PRIMARY KEY,
            owner TEXT NOT NULL,
            lease_until BIGINT NOT NULL
        )
        """,
    ]

    public static let sqlite: [SchemaMigration] = [
        SchemaMigration(domain: "payouts", number: 1, name: "payouts-batches-attempts") { db in
            for statement in tables {
                try db.execute(sql: statement.replacingOccurrences(of: "PRIMARY KEY_AUTO", with: "PRIMARY KEY AUTOINCREMENT"))
            }
        },
    ]

    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "payouts", number: 1, name: "payouts-batches-attempts", sql: tables.map {
            $0.replacingOccurrences(of: "INTEGER PRIMARY KEY_AUTO", with: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        }),
    ]
}
