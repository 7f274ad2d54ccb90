import ArgumentParser
import CofferBase
import CofferCore
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals
import Webhooks

/// `coffer webhook add | list | show | remove | enable | disable | rotate-secret | deliveries |
/// redeliver | deliver`: signed webhooks over the events outbox.
struct WebhookCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhook", abstract: "Signed webhooks: endpoints that receive the events outbox, and their delivery.",
        discussion: """
            Every event an endpoint's filter matches, committed after it was added, is POSTed to it at least once and in \
            order, signed in the Coffer-Signature header (docs/webhooks.md shows how receivers verify it). With --tenant \
            an endpoint receives that tenant's events; without, every event. Secrets are shown once and stored sealed under \
            the vault, so adding, rotating and delivering need the vault passphrase (--passphrase-file).
            """,
        subcommands: [Add.self, List.self, Show.self, Remove.self, Enable.self, Disable.self, RotateSecret.self, Deliveries.self, Redeliver.self, Deliver.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register an endpoint; prints {\"id\",\"secret\",...} with its signing secret, shown this once.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "The receiver's URL: http:// or https://, without user:password@.") var url: String
        @Option(help: "Event types and patterns, comma-separated: payout.*,deposit.credited (* for every event).") var events: String
        @Flag(help: "Register it disabled: nothing is sent until `coffer webhook enable`.") var disabled = false

        func run() async throws {
            let patterns = events.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            let request = AddWebhookRequest(url: url, events: patterns, enabled: !disabled)
            try Output.print(try await options.run { try await $0.webhooks.add(request, by: $1) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The endpoints, one JSON object per line, with where their delivery stands.")
        @OptionGroup var options: ServiceOptions

        func run() async throws {
            for webhook in try await options.run({ try await $0.webhooks.webhooks(by: $1) }) { try Output.print(webhook) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One endpoint.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Endpoint id (whk_...).") var id: String

        func run() async throws { try Output.print(try await options.run { try await $0.webhooks.webhook(id, by: $1) }) }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an endpoint and its delivery log; prints it as it was.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Endpoint id (whk_...).") var id: String

        func run() async throws { try Output.print(try await options.run { try await $0.webhooks.remove(id, by: $1) }) }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enable an endpoint; a failing one resumes at once with the event it stopped at.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Endpoint id (whk_...).") var id: String

        func run() async throws { try Output.print(try await options.run { try await $0.webhooks.setEnabled(id, true, by: $1) }) }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an endpoint: its events wait until it is enabled again.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Endpoint id (whk_...).") var id: String

        func run() async throws { try Output.print(try await options.run { try await $0.webhooks.setEnabled(id, false, by: $1) }) }
    }

    struct RotateSecret: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rotate-secret", abstract: "Replace an endpoint's secret; prints the new one, shown this once.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Endpoint id (whk_...).") var id: String
        @Option(help: "Seconds during which deliveries are also signed with the old secret (0-604800, default 0).") var keepPrevious: Int64?

        func run() async throws {
            try Output.print(try await options.run {
                try await $0.webhooks.rotateSecret(id, RotateWebhookSecretRequest(previousSecretExpiresIn: keepPrevious), by: $1)
            })
        }
    }

    struct Deliveries: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "An endpoint's delivery attempts, oldest first, as JSON Lines.",
            discussion: "When more remain, the last line is {\"next_cursor\":\"...\"}.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Endpoint id (whk_...).") var id: String
        @Option(help: "Attempts per page, 1-1000.") var limit: Int?
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            let page = try PageRequest(limit: limit, cursor: cursor, maximum: 1000)
            try Output.print(page: try await options.run { try await $0.webhooks.deliveries(id, page: page, by: $1) })
        }
    }

    struct Redeliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send one event to an endpoint now; prints the attempt.",
            discussion: """
                An event the endpoint had is sent again. The event a failing (or retrying) endpoint waits at is sent, and a 2xx \
                answer resumes delivery after it. A later event is refused: it would overtake the one it waits at.
                """)
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Endpoint id (whk_...).") var id: String
        @Option(help: "The event's sequence number (`coffer events`).") var event: Int64

        func run() async throws {
            try Output.print(try await options.run { try await $0.webhooks.redeliver(id, RedeliverWebhookRequest(event: event), by: $1) })
        }
    }

    struct Deliver: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deliver events to every endpoint; --once delivers what is due now and exits.",
            discussion: """
                With --once prints {"endpoints","delivered","failed","failing","busy","errors"}; endpoints waiting for a retry \
                keep waiting. Without it, delivers until SIGINT or SIGTERM, as `coffer serve` does. Several processes may run \
                at once: each endpoint is delivered to by one of them at a time.
                """)
        @OptionGroup var options: ServiceOptions
        @Flag(help: "Deliver what is due now, then exit.") var once = false
        @Option(help: "Backoff base in milliseconds (default 10000).") var retryBaseMs: Int64 = 10_000
        @Option(help: "Backoff cap in milliseconds (default 3600000).") var retryCapMs: Int64 = 3_600_000
        @Option(help: "Attempts at one event before the endpoint is marked failing (default 15).") var maxAttempts: Int = 15
        @Option(help: "Milliseconds one attempt may take (default 10000).") var timeoutMs: Int64 = 10_000

        func run() async throws {
            let policy = try WebhookPolicy(retryBaseMilliseconds: retryBaseMs, retryCapMilliseconds: retryCapMs, maximumAttempts: maxAttempts,
                                           timeoutMilliseconds: timeoutMs)
            let caller = try options.tenant.caller()
            try await options.store.withStores { stores in
                let services = CofferServices(stores: stores, vault: try await options.vault.access(stores), signers: CofferServices.payloadSigners,
                                              webhooks: WebhookOptions(policy: policy))
                if once {
                    try Output.print(try await services.webhooks.deliverDue(by: caller))
                    return
                }
                guard caller.tenant == nil else { throw UsageError("coffer webhook deliver runs for every endpoint: run it without --tenant") }
                _ = try services.vault.unlocked(for: caller)
                let logger = Logger(label: "coffer.webhooks")
                let group = ServiceGroup(configuration: ServiceGroupConfiguration(
                    services: [.init(service: WebhookDeliveryService(webhooks: services.webhooks, logger: logger))],
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
                try await group.run()
            }
        }
    }
}
