public import CofferStorage
import Foundation
import GRDB

/// The receiving side's tables, in either database: chains and their tokens, each syncer's
/// cursor and the recent blocks it read (to find the fork point of a reorganisation), watched
/// addresses, deposits, invoices, and the event outbox.
///
/// Amounts are decimal text (UInt128 fits neither engine's integers); heights and times are
/// 64-bit integers; block heights never come near 2^63.
public enum ChainMigrations {
    static let tables: [String] = [
        """
        CREATE TABLE chain_configs (
            name TEXT PRIMARY KEY,
            scope TEXT NOT NULL,
            network TEXT NOT NULL,
            rpc_url TEXT NOT NULL,
            cookie_file TEXT,
            rpc_user TEXT,
            password_file TEXT,
            confirmations INTEGER NOT NULL,
            start_height BIGINT NOT NULL,
            asset TEXT NOT NULL,
            custody_account TEXT NOT NULL,
            created_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE chain_tokens (
            chain TEXT NOT NULL REFERENCES chain_configs(name),
            contract TEXT NOT NULL,
            asset TEXT NOT NULL,
            decimals INTEGER NOT NULL,
            PRIMARY KEY (chain, contract)
        )
        """,
        """
        CREATE TABLE chain_cursors (
            chain TEXT PRIMARY KEY REFERENCES chain_configs(name),
            next_height BIGINT NOT NULL,
            last_hash TEXT,
            lease_owner TEXT,
            lease_until BIGINT NOT NULL DEFAULT 0
        )
        """,
        """
        CREATE TABLE chain_blocks (
            chain TEXT NOT NULL,
            height BIGINT NOT NULL,
            hash TEXT NOT NULL,
            parent TEXT NOT NULL,
            PRIMARY KEY (chain, height)
        )
        """,
        """
        CREATE TABLE chain_watch (
            chain TEXT NOT NULL,
            lookup TEXT NOT NULL,
            address TEXT NOT NULL,
            account TEXT NOT NULL,
            wallet_id TEXT NOT NULL,
            path TEXT NOT NULL,
            invoice_id TEXT,
            PRIMARY KEY (chain, lookup)
        )
        """,
        """
        CREATE TABLE chain_deposits (
            seq INTEGER PRIMARY KEY_AUTO,
            chain TEXT NOT NULL,
            scope TEXT NOT NULL,
            txid TEXT NOT NULL,
            output_index BIGINT NOT NULL,
            token TEXT NOT NULL,
            address TEXT NOT NULL,
            account TEXT NOT NULL,
            asset TEXT NOT NULL,
            amount TEXT NOT NULL,
            block_height BIGINT,
            block_hash TEXT,
            status TEXT NOT NULL,
            credit_id TEXT,
            reversal_id TEXT,
            generation BIGINT NOT NULL DEFAULT 0,
            invoice_id TEXT,
            seen_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            UNIQUE (chain, txid, output_index, token)
        )
        """,
        "CREATE INDEX chain_deposits_status ON chain_deposits (chain, status, block_height)",
        "CREATE INDEX chain_deposits_block ON chain_deposits (chain, block_hash)",
        "CREATE INDEX chain_deposits_scope ON chain_deposits (scope, seq)",
        "CREATE INDEX chain_deposits_invoice ON chain_deposits (invoice_id)",
        """
        CREATE TABLE chain_invoices (
            seq INTEGER PRIMARY KEY_AUTO,
            id TEXT NOT NULL UNIQUE,
            scope TEXT NOT NULL,
            chain TEXT NOT NULL,
            wallet_id TEXT NOT NULL,
            account TEXT NOT NULL,
            address TEXT NOT NULL,
            asset TEXT NOT NULL,
            token TEXT NOT NULL,
            amount TEXT NOT NULL,
            memo TEXT,
            status TEXT NOT NULL,
            late INTEGER NOT NULL DEFAULT 0,
            received TEXT NOT NULL,
            expires_at BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            paid_at BIGINT
        )
        """,
        "CREATE INDEX chain_invoices_open ON chain_invoices (chain, status, expires_at)",
        "CREATE INDEX chain_invoices_scope ON chain_invoices (scope, seq)",
        """
        CREATE TABLE events (
            seq INTEGER PRIMARY KEY_AUTO,
            scope TEXT NOT NULL,
            type TEXT NOT NULL,
            subject TEXT NOT NULL,
            data TEXT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX events_scope ON events (scope, seq)",
    ]

    /// Migration 2: split rules (on an account or an invoice; `recipients` is the rule's JSON, see
    /// `SplitRule.json`) and the parts of split credits that moved money, by credit id (what a
    /// reversal undoes). Primary key (target, kind), so a block's credits probe it with one list.
    static let splitTables: [String] = [
        """
        CREATE TABLE split_rules (
            target TEXT NOT NULL,
            kind TEXT NOT NULL,
            scope TEXT NOT NULL,
            account TEXT NOT NULL,
            asset TEXT NOT NULL,
            recipients TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (target, kind)
        )
        """,
        """
        CREATE TABLE chain_deposit_splits (
            credit_id TEXT NOT NULL,
            part INTEGER NOT NULL,
            account TEXT NOT NULL,
            amount TEXT NOT NULL,
            transfer_id TEXT NOT NULL,
            PRIMARY KEY (credit_id, part)
        )
        """,
    ]

    /// Migration 3: Coffer's own transactions between its addresses (sweeps, gas top-ups), which
    /// the syncer does not credit as deposits.
    static let internalTables: [String] = [
        """
        CREATE TABLE chain_internal_transactions (
            chain TEXT NOT NULL,
            txid TEXT NOT NULL,
            PRIMARY KEY (chain, txid)
        )
        """,
    ]

    public static let sqlite: [SchemaMigration] = [
        SchemaMigration(domain: "chains", number: 1, name: "chains-deposits-invoices-events") { db in
            for statement in tables {
                try db.execute(sql: statement.replacingOccurrences(of: "PRIMARY KEY_AUTO", with: "PRIMARY KEY AUTOINCREMENT"))
            }
        },
        SchemaMigration(domain: "chains", number: 2, name: "split-rules") { db in
            for statement in splitTables { try db.execute(sql: statement) }
        },
        SchemaMigration(domain: "chains", number: 3, name: "internal-transactions") { db in
            for statement in internalTables { try db.execute(sql: statement) }
        },
    ]

    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "chains", number: 1, name: "chains-deposits-invoices-events", sql: tables.map {
            $0.replacingOccurrences(of: "INTEGER PRIMARY KEY_AUTO", with: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        }),
        PostgresMigration(domain: "chains", number: 2, name: "split-rules", sql: splitTables),
        PostgresMigration(domain: "chains", number: 3, name: "internal-transactions", sql: internalTables),
    ]
}
