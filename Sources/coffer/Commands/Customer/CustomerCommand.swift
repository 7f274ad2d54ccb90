import ArgumentParser
import CofferBase
import CofferCore
import Foundation

/// `coffer customer create | show | list | tier | kyc | kyc-history`: customers, their tiers and
/// KYC states, through `CustomerService` like the HTTP API.
struct CustomerCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "customer", abstract: "Customers: identity tiers and KYC states (every change audited).",
        discussion: """
            A customer owns ledger accounts (created with `coffer ledger account create ... --owner ID`); payouts and \
            reservations from those accounts are limited by the customer's tier (`coffer limit`). docs/customers.md explains \
            tiers, limits and the risk score.
            """,
        subcommands: [Create.self, Show.self, List.self, Tier.self, KYC.self, KYCHistory.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a customer (idempotent for the same id and tier).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Customer id, 1-64 characters from A-Za-z0-9._:-.") var id: String
        @Option(help: "anonymous (default), restricted, verified, institutional, or a tier from `coffer tier set`.") var tier: String?

        func run() async throws {
            try Output.print(try await options.run { try await $0.customers.create(CreateCustomerRequest(id: id, tier: tier), by: $1) }.resource)
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One customer.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Customer id.") var id: String

        func run() async throws { try Output.print(try await options.run { try await $0.customers.customer(id, by: $1) }) }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Customers, one JSON object per line, in id order.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "At most this many (1-1000).") var limit: Int = 100
        @Option(help: "Continue after this cursor (from the previous page's last line).") var after: String?

        func run() async throws {
            let page = try PageRequest(limit: limit, cursor: after, maximum: 1_000)
            try Output.print(page: try await options.run { try await $0.customers.customers(page: page, by: $1) })
        }
    }

    struct Tier: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Move a customer to a tier, with the reason (audited).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Customer id.") var id: String
        @Option(help: "The tier.") var tier: String
        @Option(help: "Why (kept in the audit record).") var reason: String

        func run() async throws {
            try Output.print(try await options.run { try await $0.customers.setTier(id, SetTierRequest(tier: tier, reason: reason), by: $1) })
        }
    }

    struct KYC: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kyc", abstract: "A KYC transition: none → pending → verified | rejected; verified → expired (audited, moves the tier).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Customer id.") var id: String
        @Option(help: "pending, verified, rejected or expired.") var state: String
        @Option(help: "Why (kept with the transition and in the audit record).") var reason: String
        @Option(help: "A reference to a document held elsewhere (repeatable; never its contents).") var document: [String] = []

        func run() async throws {
            let request = KYCTransitionRequest(state: state, reason: reason, documents: document.isEmpty ? nil : document)
            try Output.print(try await options.run { try await $0.customers.transition(id, request, by: $1) })
        }
    }

    struct KYCHistory: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "kyc-history", abstract: "A customer's KYC transitions, oldest first, one per line.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Customer id.") var id: String

        func run() async throws {
            for event in try await options.run({ try await $0.customers.kycHistory(id, by: $1) }) { try Output.print(event) }
        }
    }
}

/// `coffer tier list | set`: the identity tiers, built-in and the operator's own.
struct TierCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tier", abstract: "Identity tiers: the built-in four and the operator's own, by rank.", subcommands: [List.self, Set.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every tier, lowest rank first, one per line.")
        @OptionGroup var options: ServiceOptions

        func run() async throws { for tier in try await options.run({ try await $0.customers.tiers(by: $1) }) { try Output.print(tier) } }
    }

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Define (or re-rank) a tier of your own (audited).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Tier name: 1-32 characters from a-z, 0-9, _ and -.") var name: String
        @Option(help: "Rank 0-1000 (anonymous 0, restricted 10, verified 20, institutional 30).") var rank: Int

        func run() async throws {
            try Output.print(try await options.run { try await $0.customers.defineTier(DefineTierRequest(name: name, rank: rank), by: $1) })
        }
    }
}
