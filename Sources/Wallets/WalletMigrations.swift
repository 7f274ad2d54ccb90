public import CofferStorage
import GRDB

/// The wallet directory's tables beside the vault, in either database: which tenant owns which
/// vault wallet, each wallet's next unused address index per address format, and the deposit
/// addresses handed out with their metadata. (The SQLite migration keeps the "server" domain id
/// under which earlier versions created these tables.)
public enum WalletMigrations {
    public static let sqlite: [SchemaMigration] = [
        SchemaMigration(domain: "server", number: 1, name: "tenant-wallets-addresses") { db in
            try db.execute(sql: """
                CREATE TABLE server_wallets (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    tenant_id TEXT NOT NULL,
                    wallet_id TEXT NOT NULL UNIQUE,
                    name TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    UNIQUE (tenant_id, name)
                );
                CREATE TABLE server_address_counters (
                    wallet_id TEXT NOT NULL REFERENCES server_wallets(wallet_id),
                    format TEXT NOT NULL,
                    next_index INTEGER NOT NULL,
                    PRIMARY KEY (wallet_id, format)
                ) WITHOUT ROWID;
                CREATE TABLE server_addresses (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    tenant_id TEXT NOT NULL,
                    wallet_id TEXT NOT NULL REFERENCES server_wallets(wallet_id),
                    lookup TEXT NOT NULL,
                    address TEXT NOT NULL,
                    chain TEXT NOT NULL,
                    format TEXT NOT NULL,
                    address_index INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    label TEXT,
                    owner_id TEXT,
                    purpose TEXT,
                    created_at TEXT NOT NULL,
                    UNIQUE (tenant_id, lookup),
                    UNIQUE (wallet_id, format, address_index)
                );
                CREATE INDEX server_addresses_tenant ON server_addresses (tenant_id, seq);
                CREATE INDEX server_addresses_owner ON server_addresses (tenant_id, owner_id, seq);
                """)
        },
    ]

    public static let postgres: [PostgresMigration] = [
        PostgresMigration(domain: "wallets", number: 1, name: "tenant-wallets-addresses", sql: [
            """
            CREATE TABLE server_wallets (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tenant_id text NOT NULL,
                wallet_id text NOT NULL UNIQUE,
                name text NOT NULL,
                created_at text NOT NULL,
                UNIQUE (tenant_id, name)
            )
            """,
            """
            CREATE TABLE server_address_counters (
                wallet_id text NOT NULL REFERENCES server_wallets(wallet_id),
                format text NOT NULL,
                next_index bigint NOT NULL,
                PRIMARY KEY (wallet_id, format)
            )
            """,
            """
            CREATE TABLE server_addresses (
                seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                tenant_id text NOT NULL,
                wallet_id text NOT NULL REFERENCES server_wallets(wallet_id),
                lookup text NOT NULL,
                address text NOT NULL,
                chain text NOT NULL,
                format text NOT NULL,
                address_index bigint NOT NULL,
                path text NOT NULL,
                label text,
                owner_id text,
                purpose text,
                created_at text NOT NULL,
                UNIQUE (tenant_id, lookup),
                UNIQUE (wallet_id, format, address_index)
            )
            """,
            "CREATE INDEX server_addresses_tenant ON server_addresses (tenant_id, seq)",
            "CREATE INDEX server_addresses_owner ON server_addresses (tenant_id, owner_id, seq)",
        ]),
    ]
}
