public import CofferStorage
import GRDB

/// The service's tables: tenants, API keys (hashes only) and idempotency records.
public enum TenancyMigrations {
    public static let sqlite: [SchemaMigration] = [
        SchemaMigration(domain: "tenancy", number: 1, name: "tenants-keys-idempotency") { db in
            try db.execute(sql: """
                CREATE TABLE tenants (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                );
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY,
                    tenant_id TEXT NOT NULL REFERENCES tenants(id),
                    secret_hash BLOB NOT NULL,
                    scopes TEXT NOT NULL,
                    label TEXT NOT NULL,
                    created_at INTEGER NOT NULL,
                    expires_at INTEGER,
                    revoked_at INTEGER
                );
                CREATE INDEX api_keys_tenant ON api_keys(tenant_id);
                CREATE TABLE idempotency_records (
                    tenant_id TEXT NOT NULL,
                    key TEXT NOT NULL,
                    request_hash BLOB NOT NULL,
                    status INTEGER,
                    content_type TEXT,
                    body BLOB,
                    created_at INTEGER NOT NULL,
                    PRIMARY KEY (tenant_id, key)
                ) WITHOUT ROWID;
                CREATE INDEX idempotency_records_created ON idempotency_records(created_at);
                """)
        },
    ]

    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "tenancy", number: 1, name: "tenants-keys-idempotency", sql: [
            "CREATE TABLE tenants (id text PRIMARY KEY, name text NOT NULL, created_at bigint NOT NULL)",
            """
            CREATE TABLE api_keys (
                id text PRIMARY KEY,
                tenant_id text NOT NULL REFERENCES tenants(id),
                secret_hash bytea NOT NULL,
                scopes text NOT NULL,
                label text NOT NULL,
                created_at bigint NOT NULL,
                expires_at bigint,
                revoked_at bigint
            )
            """,
            "CREATE INDEX api_keys_tenant ON api_keys (tenant_id)",
            """
            CREATE TABLE idempotency_records (
                tenant_id text NOT NULL,
                key text NOT NULL,
                request_hash bytea NOT NULL,
                status integer,
                content_type text,
                body bytea,
                created_at bigint NOT NULL,
                PRIMARY KEY (tenant_id, key)
            )
            """,
            "CREATE INDEX idempotency_records_created ON idempotency_records (created_at)",
        ]),
    ]
}
