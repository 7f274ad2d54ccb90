import CofferBase
public import CofferStorage
import GRDB

/// The ledger's numbered schema changes. Committed rows are never updated or deleted (triggers
/// refuse it). Since migration 5 nothing is updated at all: an account's current balances are
/// the ones its latest transfer row (or expiry row) records, read through the view
/// `ledger_account_balances`. Amounts are decimal TEXT (UInt128 does not fit SQLite's INTEGER);
/// timestamps are nanoseconds.
public enum LedgerMigrations {
    public static let all: [SchemaMigration] = [
        SchemaMigration(domain: "ledger", number: 1, name: "accounts-transfers-batches") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_assets (
                    code TEXT PRIMARY KEY,
                    decimals INTEGER NOT NULL,
                    chain TEXT,
                    contract TEXT,
                    timestamp INTEGER NOT NULL
                );
                CREATE TABLE ledger_accounts (
                    id TEXT PRIMARY KEY,
                    asset TEXT NOT NULL REFERENCES ledger_assets(code),
                    owner TEXT NOT NULL,
                    code INTEGER NOT NULL,
                    metadata TEXT NOT NULL,
                    flags INTEGER NOT NULL,
                    timestamp INTEGER NOT NULL
                );
                CREATE TABLE ledger_account_balances (
                    account_id TEXT PRIMARY KEY REFERENCES ledger_accounts(id),
                    debits_pending TEXT NOT NULL,
                    debits_posted TEXT NOT NULL,
                    credits_pending TEXT NOT NULL,
                    credits_posted TEXT NOT NULL
                );
                CREATE TABLE ledger_batches (
                    seq INTEGER PRIMARY KEY,
                    timestamp INTEGER NOT NULL,
                    transfer_count INTEGER NOT NULL,
                    outcome_count INTEGER NOT NULL,
                    prev_hash BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                CREATE TABLE ledger_transfers (
                    seq INTEGER PRIMARY KEY,
                    id TEXT NOT NULL UNIQUE,
                    batch INTEGER NOT NULL REFERENCES ledger_batches(seq),
                    debit_account_id TEXT NOT NULL,
                    credit_account_id TEXT NOT NULL,
                    asset TEXT NOT NULL,
                    amount TEXT NOT NULL,
                    request_debit_account_id TEXT,
                    request_credit_account_id TEXT,
                    request_asset TEXT,
                    request_amount TEXT NOT NULL,
                    flags INTEGER NOT NULL,
                    pending_id TEXT,
                    timeout INTEGER NOT NULL,
                    code INTEGER NOT NULL,
                    reference TEXT NOT NULL,
                    metadata TEXT NOT NULL,
                    timestamp INTEGER NOT NULL UNIQUE,
                    expires_at INTEGER
                );
                CREATE INDEX ledger_transfers_debit ON ledger_transfers(debit_account_id, timestamp);
                CREATE INDEX ledger_transfers_credit ON ledger_transfers(credit_account_id, timestamp);
                CREATE INDEX ledger_transfers_reference ON ledger_transfers(reference) WHERE reference <> '';
                CREATE INDEX ledger_transfers_expiry ON ledger_transfers(expires_at) WHERE expires_at IS NOT NULL;
                CREATE TABLE ledger_pending_outcomes (
                    pending_id TEXT PRIMARY KEY,
                    batch INTEGER NOT NULL REFERENCES ledger_batches(seq),
                    kind TEXT NOT NULL CHECK (kind IN ('posted', 'voided', 'expired')),
                    transfer_id TEXT,
                    timestamp INTEGER NOT NULL
                );
                CREATE TABLE ledger_balance_history (
                    account_id TEXT NOT NULL,
                    timestamp INTEGER NOT NULL,
                    debits_pending TEXT NOT NULL,
                    debits_posted TEXT NOT NULL,
                    credits_pending TEXT NOT NULL,
                    credits_posted TEXT NOT NULL,
                    PRIMARY KEY (account_id, timestamp)
                ) WITHOUT ROWID;
                """)
            for table in ["ledger_assets", "ledger_accounts", "ledger_batches", "ledger_transfers", "ledger_pending_outcomes", "ledger_balance_history"] {
                try db.execute(sql: """
                    CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table)
                        BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END;
                    CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table)
                        BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END;
                    """)
            }
            try db.execute(sql: """
                CREATE TRIGGER ledger_account_balances_no_delete BEFORE DELETE ON ledger_account_balances
                    BEGIN SELECT RAISE(ABORT, 'ledger_account_balances rows are never deleted'); END;
                """)
        },
        // Queries: transfers by reference page on (reference, timestamp) (the query repeats the
        // partial index's condition so SQLite can use it with a bound reference); history entries
        // find the expiry that produced them by timestamp.
        SchemaMigration(domain: "ledger", number: 2, name: "query-indexes") { db in
            try db.execute(sql: """
                DROP INDEX ledger_transfers_reference;
                CREATE INDEX ledger_transfers_reference_time ON ledger_transfers(reference, timestamp) WHERE reference <> '';
                CREATE INDEX ledger_pending_outcomes_timestamp ON ledger_pending_outcomes(timestamp);
                """)
        },
        // The balance history moves into the transfer rows: each transfer stores both accounts'
        // balances after it, so a commit appends one row per transfer instead of three (the two
        // history rows landed at random places in an index keyed by account; on a batch of 8,000
        // they cost about as much as everything else together, see docs/benchmarks.md). History
        // rows remain only for expiries, which have no transfer row. Existing rows move over once,
        // with the append-only triggers lifted inside this migration's transaction alone.
        SchemaMigration(domain: "ledger", number: 3, name: "balances-in-transfer-rows") { db in
            for column in transferBalanceColumns {
                try db.execute(sql: "ALTER TABLE ledger_transfers ADD COLUMN \(column) TEXT")
            }
            let assignments = transferBalanceSources.map { column, side, balance in
                """
                \(column) = (SELECT h.\(balance) FROM ledger_balance_history h
                    WHERE h.account_id = ledger_transfers.\(side)_account_id AND h.timestamp = ledger_transfers.timestamp)
                """
            }
            try db.execute(sql: """
                DROP TRIGGER ledger_transfers_no_update;
                DROP TRIGGER ledger_balance_history_no_delete;
                UPDATE ledger_transfers SET \(assignments.joined(separator: ", "));
                DELETE FROM ledger_balance_history WHERE timestamp IN (SELECT timestamp FROM ledger_transfers);
                CREATE TRIGGER ledger_transfers_no_update BEFORE UPDATE ON ledger_transfers
                    BEGIN SELECT RAISE(ABORT, 'ledger_transfers is append-only'); END;
                CREATE TRIGGER ledger_balance_history_no_delete BEFORE DELETE ON ledger_balance_history
                    BEGIN SELECT RAISE(ABORT, 'ledger_balance_history is append-only'); END;
                """)
            let incomplete = try String.fetchOne(db, sql: """
                SELECT id FROM ledger_transfers WHERE \(transferBalanceColumns.map { "\($0) IS NULL" }.joined(separator: " OR ")) LIMIT 1
                """)
            if let incomplete {
                throw LedgerError.corrupt("transfer \(incomplete) has no balance-history rows to move into it")
            }
        },
        // The balances table becomes WITHOUT ROWID, keyed by account id: a commit updates up to
        // 16,000 rows by that key, and a rowid table made each update look the key up in its
        // automatic index first, then seek the row by rowid.
        SchemaMigration(domain: "ledger", number: 4, name: "balances-without-rowid") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_account_balances_by_id (
                    account_id TEXT PRIMARY KEY REFERENCES ledger_accounts(id),
                    debits_pending TEXT NOT NULL,
                    debits_posted TEXT NOT NULL,
                    credits_pending TEXT NOT NULL,
                    credits_posted TEXT NOT NULL
                ) WITHOUT ROWID;
                INSERT INTO ledger_account_balances_by_id SELECT account_id, debits_pending, debits_posted, credits_pending, credits_posted
                    FROM ledger_account_balances;
                DROP TABLE ledger_account_balances;
                ALTER TABLE ledger_account_balances_by_id RENAME TO ledger_account_balances;
                CREATE TRIGGER ledger_account_balances_no_delete BEFORE DELETE ON ledger_account_balances
                    BEGIN SELECT RAISE(ABORT, 'ledger_account_balances rows are never deleted'); END;
                """)
        },
        // The balances table goes: the transfer rows already record both accounts' balances after
        // each transfer, so the latest row of an account (as debit or credit account, or its latest
        // expiry row) holds its current balances, three index probes away. Updating up to 16,000
        // balance rows per commit (random pages all over the table, written to the WAL again on
        // every commit) cost about a tenth of a full commit and a third of the pages a commit of
        // single transfers wrote. A view keeps the table's name and columns for readers. The
        // migration refuses to drop a table that disagrees with the transfer rows.
        SchemaMigration(domain: "ledger", number: 5, name: "balances-from-transfer-rows") { db in
            try db.execute(sql: "CREATE TEMP VIEW ledger_derived_balances AS \(derivedBalances)")
            let disagreeing = try String.fetchOne(db, sql: """
                SELECT b.account_id FROM ledger_account_balances b JOIN ledger_derived_balances d ON d.account_id = b.account_id
                WHERE \(balanceNames.map { "b.\($0) <> d.\($0)" }.joined(separator: " OR ")) LIMIT 1
                """)
            if let disagreeing {
                throw LedgerError("""
                    corrupt ledger database: the stored balances of account \(disagreeing) are not the ones its transfer rows \
                    record; run `coffer ledger verify` with the previous version
                    """)
            }
            try db.execute(sql: """
                DROP VIEW temp.ledger_derived_balances;
                DROP TABLE ledger_account_balances;
                CREATE VIEW ledger_account_balances AS \(derivedBalances);
                """)
        },
        // The pending-expiry pulse asks every second for the next open expiry
        // (`LedgerExpirySQL.nextExpiry`): it walks this index in expiry order and probes each
        // transfer's outcome by id, which the index now carries, so no probe reads the table row.
        // Each commit's sweep for due pending transfers walks it the same way. It replaces
        // migration 1's index on expires_at alone, so a commit maintains one index, not two.
        SchemaMigration(domain: "ledger", number: 6, name: "pending-expiry-index") { db in
            try db.execute(sql: """
                CREATE INDEX ledger_transfers_expiry_id ON ledger_transfers(expires_at, id) WHERE expires_at IS NOT NULL;
                DROP INDEX ledger_transfers_expiry;
                """)
        },
        // Accounts by owner and asset: the accounts a customer owns (a limit window reads their
        // holds through the debit index) and `balances --owner` find them without a scan.
        SchemaMigration(domain: "ledger", number: 7, name: "accounts-by-owner") { db in
            try db.execute(sql: "CREATE INDEX ledger_accounts_owner ON ledger_accounts(owner, asset)")
        },
    ]

    static let balanceNames = ["debits_pending", "debits_posted", "credits_pending", "credits_posted"]

    /// Every account's current balances (columns `account_id` and `balanceNames`): those of its
    /// latest event, whichever of its latest transfer as debit account, its latest transfer as
    /// credit account and its latest expiry row is newest (timestamps are unique across them);
    /// zeros for an account without events. SQLite flattens it into a query on `ledger_accounts`,
    /// so a lookup by account id probes three indexes and no more.
    static let derivedBalances = """
        SELECT a.id AS account_id, \(balanceNames.map { name in
            "CASE WHEN d.timestamp > coalesce(c.timestamp, -1) AND d.timestamp > coalesce(h.timestamp, -1) THEN d.debit_\(name) "
                + "WHEN c.timestamp > coalesce(h.timestamp, -1) THEN c.credit_\(name) "
                + "WHEN h.timestamp IS NOT NULL THEN h.\(name) ELSE '0' END AS \(name)"
        }.joined(separator: ", "))
        FROM ledger_accounts a
        LEFT JOIN ledger_transfers d ON d.seq = (
            SELECT seq FROM ledger_transfers WHERE debit_account_id = a.id ORDER BY timestamp DESC LIMIT 1)
        LEFT JOIN ledger_transfers c ON c.seq = (
            SELECT seq FROM ledger_transfers WHERE credit_account_id = a.id ORDER BY timestamp DESC LIMIT 1)
        LEFT JOIN ledger_balance_history h ON h.account_id = a.id AND h.timestamp = (
            SELECT MAX(timestamp) FROM ledger_balance_history WHERE account_id = a.id)
        """

    /// The balance columns of a transfer row, in `balanceColumns` order: the debit account's four
    /// balances after the transfer, then the credit account's.
    public static let transferBalanceColumns = transferBalanceSources.map(\.column)

    /// Each transfer balance column with its side (`debit`/`credit`) and the balance it holds.
    static let transferBalanceSources: [(column: String, side: String, balance: String)] = ["debit", "credit"].flatMap { side in
        balanceNames.map { ("\(side)_\($0)", side, $0) }
    }
}
