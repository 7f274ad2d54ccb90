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

    /// EVM nonces: one row per nonce handed to a batch of a sending address. The primary key is
    /// the guarantee that no two batches ever get one nonce; a row is deleted only when its batch
    /// was refused before anything was signed, so the nonce goes to the next payout (no gap).
    static let nonces: [String] = [
        """
        CREATE TABLE payout_nonces (
            chain TEXT NOT NULL,
            address TEXT NOT NULL,
            nonce BIGINT NOT NULL,
            batch_id TEXT NOT NULL UNIQUE,
            PRIMARY KEY (chain, address, nonce)
        )
        """,
    ]

    /// What a payout is (a customer's, a sweep, a gas top-up), the address that pays when it is
    /// not the hot wallet's, the route chosen for it, and a sweep's limits.
    static let kinds: [String] = [
        "ALTER TABLE payouts ADD COLUMN kind TEXT NOT NULL DEFAULT 'payout'",
        "ALTER TABLE payouts ADD COLUMN sweep_max_fee_rate BIGINT",
        "ALTER TABLE payouts ADD COLUMN sweep_max_inputs BIGINT",
        "ALTER TABLE payouts ADD COLUMN source_address TEXT",
        "ALTER TABLE payouts ADD COLUMN source_path TEXT",
        "ALTER TABLE payouts ADD COLUMN route TEXT",
    ]

    public static let sqlite: [SchemaMigration] = [
        SchemaMigration(domain: "payouts", number: 1, name: "payouts-batches-attempts") { db in
            for statement in tables {
                try db.execute(sql: statement.replacingOccurrences(of: "PRIMARY KEY_AUTO", with: "PRIMARY KEY AUTOINCREMENT"))
            }
        },
        SchemaMigration(domain: "payouts", number: 2, name: "evm-nonces") { db in
            for statement in nonces { try db.execute(sql: statement) }
        },
        SchemaMigration(domain: "payouts", number: 3, name: "kinds-sources-routes") { db in
            for statement in kinds { try db.execute(sql: statement) }
        },
    ]

    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "payouts", number: 1, name: "payouts-batches-attempts", sql: tables.map {
            $0.replacingOccurrences(of: "INTEGER PRIMARY KEY_AUTO", with: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        }),
        PostgresMigration(domain: "payouts", number: 2, name: "evm-nonces", sql: nonces),
        PostgresMigration(domain: "payouts", number: 3, name: "kinds-sources-routes", sql: kinds),
    ]
}
