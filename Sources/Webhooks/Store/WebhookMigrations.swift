public import CofferStorage
import Foundation
import GRDB

/// The webhooks' tables, in either database: endpoints (with their delivery state and lease) and
/// the delivery log. Times are milliseconds since 1970.
public enum WebhookMigrations {
    static let tables: [String] = [
        """
        CREATE TABLE webhook_endpoints (
            id TEXT PRIMARY KEY,
            scope TEXT NOT NULL,
            url TEXT NOT NULL,
            events TEXT NOT NULL,
            enabled INTEGER NOT NULL,
            secret BLOB NOT NULL,
            previous_secret BLOB,
            previous_secret_until BIGINT,
            last_seq BIGINT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at BIGINT NOT NULL DEFAULT 0,
            failing_since BIGINT,
            lease_owner TEXT,
            lease_until BIGINT NOT NULL DEFAULT 0,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX webhook_endpoints_scope ON webhook_endpoints (scope, created_at)",
        """
        CREATE TABLE webhook_deliveries (
            seq INTEGER PRIMARY KEY_AUTO,
            endpoint_id TEXT NOT NULL,
            event_seq BIGINT NOT NULL,
            event_type TEXT NOT NULL,
            attempt INTEGER,
            attempted_at BIGINT NOT NULL,
            duration_ms BIGINT NOT NULL,
            status_code INTEGER,
            error_class TEXT,
            excerpt TEXT
        )
        """,
        "CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, seq)",
    ]

    public static let sqlite: [SchemaMigration] = [
        SchemaMigration(domain: "webhooks", number: 1, name: "endpoints-and-deliveries") { db in
            for statement in tables {
                try db.execute(sql: statement.replacingOccurrences(of: "PRIMARY KEY_AUTO", with: "PRIMARY KEY AUTOINCREMENT"))
            }
        },
    ]

    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "webhooks", number: 1, name: "endpoints-and-deliveries", sql: tables.map {
            $0.replacingOccurrences(of: "INTEGER PRIMARY KEY_AUTO", with: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
                .replacingOccurrences(of: "BLOB", with: "bytea")
        }),
    ]
}
