public import CofferStorage
import CofferBase
/// The ledger's schema on PostgreSQL: the same tables as on SQLite, with amounts as
/// NUMERIC(39,0) (every UInt128 fits; CHECK keeps them non-negative) and timestamps as BIGINT
/// nanoseconds. Committed rows are never updated or deleted: a trigger refuses UPDATE, DELETE and
/// TRUNCATE on every append-only table; only `ledger_account_balances` rows change.
public enum PostgresLedgerMigrations {
    static let appendOnlyTables = [
        "ledger_assets", "ledger_accounts", "ledger_batches", "ledger_transfers", "ledger_pending_outcomes", "ledger_balance_history",
    ]

    public static let all: [PostgresMigration] = [
        PostgresMigration(domain: "ledger", number: 1, name: "accounts-transfers-batches", sql: [
            """
            CREATE TABLE ledger_assets (
                code text PRIMARY KEY,
                decimals smallint NOT NULL CHECK (decimals BETWEEN 0 AND 30),
                chain text,
                contract text,
                timestamp bigint NOT NULL
            )
            """,
            """
            CREATE TABLE ledger_accounts (
                id text PRIMARY KEY,
                asset text NOT NULL REFERENCES ledger_assets(code),
                owner text NOT NULL,
                code integer NOT NULL,
                metadata text NOT NULL,
                flags bigint NOT NULL,
                timestamp bigint NOT NULL
            )
            """,
            """
            CREATE TABLE ledger_account_balances (
                account_id text PRIMARY KEY REFERENCES ledger_accounts(id),
                debits_pending numeric(39,0) NOT NULL CHECK (debits_pending >= 0),
                debits_posted numeric(39,0) NOT NULL CHECK (debits_posted >= 0),
                credits_pending numeric(39,0) NOT NULL CHECK (credits_pending >= 0),
                credits_posted numeric(39,0) NOT NULL CHECK (credits_posted >= 0)
            )
            """,
            """
            CREATE TABLE ledger_batches (
                seq bigint PRIMARY KEY,
                timestamp bigint NOT NULL,
                transfer_count integer NOT NULL,
                outcome_count integer NOT NULL,
                prev_hash bytea NOT NULL,
                hash bytea NOT NULL
            )
            """,
            """
            CREATE TABLE ledger_transfers (
                id text PRIMARY KEY,
                batch bigint NOT NULL REFERENCES ledger_batches(seq),
                debit_account_id text NOT NULL,
                credit_account_id text NOT NULL,
                asset text NOT NULL,
                amount numeric(39,0) NOT NULL CHECK (amount >= 0),
                request_debit_account_id text,
                request_credit_account_id text,
                request_asset text,
                request_amount numeric(39,0) NOT NULL CHECK (request_amount >= 0),
                flags bigint NOT NULL,
                pending_id text,
                timeout bigint NOT NULL,
                code integer NOT NULL,
                reference text NOT NULL,
                metadata text NOT NULL,
                timestamp bigint NOT NULL UNIQUE,
                expires_at bigint
            )
            """,
            "CREATE INDEX ledger_transfers_debit ON ledger_transfers (debit_account_id, timestamp)",
            "CREATE INDEX ledger_transfers_credit ON ledger_transfers (credit_account_id, timestamp)",
            "CREATE INDEX ledger_transfers_reference_time ON ledger_transfers (reference, timestamp) WHERE reference <> ''",
            "CREATE INDEX ledger_transfers_expiry ON ledger_transfers (expires_at) WHERE expires_at IS NOT NULL",
            """
            CREATE TABLE ledger_pending_outcomes (
                pending_id text PRIMARY KEY,
                batch bigint NOT NULL REFERENCES ledger_batches(seq),
                kind text NOT NULL CHECK (kind IN ('posted', 'voided', 'expired')),
                transfer_id text,
                timestamp bigint NOT NULL
            )
            """,
            "CREATE INDEX ledger_pending_outcomes_timestamp ON ledger_pending_outcomes (timestamp)",
            """
            CREATE TABLE ledger_balance_history (
                account_id text NOT NULL,
                timestamp bigint NOT NULL,
                debits_pending numeric(39,0) NOT NULL,
                debits_posted numeric(39,0) NOT NULL,
                credits_pending numeric(39,0) NOT NULL,
                credits_posted numeric(39,0) NOT NULL,
                PRIMARY KEY (account_id, timestamp)
            )
            """,
            """
            CREATE FUNCTION ledger_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
            END $$
            """,
        ] + appendOnlyTables.flatMap { table in
            [
                "CREATE TRIGGER \(table)_append_only BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
                "CREATE TRIGGER \(table)_no_truncate BEFORE TRUNCATE ON \(table) FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
            ]
        } + [
            "CREATE TRIGGER ledger_account_balances_no_delete BEFORE DELETE ON ledger_account_balances FOR EACH ROW EXECUTE FUNCTION ledger_refuse_change()",
            "CREATE TRIGGER ledger_account_balances_no_truncate BEFORE TRUNCATE ON ledger_account_balances FOR EACH STATEMENT EXECUTE FUNCTION ledger_refuse_change()",
        ]),
        // As SQLite's migration 3: each transfer row carries both accounts' balances after it;
        // history rows remain for expiries only. Existing rows move over once, with the
        // append-only triggers disabled inside this migration's transaction alone.
        PostgresMigration(domain: "ledger", number: 2, name: "balances-in-transfer-rows", sql: LedgerMigrations.transferBalanceColumns.map { column in
            "ALTER TABLE ledger_transfers ADD COLUMN \(column) numeric(39,0) CHECK (\(column) >= 0)"
        } + [
            "ALTER TABLE ledger_transfers DISABLE TRIGGER ledger_transfers_append_only",
            "ALTER TABLE ledger_balance_history DISABLE TRIGGER ledger_balance_history_append_only",
            """
            UPDATE ledger_transfers t SET \(LedgerMigrations.transferBalanceSources.map { column, side, balance in
                "\(column) = \(side == "debit" ? "d" : "c").\(balance)"
            }.joined(separator: ", "))
            FROM ledger_balance_history d, ledger_balance_history c
            WHERE d.account_id = t.debit_account_id AND d.timestamp = t.timestamp
              AND c.account_id = t.credit_account_id AND c.timestamp = t.timestamp
            """,
            "DELETE FROM ledger_balance_history h USING ledger_transfers t WHERE t.timestamp = h.timestamp",
            "ALTER TABLE ledger_transfers ENABLE TRIGGER ledger_transfers_append_only",
            "ALTER TABLE ledger_balance_history ENABLE TRIGGER ledger_balance_history_append_only",
            """
            DO $$
            DECLARE incomplete text;
            BEGIN
                SELECT id INTO incomplete FROM ledger_transfers
                WHERE \(LedgerMigrations.transferBalanceColumns.map { "\($0) IS NULL" }.joined(separator: " OR ")) LIMIT 1;
                IF incomplete IS NOT NULL THEN
                    RAISE EXCEPTION 'corrupt ledger database: transfer % has no balance-history rows to move into it', incomplete;
                END IF;
            END $$
            """,
        ]),
        // Commit cost on PostgreSQL (measured with log_min_duration_statement on a batch of
        // 8,000; docs/benchmarks.md): the foreign keys from transfers and outcomes to their batch
        // ran a referential-integrity trigger per inserted row, although every row references the
        // batch inserted just before it in the same transaction, and `verify` reports any row
        // whose batch is not in the chain. And each balance update wrote a new index entry because
        // the balance pages had no room for a heap-only (HOT) update; a fill factor leaves room.
        PostgresMigration(domain: "ledger", number: 3, name: "commit-costs", sql: [
            "ALTER TABLE ledger_transfers DROP CONSTRAINT ledger_transfers_batch_fkey",
            "ALTER TABLE ledger_pending_outcomes DROP CONSTRAINT ledger_pending_outcomes_batch_fkey",
            "ALTER TABLE ledger_account_balances SET (fillfactor = 50)",
        ]),
        // As SQLite's migration 6: the pending-expiry pulse's `nextExpiry` and each commit's sweep
        // for due pending transfers walk (expires_at, id) in order, reading the id for the outcome
        // probe from the index; it replaces the index on expires_at alone.
        PostgresMigration(domain: "ledger", number: 4, name: "pending-expiry-index", sql: [
            "CREATE INDEX ledger_transfers_expiry_id ON ledger_transfers (expires_at, id) WHERE expires_at IS NOT NULL",
            "DROP INDEX ledger_transfers_expiry",
        ]),
        // As SQLite's migration 7: accounts by owner and asset.
        PostgresMigration(domain: "ledger", number: 5, name: "accounts-by-owner", sql: [
            "CREATE INDEX ledger_accounts_owner ON ledger_accounts (owner, asset)",
        ]),
    ]
}
