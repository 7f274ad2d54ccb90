import ArgumentParser
import CofferBase
import CofferCore
import Foundation
import Ledger

/// `coffer ledger`: the double-entry ledger, through `LedgerService` like the HTTP API.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Double-entry, multi-asset, append-only ledger: assets, accounts, transfers, reversals, balances, history, queries, verification.",
        discussion: "With --tenant, ids and asset codes are that tenant's own, exactly as over the HTTP API; without it, the stored ones.",
        subcommands: [AssetCommand.self, AccountCommand.self, Transfer.self, Reverse.self, Balance.self, Account.self, History.self,
                      Transfers.self, Show.self, Totals.self, Verify.self]
    )

    /// The ledger service over the chosen database, for `caller`.
    struct Context: ParsableArguments {
        @OptionGroup var store: StoreOptions
        @OptionGroup var tenant: TenantOption

        func run<T: Sendable>(_ body: (LedgerService, Caller) async throws -> T) async throws -> T {
            let caller = try tenant.caller()
            return try await store.withStores { stores in try await body(LedgerService(store: stores.ledger), caller) }
        }
    }

    struct AssetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "asset", abstract: "Ledger assets.", subcommands: [Create.self, Show.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create an asset (idempotent for identical attributes).")
            @OptionGroup var context: Context
            @Option(help: "Asset code, 1-32 characters from A-Za-z0-9._-, e.g. USDT.") var code: String
            @Option(help: "Decimal places for display, 0-30 (amounts are always whole smallest units).") var decimals: UInt8
            @Option(help: "Chain the asset lives on (informational).") var chain: String?
            @Option(help: "Token contract (informational).") var contract: String?

            func run() async throws {
                let request = CreateAssetRequest(code: code, decimals: decimals, chain: chain, contract: contract)
                try Output.print(try await context.run { try await $0.createAsset(request, by: $1) })
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Show an asset.")
            @OptionGroup var context: Context
            @Argument(help: "Asset code.") var code: String

            func run() async throws { try Output.print(try await context.run { try await $0.asset(code, by: $1) }) }
        }
    }

    struct AccountCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "account", abstract: "Ledger accounts.", subcommands: [Create.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create an account with zero balances (idempotent for identical attributes).")
            @OptionGroup var context: Context
            @Option(help: "Account id, 1-64 characters from A-Za-z0-9._:-.") var id: String
            @Option(help: "Asset code (created with `coffer ledger asset create`).") var asset: String
            @Option(help: "debits-must-not-exceed-credits or credits-must-not-exceed-debits (comma-separated to combine).") var flags: String?
            @Option(help: "Owner or tenant, free text.") var owner: String?
            @Option(help: "Kind code of the account, 0-65535.") var code: UInt16?
            @Option(help: "Free text kept with the account.") var metadata: String?

            func run() async throws {
                let request = CreateAccountRequest(
                    id: id, asset: asset, flags: flags.map { $0.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) } },
                    owner: owner, code: code, metadata: metadata)
                try Output.print(try await context.run { try await $0.createAccount(request, by: $1) })
            }
        }
    }

    struct Transfer: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Submit transfers as JSON Lines on stdin; print one result line each, in order, once committed.",
            discussion: """
                One transfer per line: {"id":"t1","debit":"a","credit":"b","amount":"1500000","asset":"USDT",
                "flags":["pending"],"pending_id":"t0","timeout":30,"reference":"order-77"}; flags, pending_id, timeout,
                reference, code and metadata are optional. Every line is checked before anything is written: a malformed
                line writes nothing and exits 1. Rejected transfers are reported on their line and exit 0, as
                POST /v1/transfers/batch reports them.
                """)
        @OptionGroup var context: Context

        func run() async throws {
            let transfers = try TransferLines.parse(FileHandle.standardInput.readDataToEndOfFile())
            try await context.run { ledger, caller in
                for batch in TransferLines.batches(transfers) {
                    for outcome in try await ledger.submit(batch, by: caller) { try Output.print(outcome) }
                }
            }
        }
    }

    struct Account: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show-account", abstract: "An account with its balances now.")
        @OptionGroup var context: Context
        @Argument(help: "Account id.") var id: String

        func run() async throws { try Output.print(try await context.run { try await $0.account(id, by: $1) }) }
    }

    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account's balances now or at a past time.")
        @OptionGroup var context: Context
        @Argument(help: "Account id.") var id: String
        @Option(help: "RFC 3339 time, e.g. 2026-11-22T10:30:00Z: the balances after the last transfer at or before it.") var at: String?

        func run() async throws { try Output.print(try await context.run { try await $0.balances(of: id, at: at, by: $1) }) }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the batch hash chain and every balance; exit 1 naming the first discrepancy.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let caller = try Caller.commandLine()
            let result = try await store.withStores { try await LedgerService(store: $0.ledger).verify(by: caller) }
            guard result.intact else { throw ServiceError(.rejected, "ledger-broken", "ledger verification failed: \(result.reason ?? "unknown")") }
            try Output.print(result)
        }
    }
}
