public import CofferStorage
import Foundation
import GRDB

/// The customers' tables, in either database. Ids are stored names (a tenant's carry its scope
/// prefix); `scope` is the tenant's prefix ("" for the operator) for listings and per-tenant
/// configuration. Amounts are decimal text, times seconds since 1970.
public enum CustomerMigrations {
    static let tables: [String] = [
        """
        CREATE TABLE customers (
            id TEXT PRIMARY KEY,
            scope TEXT NOT NULL,
            tier TEXT NOT NULL,
            kyc TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX customers_scope ON customers (scope, id)",
        """
        CREATE TABLE customer_kyc_events (
            seq INTEGER PRIMARY KEY_AUTO,
            customer TEXT NOT NULL,
            from_state TEXT NOT NULL,
            to_state TEXT NOT NULL,
            reviewer TEXT NOT NULL,
            reason TEXT NOT NULL,
            documents TEXT NOT NULL,
            tier_before TEXT NOT NULL,
            tier_after TEXT NOT NULL,
            at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX customer_kyc_events_customer ON customer_kyc_events (customer, seq)",
        """
        CREATE TABLE customer_tiers (
            scope TEXT NOT NULL,
            name TEXT NOT NULL,
            rank BIGINT NOT NULL,
            PRIMARY KEY (scope, name)
        )
        """,
        """
        CREATE TABLE customer_limits (
            scope TEXT NOT NULL,
            subject TEXT NOT NULL,
            asset TEXT NOT NULL,
            per_tx TEXT,
            daily TEXT,
            weekly TEXT,
            monthly TEXT,
            payouts_per_hour BIGINT,
            payouts_per_day BIGINT,
            new_destination_per_tx TEXT,
            new_destination_daily TEXT,
            step_up_above TEXT,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (scope, subject, asset)
        )
        """,
        """
        CREATE TABLE customer_limit_entries (
            id TEXT PRIMARY KEY,
            customer TEXT NOT NULL,
            asset TEXT NOT NULL,
            account TEXT NOT NULL,
            amount TEXT NOT NULL,
            at BIGINT NOT NULL,
            state TEXT NOT NULL,
            new_destination INTEGER NOT NULL,
            destination TEXT,
            kind TEXT NOT NULL
        )
        """,
        "CREATE INDEX customer_limit_entries_window ON customer_limit_entries (customer, asset, at)",
        // Set to a new random number by every write of reservations: a process whose last write
        // left this number knows its copy of the windows is still exact.
        "CREATE TABLE customer_limit_writer (id INTEGER PRIMARY KEY, token BIGINT NOT NULL)",
        "INSERT INTO customer_limit_writer (id, token) VALUES (1, 0)",
        // Bumped by every change a limit check depends on (tiers, KYC, limits, raises), so a
        // process may keep what it read until the number moves.
        "CREATE TABLE customer_config (id INTEGER PRIMARY KEY, version BIGINT NOT NULL)",
        "INSERT INTO customer_config (id, version) VALUES (1, 0)",
        """
        CREATE TABLE customer_seen (
            customer TEXT NOT NULL,
            kind TEXT NOT NULL,
            value TEXT NOT NULL,
            first_seen BIGINT NOT NULL,
            PRIMARY KEY (customer, kind, value)
        )
        """,
        """
        CREATE TABLE customer_risk_decisions (
            seq INTEGER PRIMARY KEY_AUTO,
            customer TEXT NOT NULL,
            request_id TEXT NOT NULL,
            score BIGINT NOT NULL,
            decision TEXT NOT NULL,
            reasons TEXT NOT NULL,
            outcome TEXT NOT NULL,
            at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX customer_risk_decisions_customer ON customer_risk_decisions (customer, seq)",
        """
        CREATE TABLE customer_totp (
            customer TEXT PRIMARY KEY,
            secret BLOB NOT NULL,
            algorithm TEXT NOT NULL,
            digits BIGINT NOT NULL,
            period BIGINT NOT NULL,
            last_step BIGINT,
            created_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE customer_step_up_failures (
            seq INTEGER PRIMARY KEY_AUTO,
            customer TEXT NOT NULL,
            at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX customer_step_up_failures_customer ON customer_step_up_failures (customer, at)",
        """
        CREATE TABLE customer_cases (
            id TEXT PRIMARY KEY,
            scope TEXT NOT NULL,
            customer TEXT NOT NULL,
            kind TEXT NOT NULL,
            asset TEXT,
            limit_kind TEXT,
            requested TEXT,
            statement TEXT NOT NULL,
            status TEXT NOT NULL,
            decided_by TEXT,
            decision_reason TEXT,
            raise_amount TEXT,
            expires_at BIGINT,
            created_at BIGINT NOT NULL,
            decided_at BIGINT
        )
        """,
        "CREATE INDEX customer_cases_scope ON customer_cases (scope, status, created_at)",
        "CREATE INDEX customer_cases_raises ON customer_cases (customer, status, expires_at)",
        """
        CREATE TABLE aml_screening (
            scope TEXT NOT NULL,
            address TEXT NOT NULL,
            list TEXT NOT NULL,
            imported_at BIGINT NOT NULL,
            PRIMARY KEY (scope, address, list)
        )
        """,
        """
        CREATE TABLE aml_alerts (
            key TEXT PRIMARY KEY,
            scope TEXT NOT NULL,
            rule TEXT NOT NULL,
            customer TEXT NOT NULL,
            asset TEXT NOT NULL,
            evidence TEXT NOT NULL,
            detail TEXT NOT NULL,
            amount TEXT NOT NULL,
            at BIGINT NOT NULL,
            status TEXT NOT NULL,
            disposition_by TEXT,
            disposition_reason TEXT,
            created_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX aml_alerts_scope ON aml_alerts (scope, at)",
    ]

    /// Reservations are read through the ledger's own indexes (`LimitReservations`): the index by
    /// customer goes, and only entries marked `ahead` (dated later than the ledger's time when they
    /// were made) keep one. Every entry stored before is marked `ahead`, which is always correct
    /// (it only costs the partial index a row), so nothing needs the ledger to migrate them. An
    /// entry of a payout made before is named by the payout's id, not its hold's: settlement
    /// finishes both names (`LedgerPayouts`).
    static let holdNamedEntries: [String] = [
        "ALTER TABLE customer_limit_entries ADD COLUMN ahead INTEGER NOT NULL DEFAULT 1",
        "CREATE INDEX customer_limit_entries_ahead ON customer_limit_entries (customer, asset, at) WHERE ahead = 1",
        "DROP INDEX customer_limit_entries_window",
    ]

    public static let sqlite: [SchemaMigration] = [
        SchemaMigration(domain: "customers", number: 1, name: "customers-limits-step-up-cases-aml") { db in
            for statement in tables {
                try db.execute(sql: statement.replacingOccurrences(of: "PRIMARY KEY_AUTO", with: "PRIMARY KEY AUTOINCREMENT"))
            }
        },
        SchemaMigration(domain: "customers", number: 2, name: "hold-named-entries") { db in
            for statement in holdNamedEntries { try db.execute(sql: statement) }
        },
    ]

    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "customers", number: 1, name: "customers-limits-step-up-cases-aml", sql: tables.map {
            $0.replacingOccurrences(of: "INTEGER PRIMARY KEY_AUTO", with: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
                .replacingOccurrences(of: "BLOB", with: "bytea")
        }),
        PostgresMigration(domain: "customers", number: 2, name: "hold-named-entries", sql: holdNamedEntries),
    ]
}
