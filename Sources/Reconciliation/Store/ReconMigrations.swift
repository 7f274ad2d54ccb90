public import CofferStorage
import Foundation
import GRDB

/// The reconciliation tables, in either database. Every row carries its tenant's scope (`''` for
/// the operator). Amounts are decimal text of exact integers; times whole seconds since 1970;
/// lists of ids JSON arrays.
public enum ReconMigrations {
    static let tables: [String] = [
        "CREATE TABLE recon_mappings (scope TEXT NOT NULL, name TEXT NOT NULL, body TEXT NOT NULL, created_at BIGINT NOT NULL, PRIMARY KEY (scope, name))",
        """
        CREATE TABLE recon_statements (
            scope TEXT NOT NULL,
            name TEXT NOT NULL,
            mapping TEXT NOT NULL,
            checksum TEXT NOT NULL,
            row_count BIGINT NOT NULL,
            decimals BIGINT,
            first_time BIGINT,
            last_time BIGINT,
            imported_at BIGINT NOT NULL,
            PRIMARY KEY (scope, name)
        )
        """,
        """
        CREATE TABLE recon_statement_rows (
            scope TEXT NOT NULL,
            statement TEXT NOT NULL,
            position BIGINT NOT NULL,
            row_id TEXT NOT NULL,
            amount TEXT NOT NULL,
            asset TEXT NOT NULL,
            time BIGINT NOT NULL,
            reference TEXT NOT NULL,
            description TEXT NOT NULL,
            PRIMARY KEY (scope, statement, position)
        )
        """,
        "CREATE TABLE recon_rules (scope TEXT PRIMARY KEY, body TEXT NOT NULL, updated_at BIGINT NOT NULL)",
        """
        CREATE TABLE recon_runs (
            id INTEGER PRIMARY KEY_AUTO,
            scope TEXT NOT NULL,
            statement TEXT NOT NULL,
            account TEXT,
            from_time BIGINT,
            to_time BIGINT,
            rules TEXT NOT NULL,
            statement_checksum TEXT NOT NULL,
            ledger_checksum TEXT NOT NULL,
            ledger_rows BIGINT NOT NULL,
            statement_rows BIGINT NOT NULL,
            matched BIGINT NOT NULL,
            unmatched_ledger BIGINT NOT NULL,
            unmatched_statement BIGINT NOT NULL,
            exception_count BIGINT NOT NULL,
            duration_micros BIGINT NOT NULL,
            per_rule TEXT NOT NULL,
            trigger TEXT NOT NULL,
            started_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX recon_runs_scope ON recon_runs (scope, id)",
        """
        CREATE TABLE recon_matches (
            run BIGINT NOT NULL,
            position BIGINT NOT NULL,
            rule TEXT NOT NULL,
            ledger TEXT NOT NULL,
            statement TEXT NOT NULL,
            confidence BIGINT NOT NULL,
            amount_difference TEXT NOT NULL,
            PRIMARY KEY (run, position)
        )
        """,
        """
        CREATE TABLE recon_exceptions (
            run BIGINT NOT NULL,
            position BIGINT NOT NULL,
            kind TEXT NOT NULL,
            ledger TEXT NOT NULL,
            statement TEXT NOT NULL,
            amount_difference TEXT,
            detail TEXT NOT NULL,
            item_time BIGINT NOT NULL,
            PRIMARY KEY (run, position)
        )
        """,
        """
        CREATE TABLE recon_corrections (
            id INTEGER PRIMARY KEY_AUTO,
            scope TEXT NOT NULL,
            exception TEXT NOT NULL,
            kind TEXT NOT NULL,
            transfer TEXT NOT NULL,
            transfer_id TEXT NOT NULL,
            reason TEXT NOT NULL,
            hash TEXT NOT NULL,
            proposer TEXT NOT NULL,
            proposed_by TEXT NOT NULL,
            proposed_at BIGINT NOT NULL,
            status TEXT NOT NULL,
            approver TEXT,
            decided_by TEXT,
            decided_at BIGINT,
            result TEXT
        )
        """,
        "CREATE INDEX recon_corrections_exception ON recon_corrections (scope, exception, id)",
        // Runs `coffer serve` makes on its own: daily at a time of day, or after each import.
        """
        CREATE TABLE recon_schedules (
            id INTEGER PRIMARY KEY_AUTO,
            scope TEXT NOT NULL,
            kind TEXT NOT NULL,
            statement TEXT,
            account TEXT,
            time_of_day BIGINT,
            last_run_at BIGINT NOT NULL,
            created_at BIGINT NOT NULL
        )
        """,
    ]

    /// Runs of a chain against the ledger's custody accounts: a run's source, its balance lines,
    /// and the chain of a daily schedule.
    static let chainRuns: [String] = [
        "ALTER TABLE recon_runs ADD COLUMN source TEXT NOT NULL DEFAULT 'statement'",
        // A daily schedule of a chain run names its chain.
        "ALTER TABLE recon_schedules ADD COLUMN chain TEXT",
        """
        CREATE TABLE recon_balances (
            run BIGINT NOT NULL,
            position BIGINT NOT NULL,
            chain TEXT NOT NULL,
            asset TEXT NOT NULL,
            account TEXT NOT NULL,
            height BIGINT NOT NULL,
            block TEXT NOT NULL,
            on_chain TEXT NOT NULL,
            ledger TEXT NOT NULL,
            pending TEXT NOT NULL,
            uncredited TEXT NOT NULL,
            difference TEXT NOT NULL,
            status TEXT NOT NULL,
            PRIMARY KEY (run, position)
        )
        """,
    ]

    public static let sqlite: [SchemaMigration] = [
        SchemaMigration(domain: "recon", number: 1, name: "mappings-statements-rules-runs-corrections") { db in
            for statement in tables {
                try db.execute(sql: statement.replacingOccurrences(of: "PRIMARY KEY_AUTO", with: "PRIMARY KEY AUTOINCREMENT"))
            }
        },
        SchemaMigration(domain: "recon", number: 2, name: "chain-runs") { db in
            for statement in chainRuns { try db.execute(sql: statement) }
        },
    ]

    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "recon", number: 1, name: "mappings-statements-rules-runs-corrections", sql: tables.map {
            $0.replacingOccurrences(of: "INTEGER PRIMARY KEY_AUTO", with: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        }),
        PostgresMigration(domain: "recon", number: 2, name: "chain-runs", sql: chainRuns),
    ]
}
