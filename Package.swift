// swift-tools-version: 6.1
import PackageDescription

let strictSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "Coffer",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "coffer", targets: ["coffer"]),
        .library(name: "WalletCore", targets: ["WalletCore"]),
        .library(name: "Vault", targets: ["Vault"]),
        .library(name: "Ledger", targets: ["Ledger"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", exact: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", exact: "1.8.2"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", exact: "2.0.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", exact: "7.10.0"),
        .package(url: "https://github.com/vapor/postgres-nio.git", exact: "1.33.2"),
        .package(url: "https://github.com/apple/swift-log.git", exact: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", exact: "2.28.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-websocket.git", exact: "2.8.1"),
        .package(url: "https://github.com/apple/swift-metrics.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", exact: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", exact: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", exact: "1.37.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),
        // libsodium's scrypt: V3 keystores whose parameters BoringSSL refuses (n >= 2^(16r)).
        .systemLibrary(
            name: "CSodium",
            pkgConfig: "libsodium",
            providers: [.apt(["libsodium-dev"])]
        ),
        // QR codes of payment URIs (and TOTP enrolment): Debian's libqrencode.
        .systemLibrary(
            name: "CQREncode",
            pkgConfig: "libqrencode",
            providers: [.apt(["libqrencode-dev"])]
        ),
        // A QR code as modules and as a self-contained SVG.
        .target(
            name: "QRCode",
            dependencies: ["CQREncode"],
            swiftSettings: strictSettings
        ),
        // Word lists compiled into the binary: `coffer` is one file that needs no resources at run time.
        // A target of its own so the large generated arrays compile once, not on every WalletCore change.
        .target(
            name: "Wordlists",
            resources: [
                .embedInCode("bip39/english.txt"),
                .embedInCode("bip39/chinese_simplified.txt"),
                .embedInCode("bip39/chinese_traditional.txt"),
                .embedInCode("bip39/czech.txt"),
                .embedInCode("bip39/french.txt"),
                .embedInCode("bip39/italian.txt"),
                .embedInCode("bip39/japanese.txt"),
                .embedInCode("bip39/korean.txt"),
                .embedInCode("bip39/portuguese.txt"),
                .embedInCode("bip39/spanish.txt"),
                .embedInCode("slip39/slip39_english.txt"),
            ]
        ),
        // What every layer shares: typed errors and their categories, the JSON value with its strict
        // decoder and byte encoder, exact amount text, page cursors and the tenant-scoping rule.
        .target(
            name: "CofferBase",
            swiftSettings: strictSettings
        ),
        .target(
            name: "WalletCore",
            dependencies: [
                "CofferBase",
                "CSecp256k1",
                "CSodium",
                "Wordlists",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: strictSettings
        ),
        // The databases every domain stores in: the embedded SQLite database (GRDB: data directory,
        // pragmas, migrations, group commits, point reads, commit stamps, background checkpoints) and
        // PostgreSQL (postgres-nio: a pool that is a lifecycle service, migrations), and the SQL layer
        // that lets one store implementation and one transaction span both.
        .target(
            name: "CofferStorage",
            dependencies: [
                "CofferBase",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Encrypted keystore, signing policy, approvals and the tamper-evident audit log.
        .target(
            name: "Vault",
            dependencies: [
                "CofferBase",
                "WalletCore",
                "CofferStorage",
                "CSodium",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: strictSettings
        ),
        // Double-entry, multi-asset, append-only ledger: the pure engine and its stores.
        .target(
            name: "Ledger",
            dependencies: [
                "CofferBase",
                "CofferStorage",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // Tenants of the HTTP API, their API keys (hashes only) and idempotency records.
        .target(
            name: "Tenancy",
            dependencies: [
                "CofferBase",
                "CofferStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // Who owns which vault wallet, and the deposit addresses handed out from each, on either database.
        .target(
            name: "Wallets",
            dependencies: ["CofferBase", "CofferStorage", "WalletCore", "Vault"],
            swiftSettings: strictSettings
        ),
        // Receiving on chains: the networks an operator follows, watched addresses, deposits with their
        // confirmations and reorgs, invoices and the event outbox. Pure rules plus stores over
        // `SQLDatabase`; nodes are reached through `ChainSource`, implemented at the edge (ChainNodes).
        .target(
            name: "Chains",
            dependencies: ["CofferBase", "CofferStorage", "WalletCore",
                           .product(name: "Crypto", package: "swift-crypto"), .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // Customers, identity tiers and limits: KYC states, rolling-window limits and their
        // reservations (checked inside ledger commits), risk scores, TOTP step-up (RFC 6238),
        // cases and temporary raises, AML rules and alerts; pure rules plus stores over `SQLDatabase`,
        // audited in the vault's chain.
        .target(
            name: "Customers",
            dependencies: ["CofferBase", "CofferStorage", "Vault", "WalletCore", .product(name: "Crypto", package: "swift-crypto"),
                           .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // What it is worth: exact prices (mantissa and exponent), aggregation of sources (weighted
        // median, outliers, quorum, confidence, TWAP, breaker), replays, cross rates, sources, pairs
        // and published prices over either database, and CLDR money formatting (data generated from
        // Babel's CLDR, embedded: no run-time files).
        .target(
            name: "Market",
            dependencies: ["CofferBase", "CofferStorage", "Ledger", .product(name: "GRDB", package: "GRDB.swift")],
            resources: [.embedInCode("Formatting/cldr-money.json")],
            swiftSettings: strictSettings
        ),
        // Keeping the books straight: the matching engine (pure: prioritised rules, per-rule indexes,
        // bounded group search, exceptions), statement mappings and their CSV/JSON parser, and the
        // mappings, statements, rules, runs, matches and exceptions over either database.
        .target(
            name: "Reconciliation",
            dependencies: ["CofferBase", "CofferStorage", "Ledger", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: strictSettings
        ),
        // Sending: the payout state machine and batch tracking (pure), payouts, batches, signed
        // attempts and leases over either database, and the pipeline with its I/O behind protocols.
        .target(
            name: "Payouts",
            dependencies: ["CofferBase", "CofferStorage", "Chains", "WalletCore",
                           .product(name: "GRDB", package: "GRDB.swift"), .product(name: "Logging", package: "swift-log")],
            swiftSettings: strictSettings
        ),
        // Signed webhooks over the events outbox: endpoints and their event filters, secrets sealed
        // at rest, Stripe-style signatures and their verification, delivery in order per endpoint
        // with retries and leases, the delivery log; receivers reached over async-http-client.
        .target(
            name: "Webhooks",
            dependencies: [
                "CofferBase", "CofferStorage", "WalletCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ],
            swiftSettings: strictSettings
        ),
        // The edge to chain nodes: JSON-RPC over HTTP (async-http-client) with timeouts, retries and
        // backoff; Bitcoin Core (and forks) and Ethereum clients; their `ChainSource` adapters.
        .target(
            name: "ChainNodes",
            dependencies: [
                "CofferBase", "WalletCore", "Chains",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The application core: one service per capability (ledger, tenancy, wallets and addresses,
        // signing and policies, audit) with Codable requests and responses and typed errors, the
        // stores composed over one database, and the background services of `coffer serve`. The CLI
        // and the HTTP API are thin adapters over it.
        .target(
            name: "CofferCore",
            dependencies: [
                "CofferBase", "CofferStorage", "WalletCore", "Vault", "Ledger", "Tenancy", "Wallets", "Chains", "ChainNodes", "QRCode", "Payouts", "Webhooks",
                "Customers", "Market", "Reconciliation",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // The websocket price sources' client.
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // `coffer serve`: the HTTP API over wallets, addresses, the vault and the ledger (Hummingbird 2).
        .target(
            name: "CofferServer",
            dependencies: [
                "CofferBase",
                "CofferCore",
                "CofferStorage",
                "Ledger",
                "Tenancy",
                "Vault",
                "Market",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            // The OpenAPI document, the one source of truth for the API's shape, served at /openapi.json.
            resources: [.embedInCode("openapi.json")],
            swiftSettings: strictSettings
        ),
        .executableTarget(
            name: "coffer",
            dependencies: [
                "CofferBase",
                "WalletCore",
                "Vault",
                "Ledger",
                "Tenancy",
                "Wallets",
                "Chains",
                "ChainNodes",
                "Payouts",
                "CofferStorage",
                "CofferCore",
                "CofferServer",
                "Webhooks",
                "Reconciliation",
                "CSecp256k1",  // the bare-library floor of `coffer bench`
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        // What the storage test suites share: a fresh database per test on SQLite or PostgreSQL
        // (`TestDatabase`, `TestEngine.all`), the pool kept running while the test holds it; and
        // the real nodes the chain tests run against (`Litecoind`, a regtest node per test, and
        // `EVMFixture`, eth-tester behind JSON-RPC from scripts/evm-fixture).
        .target(
            name: "CofferTestSupport",
            dependencies: [
                "CofferBase",
                "CofferStorage",
                "Chains",
                "ChainNodes",
                "WalletCore",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            path: "Tests/CofferTestSupport",
            swiftSettings: strictSettings
        ),
        // The chain domain's pure parts and stores.
        .testTarget(
            name: "CustomersTests",
            dependencies: ["Customers", "CofferStorage", "CofferTestSupport", "Ledger", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ReconciliationTests",
            dependencies: ["CofferBase", "Reconciliation", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "MarketTests",
            dependencies: ["CofferBase", "Market", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "PayoutsTests",
            dependencies: ["CofferBase", "CofferStorage", "CofferTestSupport", "Chains", "Payouts",
                           .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "ChainsTests",
            dependencies: ["CofferBase", "CofferStorage", "CofferTestSupport", "WalletCore", "Chains", "QRCode",
                           .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        // Webhooks against a real receiver on loopback (Hummingbird), events appended through the
        // real outbox, on SQLite and PostgreSQL; signatures, filters, URLs and backoff as values.
        .testTarget(
            name: "WebhooksTests",
            dependencies: [
                "CofferBase", "CofferStorage", "CofferTestSupport", "CofferCore", "Chains", "Tenancy", "Vault", "WalletCore", "Webhooks",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // The node clients against real nodes started by the tests: litecoind in regtest, eth-tester.
        .testTarget(
            name: "ChainNodesTests",
            dependencies: ["CofferBase", "CofferTestSupport", "WalletCore", "Chains", "ChainNodes"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "CofferBaseTests",
            dependencies: ["CofferBase", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
        // The SQL layer on both engines (statements, values, errors, transactions) and PostgreSQL URLs.
        .testTarget(
            name: "CofferStorageTests",
            dependencies: [
                "CofferBase",
                "CofferStorage",
                "CofferTestSupport",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "WalletCoreTests",
            dependencies: [
                "CofferBase",
                "CofferTestSupport",
                "WalletCore",
                "Wordlists",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "VaultTests",
            dependencies: [
                "CofferBase",
                "CofferStorage",
                "CofferTestSupport",
                "Vault",
                "WalletCore",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            swiftSettings: strictSettings
        ),
        // The wallet directory's contract on both engines.
        .testTarget(
            name: "WalletsTests",
            dependencies: ["CofferBase", "CofferStorage", "CofferTestSupport", "Vault", "WalletCore", "Wallets"],
            swiftSettings: strictSettings
        ),
        .testTarget(
            name: "LedgerTests",
            dependencies: [
                "CofferBase",
                "CofferStorage",
                "CofferTestSupport",
                "Ledger",
                // A reservation and its signing request commit in one transaction (the signing store's tables).
                "Vault",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "PropertyBased", package: "swift-property-based"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: strictSettings
        ),
        // The HTTP API driven in process (HummingbirdTesting): its OpenAPI contract, tenants, idempotency,
        // the vault routes, on SQLite and (when configured) PostgreSQL.
        .testTarget(
            name: "CofferServerTests",
            dependencies: [
                "CofferServer",
                "Market",
                "Reconciliation",
                "CofferCore",
                "CofferBase",
                "CofferTestSupport",
                "Webhooks",
                "Vault",
                "WalletCore",
                "Ledger",
                "Tenancy",
                "Wallets",
                "Chains",
                "Payouts",
                "CofferStorage",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HummingbirdWSClient", package: "hummingbird-websocket"),
                .product(name: "HummingbirdWebSocket", package: "hummingbird-websocket"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: strictSettings
        ),
        // Runs the built `coffer` binary exactly as operators and acceptance checks do.
        .testTarget(
            name: "CofferCLITests",
            // Customers: TOTP codes computed the way an authenticator app does, for `coffer totp verify`.
            dependencies: ["CofferBase", "CofferTestSupport", "Customers", .product(name: "PropertyBased", package: "swift-property-based")],
            swiftSettings: strictSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
