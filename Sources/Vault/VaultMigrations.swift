import CofferBase
public import CofferStorage
import Foundation
import GRDB

/// The vault's numbered schema changes, for the embedded database and for PostgreSQL: the same
/// tables (keystore, audit chain, policies, approvers, signing requests, approvals) on both.
public enum VaultMigrations {
    /// Every SQLite migration of the vault, in order.
    public static var sqlite: [SchemaMigration] { keystoreSQLite + signingSQLite + scopingSQLite + serviceKeysSQLite }

    /// Vault-wide keys for other domains' secrets (webhook signing secrets), sealed under the KEK.
    static let serviceKeysTable = """
        CREATE TABLE vault_service_keys (
            purpose TEXT PRIMARY KEY,
            record_version INTEGER NOT NULL,
            key_nonce BLOB NOT NULL,
            key_ciphertext BLOB NOT NULL,
            kek_generation BIGINT NOT NULL,
            created_at TEXT NOT NULL
        )
        """

    static let serviceKeysSQLite: [SchemaMigration] = [
        SchemaMigration(domain: "vault", number: 5, name: "service-keys") { db in try db.execute(sql: serviceKeysTable) },
    ]

    static let keystoreSQLite: [SchemaMigration] = [
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

    static let signingSQLite: [SchemaMigration] = [
        SchemaMigration(domain: "vault", number: 2, name: "signing-policy") { db in
            try db.execute(sql: """
                CREATE TABLE policy_versions (
                    version INTEGER PRIMARY KEY,
                    document TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    actor TEXT NOT NULL
                );
                CREATE TABLE approvers (
                    id TEXT PRIMARY KEY,
                    public_key BLOB NOT NULL UNIQUE,
                    created_at TEXT NOT NULL
                );
                CREATE TABLE signing_requests (
                    id TEXT PRIMARY KEY,
                    request_hash TEXT NOT NULL,
                    document TEXT NOT NULL,
                    wallet_id TEXT NOT NULL,
                    asset TEXT NOT NULL,
                    amount TEXT NOT NULL,
                    status TEXT NOT NULL,
                    decision TEXT NOT NULL,
                    result TEXT,
                    created_at TEXT NOT NULL,
                    signed_at TEXT,
                    signed_unix INTEGER
                );
                CREATE INDEX signing_requests_spend ON signing_requests (wallet_id, asset, status, signed_unix);
                CREATE TABLE approvals (
                    request_id TEXT NOT NULL REFERENCES signing_requests(id),
                    approver_id TEXT NOT NULL REFERENCES approvers(id),
                    signature BLOB NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (request_id, approver_id)
                );
                """)
        },
        // A wallet's own policy (set over the HTTP API): when a wallet has one, it replaces the
        // vault-wide policy for that wallet's requests; versions are kept like the vault-wide ones.
        SchemaMigration(domain: "vault", number: 3, name: "wallet-policies") { db in
            try db.execute(sql: """
                CREATE TABLE wallet_policy_versions (
                    wallet_id TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    document TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    actor TEXT NOT NULL,
                    PRIMARY KEY (wallet_id, version)
                ) WITHOUT ROWID;
                """)
        },
    ]

    /// Signing requests of HTTP tenants were stored as `<tenant>:<id>`; the one tenant-scoping rule
    /// (`TenantScope`) stores every tenant name as `<tenant>/<name>`. Audit records keep the old
    /// subjects (the chain is append-only); the tenant's audit view admits both prefixes.
    static let scopingSQLite: [SchemaMigration] = [
        SchemaMigration(domain: "vault", number: 4, name: "tenant-scoped-request-ids") { db in
            let tenantPrefix = String(repeating: "[a-z2-7]", count: 20)
            try db.execute(sql: """
                UPDATE approvals SET request_id = substr(request_id, 1, 20) || '/' || substr(request_id, 22) WHERE request_id GLOB ?;
                UPDATE signing_requests SET id = substr(id, 1, 20) || '/' || substr(id, 22) WHERE id GLOB ?;
                """, arguments: [tenantPrefix + ":*", tenantPrefix + ":*"])
        },
    ]

    /// The same schema on PostgreSQL: BYTEA for BLOB, BIGINT for INTEGER, and append-only triggers.
    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "vault", number: 1, name: "keystore-audit-signing", sql: [
            """
            CREATE TABLE vault_meta (
                id integer PRIMARY KEY CHECK (id = 1),
                format_version integer NOT NULL,
                kdf text NOT NULL,
                kdf_memory_bytes bigint NOT NULL,
                kdf_iterations bigint NOT NULL,
                kdf_parallelism bigint NOT NULL,
                kdf_salt bytea NOT NULL,
                kek_generation bigint NOT NULL,
                check_nonce bytea NOT NULL,
                check_ciphertext bytea NOT NULL,
                created_at text NOT NULL,
                rotated_at text
            )
            """,
            """
            CREATE TABLE vault_wallets (
                id text PRIMARY KEY,
                name text NOT NULL UNIQUE,
                kind text NOT NULL,
                curve text,
                origin text NOT NULL,
                summary text NOT NULL,
                created_at text NOT NULL,
                record_version integer NOT NULL,
                secret_algorithm text NOT NULL,
                secret_nonce bytea NOT NULL,
                secret_ciphertext bytea NOT NULL,
                dek_algorithm text NOT NULL,
                dek_nonce bytea NOT NULL,
                dek_ciphertext bytea NOT NULL,
                kek_generation bigint NOT NULL
            )
            """,
            """
            CREATE TABLE audit_log (
                seq bigint PRIMARY KEY,
                recorded_at text NOT NULL,
                actor text NOT NULL,
                action text NOT NULL,
                subject text NOT NULL,
                request_hash text NOT NULL,
                outcome text NOT NULL,
                detail text NOT NULL,
                prev_hash bytea NOT NULL,
                hash bytea NOT NULL
            )
            """,
            """
            CREATE FUNCTION coffer_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the audit log is append-only'; END $$
            """,
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION coffer_audit_append_only()",
            "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION coffer_audit_append_only()",
            "CREATE TABLE policy_versions (version bigint PRIMARY KEY, document text NOT NULL, created_at text NOT NULL, actor text NOT NULL)",
            "CREATE TABLE approvers (id text PRIMARY KEY, public_key bytea NOT NULL UNIQUE, created_at text NOT NULL)",
            """
            CREATE TABLE signing_requests (
                id text PRIMARY KEY,
                request_hash text NOT NULL,
                document text NOT NULL,
                wallet_id text NOT NULL,
                asset text NOT NULL,
                amount text NOT NULL,
                status text NOT NULL,
                decision text NOT NULL,
                result text,
                created_at text NOT NULL,
                signed_at text,
                signed_unix bigint
            )
            """,
            "CREATE INDEX signing_requests_spend ON signing_requests (wallet_id, asset, status, signed_unix)",
            """
            CREATE TABLE approvals (
                request_id text NOT NULL REFERENCES signing_requests(id),
                approver_id text NOT NULL REFERENCES approvers(id),
                signature bytea NOT NULL,
                created_at text NOT NULL,
                PRIMARY KEY (request_id, approver_id)
            )
            """,
            """
            CREATE TABLE wallet_policy_versions (
                wallet_id text NOT NULL,
                version bigint NOT NULL,
                document text NOT NULL,
                created_at text NOT NULL,
                actor text NOT NULL,
                PRIMARY KEY (wallet_id, version)
            )
            """,
        ]),
        PostgresMigration(domain: "vault", number: 2, name: "service-keys", sql: [serviceKeysTable.replacingOccurrences(of: "BLOB", with: "bytea")]),
    ]
}
