import ArgumentParser
import Foundation
import Ledger
import WalletCore

/// `coffer ledger`: the double-entry ledger on the embedded SQLite database.
struct LedgerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Double-entry, multi-asset, append-only ledger: assets, accounts, transfers, reversals, balances, history, queries, verification.",
        subcommands: [AssetCommand.self, AccountCommand.self, Transfer.self, Reverse.self, Balance.self, History.self, Transfers.self, Totals.self, Verify.self]
    )

    struct AssetCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "asset", abstract: "Ledger assets.", subcommands: [Create.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create an asset (idempotent for identical attributes).")
            @OptionGroup var storage: LedgerStorageOptions
            @Option(help: "Asset code, 1-32 characters from A-Za-z0-9._-, e.g. USDT.") var code: String
            @Option(help: "Decimal places for display, 0-30 (amounts are always whole smallest units).") var decimals: UInt8
            @Option(help: "Chain the asset lives on (informational).") var chain: String?
            @Option(help: "Token contract (informational).") var contract: String?

            func run() async throws {
                let asset = try Asset(code: code, decimals: decimals, chain: chain, contract: contract)
                let created = try await storage.store().createAsset(asset)
                try LedgerJSON.print([("code", .text(asset.code)), ("decimals", .number(Int(asset.decimals))),
                                      ("result", .text(created ? "created" : "exists"))])
            }
        }
    }

    struct AccountCommand: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "account", abstract: "Ledger accounts.", subcommands: [Create.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Create an account with zero balances (idempotent for identical attributes).")
            @OptionGroup var storage: LedgerStorageOptions
            @Option(help: "Account id, 1-64 characters from A-Za-z0-9._:-.") var id: String
            @Option(help: "Asset code (created with `coffer ledger asset create`).") var asset: String
            @Option(help: "debits-must-not-exceed-credits or credits-must-not-exceed-debits (comma-separated to combine).") var flags: String?
            @Option(help: "Owner or tenant, free text.") var owner: String = ""
            @Option(help: "Kind code of the account, 0-65535.") var code: UInt16 = 0

            func run() async throws {
                let accountID = try LedgerID(validating: id, field: "--id")
                try Asset.validate(code: asset)
                var accountFlags: AccountFlags = []
                for name in (flags ?? "").split(separator: ",", omittingEmptySubsequences: true) {
                    guard let flag = AccountFlags.names.first(where: { $0.name == name.trimmingCharacters(in: .whitespaces) }) else {
                        throw UsageError("unknown account flag \"\(name.prefix(40))\"; use \(AccountFlags.names.map(\.name).joined(separator: ", "))")
                    }
                    accountFlags.insert(flag.flag)
                }
                let result = try await storage.store().createAccount(
                    Account(id: accountID, asset: asset, owner: owner, code: code, flags: accountFlags))
                guard result.isSuccess else {
                    switch result {
                    case .assetNotFound: throw CLIError("account \(id): asset \(asset) does not exist; create it with `coffer ledger asset create`")
                    case .flagsAreMutuallyExclusive: throw CLIError("account \(id): debits-must-not-exceed-credits and credits-must-not-exceed-debits exclude each other")
                    default: throw CLIError("account \(id) already exists with a different \(result.rawValue.dropFirst("exists_with_different_".count)); accounts never change")
                    }
                }
                try LedgerJSON.print([("id", .text(id)), ("asset", .text(asset)), ("result", .text(result.rawValue))])
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
                line writes nothing and exits 1. Rejected transfers are reported on their line and exit 0.
                """)
        @OptionGroup var storage: LedgerStorageOptions

        func run() async throws {
            let input = FileHandle.standardInput.readDataToEndOfFile()
            let transfers = try TransferLines.parse(input)
            let store = try await storage.store()
            for batch in TransferLines.batches(transfers) {
                let results = try await store.submit(batch)
                for (transfer, result) in zip(batch, results) {
                    var fields: [(String, LedgerJSON.Value)] = [("id", .text(transfer.id.value)), ("result", .text(result.rawValue))]
                    if !result.isSuccess { fields.append(("message", .text(result.message))) }
                    try LedgerJSON.print(fields)
                }
            }
        }
    }

    struct Balance: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "An account's balances now or at a past time.")
        @OptionGroup var storage: LedgerStorageOptions
        @Argument(help: "Account id.") var id: String
        @Option(help: "RFC 3339 time, e.g. 2026-11-22T10:30:00Z: the balances after the last transfer at or before it.") var at: String?

        func run() async throws {
            let accountID = try LedgerID(validating: id, field: "account id")
            let time = try at.map { text throws(LedgerError) in try LedgerTime.parseRFC3339(text) } ?? UInt64.max
            let store = try await storage.store()
            guard let account = try await store.account(accountID), let balances = try await store.balances(of: accountID, at: time) else {
                throw CLIError("no ledger account \"\(id)\"; create it with `coffer ledger account create`")
            }
            try LedgerJSON.print([
                ("id", .text(id)), ("asset", .text(account.asset)),
                ("debits_posted", .text(String(balances.debitsPosted))), ("credits_posted", .text(String(balances.creditsPosted))),
                ("debits_pending", .text(String(balances.debitsPending))), ("credits_pending", .text(String(balances.creditsPending))),
            ])
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the batch hash chain and every balance; exit 1 naming the first discrepancy.")
        @OptionGroup var storage: LedgerStorageOptions

        func run() async throws {
            switch try await storage.store().verify() {
            case .intact(let batches, let transfers, let head):
                try LedgerJSON.print([("intact", .bool(true)), ("batches", .number(batches)), ("transfers", .number(transfers)),
                                      ("head_hash", .text(Hex.encode(head)))])
            case .broken(let reason):
                throw CLIError("ledger verification failed: \(reason)")
            }
        }
    }
}
