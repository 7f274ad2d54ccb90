public import CofferStorage
import GRDB

/// The server's own tables beside the vault in the embedded database: which tenant owns which
/// vault wallet, each wallet's next unused address index per address format, and the deposit
/// addresses handed out with their metadata.
public enum ServerVaultMigrations {
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
}
