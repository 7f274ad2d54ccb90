public import Chains
public import Customers
public import CofferStorage
public import Foundation
public import Ledger
public import Market
public import Payouts
public import Reconciliation
public import Tenancy
public import Vault
public import Wallets
public import Webhooks

/// Every store Coffer keeps, over ONE database: the embedded SQLite database of a data directory,
/// or PostgreSQL. Several `coffer serve` processes on one PostgreSQL database therefore share
/// tenants, keys, the vault (sealed keys, policies, approvals, signing requests, the audit chain),
/// wallet ownership, address counters and the ledger, and a write of one store can join another's
/// transaction (a ledger commit's companion, a vault insert's `alongside`).
public struct CofferStores: Sendable {
    public let database: any SQLDatabase
    public let ledger: any LedgerStore
    public let tenancy: any TenancyStore
    public let vault: VaultStore
    public let signing: SigningStore
    public let wallets: WalletDirectory
    public let chains: ChainStore
    public let payouts: PayoutStore
    public let webhooks: WebhookStore
    public let customers: CustomerStore
    public let market: MarketStore
    public let recon: ReconStore
    /// The embedded database when the stores live in one (nil on PostgreSQL).
    public let embedded: CofferDatabase?

    /// Every domain's SQLite migrations: the executable's whole schema.
    public static let sqliteMigrations: [SchemaMigration] =
        VaultMigrations.sqlite + LedgerMigrations.all + TenancyMigrations.sqlite + WalletMigrations.sqlite + ChainMigrations.sqlite
        + PayoutMigrations.sqlite + WebhookMigrations.sqlite + CustomerMigrations.sqlite + MarketMigrations.sqlite + ReconMigrations.sqlite
    /// Every domain's PostgreSQL migrations.
    public static let postgresMigrations: [PostgresMigration] =
        PostgresLedgerMigrations.all + TenancyMigrations.postgres + VaultMigrations.postgres + WalletMigrations.postgres + ChainMigrations.postgres
        + PayoutMigrations.postgres + WebhookMigrations.postgres + CustomerMigrations.postgres + MarketMigrations.postgres + ReconMigrations.postgres

    /// The stores of an embedded database (opened with `sqliteMigrations`).
    /// `ledgerClock` and `tenancyClock` are for tests that drive time (expiry, claim ageing).
    public init(embedded database: CofferDatabase, ledgerClock: (@Sendable () -> UInt64)? = nil, tenancyClock: (@Sendable () -> Date)? = nil) {
        self.database = database
        embedded = database
        ledger = ledgerClock.map { SQLiteLedgerStore(database: database, clock: $0) } ?? SQLiteLedgerStore(database: database)
        tenancy = SQLiteTenancyStore(database: database, clock: tenancyClock ?? Date.init)
        vault = VaultStore(database: database)
        signing = SigningStore(database: database)
        wallets = WalletDirectory(database: database)
        chains = ChainStore(database: database)
        payouts = PayoutStore(database: database)
        webhooks = WebhookStore(database: database)
        customers = CustomerStore(database: database)
        market = MarketStore(database: database)
        recon = ReconStore(database: database)
    }

    /// The stores of a PostgreSQL database (prepared with `postgresMigrations`).
    public init(postgres pool: PostgresPool, ledgerClock: (@Sendable () -> UInt64)? = nil, tenancyClock: (@Sendable () -> Date)? = nil) {
        database = pool
        embedded = nil
        ledger = ledgerClock.map { PostgresLedgerStore(database: pool, clock: $0) } ?? PostgresLedgerStore(database: pool)
        tenancy = PostgresTenancyStore(database: pool, clock: tenancyClock ?? Date.init)
        vault = VaultStore(database: pool)
        signing = SigningStore(database: pool)
        wallets = WalletDirectory(database: pool)
        chains = ChainStore(database: pool)
        payouts = PayoutStore(database: pool)
        webhooks = WebhookStore(database: pool)
        customers = CustomerStore(database: pool)
        market = MarketStore(database: pool)
        recon = ReconStore(database: pool)
    }

    /// The `/ready` check of the database: nil when a trivial read succeeds.
    public func readiness(name: String) -> @Sendable () async -> String? {
        let ledger = self.ledger
        return {
            do {
                _ = try await ledger.asset("ready")
                return nil
            } catch {
                return "\(name) is unreachable: \(String(describing: error).prefix(200))"
            }
        }
    }
}
