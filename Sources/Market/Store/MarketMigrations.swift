public import CofferStorage
import Foundation
import GRDB

/// The market-data tables, in either database. Prices and volumes are decimal text (exact), times
/// whole seconds since 1970. Market data is the operator's: sources and pairs are shared by every
/// tenant, as a price is the same whoever asks.
public enum MarketMigrations {
    static let tables: [String] = [
        """
        CREATE TABLE market_sources (
            name TEXT PRIMARY KEY,
            kind TEXT NOT NULL,
            location TEXT NOT NULL,
            weight BIGINT NOT NULL,
            created_at BIGINT NOT NULL,
            mapping TEXT,
            poll_interval BIGINT
        )
        """,
        """
        CREATE TABLE market_pairs (
            pair TEXT PRIMARY KEY,
            quorum BIGINT NOT NULL,
            max_age BIGINT NOT NULL,
            deviation_bps BIGINT NOT NULL,
            heartbeat BIGINT NOT NULL,
            breaker_bps BIGINT,
            breaker_twap_bps BIGINT,
            breaker_window BIGINT NOT NULL,
            twap_window BIGINT NOT NULL,
            outlier_mads BIGINT NOT NULL,
            minimum_volume TEXT,
            created_at BIGINT NOT NULL
        )
        """,
        // Every observation kept: its source, the source's time and the time it was received.
        """
        CREATE TABLE market_observations (
            seq INTEGER PRIMARY KEY_AUTO,
            source TEXT NOT NULL,
            pair TEXT NOT NULL,
            price TEXT NOT NULL,
            volume TEXT,
            source_time BIGINT NOT NULL,
            received_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX market_observations_pair ON market_observations (pair, source_time)",
        "CREATE INDEX market_observations_source ON market_observations (source)",
        // Every publication, as history: `price --at` and valuations at a past time read it.
        """
        CREATE TABLE market_prices (
            seq INTEGER PRIMARY KEY_AUTO,
            pair TEXT NOT NULL,
            price TEXT,
            confidence TEXT,
            twap TEXT,
            median_24h TEXT,
            sources BIGINT NOT NULL,
            status TEXT NOT NULL,
            low_liquidity INTEGER NOT NULL,
            rejected TEXT NOT NULL,
            time BIGINT NOT NULL,
            origin TEXT NOT NULL
        )
        """,
        "CREATE INDEX market_prices_pair ON market_prices (pair, time, seq)",
    ]

    /// Monitoring: the rule set (replaced as a whole), its settings, the alerts it raised and
    /// each alert's decision trail (also in the audit log).
    static let monitoring: [String] = [
        "CREATE TABLE market_monitor_rules (position BIGINT PRIMARY KEY, name TEXT NOT NULL UNIQUE, body TEXT NOT NULL)",
        "CREATE TABLE market_monitor_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
        """
        CREATE TABLE market_alerts (
            id INTEGER PRIMARY KEY_AUTO,
            scope TEXT NOT NULL,
            rule TEXT NOT NULL,
            kind TEXT NOT NULL,
            severity TEXT NOT NULL,
            severity_rank BIGINT NOT NULL,
            alert_key TEXT NOT NULL,
            subject TEXT NOT NULL,
            message TEXT NOT NULL,
            evidence TEXT NOT NULL,
            time BIGINT NOT NULL,
            suppressed BIGINT NOT NULL,
            origin TEXT NOT NULL,
            status TEXT NOT NULL,
            updated_at BIGINT NOT NULL,
            UNIQUE (rule, alert_key, time, origin)
        )
        """,
        "CREATE INDEX market_alerts_scope ON market_alerts (scope, id)",
        """
        CREATE TABLE market_alert_actions (
            seq INTEGER PRIMARY KEY_AUTO,
            alert_id BIGINT NOT NULL,
            action TEXT NOT NULL,
            actor TEXT NOT NULL,
            note TEXT NOT NULL,
            status TEXT NOT NULL,
            time BIGINT NOT NULL
        )
        """,
        "CREATE INDEX market_alert_actions_alert ON market_alert_actions (alert_id, seq)",
    ]

    /// What a websocket source sends on connecting.
    static let websocketSources = "ALTER TABLE market_sources ADD COLUMN subscribe TEXT"

    public static let sqlite: [SchemaMigration] = [
        SchemaMigration(domain: "market", number: 1, name: "sources-pairs-observations-prices") { db in
            for statement in tables {
                try db.execute(sql: statement.replacingOccurrences(of: "PRIMARY KEY_AUTO", with: "PRIMARY KEY AUTOINCREMENT"))
            }
        },
        SchemaMigration(domain: "market", number: 2, name: "monitoring-rules-alerts") { db in
            for statement in monitoring {
                try db.execute(sql: statement.replacingOccurrences(of: "PRIMARY KEY_AUTO", with: "PRIMARY KEY AUTOINCREMENT"))
            }
        },
        SchemaMigration(domain: "market", number: 3, name: "websocket-sources") { db in try db.execute(sql: websocketSources) },
    ]

    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "market", number: 1, name: "sources-pairs-observations-prices", sql: tables.map {
            $0.replacingOccurrences(of: "INTEGER PRIMARY KEY_AUTO", with: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        }),
        PostgresMigration(domain: "market", number: 2, name: "monitoring-rules-alerts", sql: monitoring.map {
            $0.replacingOccurrences(of: "INTEGER PRIMARY KEY_AUTO", with: "bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY")
        }),
        PostgresMigration(domain: "market", number: 3, name: "websocket-sources", sql: [websocketSources]),
    ]
}
