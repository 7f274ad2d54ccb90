public import CofferStorage
import GRDB

/// The vault's numbered schema changes.
public enum VaultMigrations {
    public static let all: [SchemaMigration] = [
        SchemaMigration(domain: "vault", number: 1, name: "keystore-and-audit") { db in
            try db.execute(sql: """
                CREATE TABLE vault_meta (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    format_version INTEGER NOT NULL,
                    kdf TEXT NOT NULL,
                    kdf_memory_bytes INTEGER NOT NULL,
                    kdf_iterations INTEGER NOT NULL,
                    kdf_parallelism INTEGER NOT NULL,
                    kdf_salt BLOB NOT NULL,
                    kek_generation INTEGER NOT NULL,
                    check_nonce BLOB NOT NULL,
                    check_ciphertext BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    rotated_at TEXT
                );
                CREATE TABLE vault_wallets (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    kind TEXT NOT NULL,
                    curve TEXT,
                    origin TEXT NOT NULL,
                    summary TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    record_version INTEGER NOT NULL,
                    secret_algorithm TEXT NOT NULL,
                    secret_nonce BLOB NOT NULL,
                    secret_ciphertext BLOB NOT NULL,
                    dek_algorithm TEXT NOT NULL,
                    dek_nonce BLOB NOT NULL,
                    dek_ciphertext BLOB NOT NULL,
                    kek_generation INTEGER NOT NULL
                );
                CREATE TABLE audit_log (
                    seq INTEGER PRIMARY KEY,
                    recorded_at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    action TEXT NOT NULL,
                    subject TEXT NOT NULL,
                    request_hash TEXT NOT NULL,
                    outcome TEXT NOT NULL,
                    detail TEXT NOT NULL,
                    prev_hash BLOB NOT NULL,
                    hash BLOB NOT NULL
                );
                CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
                    BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
                """)
        },
    ]
}
