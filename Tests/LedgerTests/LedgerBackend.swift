import CofferTestSupport

/// The engines the ledger's contract tests run against: SQLite always, PostgreSQL when
/// COFFER_TEST_POSTGRES_URL names a server (scripts/with-postgres starts one); each test then
/// gets a database of its own (`TestDatabase`).
typealias LedgerBackend = TestEngine
