import ArgumentParser
import CofferBase
import CofferCore
import Foundation

/// `coffer limit set | list | usage | check-and-reserve | commit | release`: payment limits per
/// tier and customer, and the reservations that count against them.
struct LimitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "limit", abstract: "Payment limits per tier or customer, usage against them, and reservations.",
        discussion: """
            Amounts are in the asset's smallest unit. Windows are rolling (24 h, 7 d, 30 d, to the second). A reservation \
            is a pending ledger transfer counted against the limits in the same commit, so concurrent requests never \
            together exceed a limit; `commit` posts it (the amount stays in the windows), `release` voids it (the amount \
            is given back).
            """,
        subcommands: [Set.self, List.self, Usage.self, CheckAndReserve.self, Commit.self, Release.self])

    struct Set: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a tier's (or one customer's own) limits in an asset; only the limits given change, \"none\" removes one (audited).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "The tier whose limits these are.") var tier: String?
        @Option(help: "Or one customer, whose own limits override its tier's.") var customer: String?
        @Option(help: "Asset code.") var asset: String
        @Option(help: "Most per transaction.") var perTx: String?
        @Option(help: "Most in any 24 hours.") var daily: String?
        @Option(help: "Most in any 7 days.") var weekly: String?
        @Option(help: "Most in any 30 days.") var monthly: String?
        @Option(help: "Most payouts in any hour.") var payoutsPerHour: String?
        @Option(help: "Most payouts in any 24 hours.") var payoutsPerDay: String?
        @Option(help: "Most per transaction to a destination never paid before.") var newDestinationPerTx: String?
        @Option(help: "Most in any 24 hours to destinations never paid before.") var newDestinationDaily: String?
        @Option(help: "Above this amount, a request with risk signals needs a TOTP code.") var stepUpAbove: String?

        func run() async throws {
            let request = SetLimitsRequest(tier: tier, customer: customer, asset: asset, perTx: perTx, daily: daily, weekly: weekly, monthly: monthly,
                                           payoutsPerHour: payoutsPerHour, payoutsPerDay: payoutsPerDay, newDestinationPerTx: newDestinationPerTx,
                                           newDestinationDaily: newDestinationDaily, stepUpAbove: stepUpAbove)
            try Output.print(try await options.run { try await $0.customers.setLimits(request, by: $1) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every configured limit set, one per line.")
        @OptionGroup var options: ServiceOptions

        func run() async throws { for limits in try await options.run({ try await $0.customers.limits(by: $1) }) { try Output.print(limits) } }
    }

    struct Usage: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How much the customer has used and can still send, per window.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Customer id.") var customer: String
        @Option(help: "Asset code.") var asset: String
        @Option(help: "RFC 3339 time to look from (default now).") var at: String?

        func run() async throws {
            try Output.print(try await options.run { try await $0.customers.usage(customer: customer, asset: asset, at: at, by: $1) })
        }
    }

    struct CheckAndReserve: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check an amount against the customer's limits and hold it (a pending transfer) in one commit.",
            discussion: """
                Prints {"id","result":"reserved"} or {"id","result":"limit_exceeded","limit":"daily","remaining":"..."} (exit 0 \
                either way). Without risk signals only the limits apply; with --device-id, --ip-address, --password-changed-at or \
                --code the risk score applies too (it may lower the limits, ask for a step-up code: "step_up_required", or hold \
                the request: "held").
                """)
        @OptionGroup var options: ServiceOptions
        @Option(help: "Customer id.") var customer: String
        @Option(help: "The customer's ledger account the amount is held on.") var account: String
        @Option(help: "Asset code.") var asset: String
        @Option(help: "Smallest units.") var amount: String
        @Option(help: "Reservation id (idempotency key; at most 59 characters).") var id: String
        @Option(help: "RFC 3339 time the request counts at in the windows (default now; for testing windows).") var at: String?
        @Option(help: "Account the amount goes to when committed (default outgoing:ASSET).") var to: String?
        @Option(help: "Destination address it pays (new-destination limits).") var destination: String?
        @Option(help: "Risk signal: the device id.") var deviceId: String?
        @Option(help: "Risk signal: the client's IP address.") var ipAddress: String?
        @Option(help: "Risk signal: when the customer last changed its password (RFC 3339).") var passwordChangedAt: String?
        @Option(help: "A TOTP step-up code.") var code: String?

        func run() async throws {
            let signals = RiskSignalsRequest(deviceID: deviceId, ipAddress: ipAddress, passwordChangedAt: passwordChangedAt, stepUpCode: code)
            let request = ReserveRequest(id: id, customer: customer, account: account, asset: asset, amount: amount, at: at, to: to,
                                         destination: destination, signals: signals.isEmpty ? nil : signals)
            try Output.print(try await options.run { try await $0.customers.reserve(request, by: $1) })
        }
    }

    struct Commit: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Keep a reservation: post its pending transfer; the amount stays in the windows.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Reservation id.") var id: String

        func run() async throws { try Output.print(try await options.run { try await $0.customers.finish(id, commit: true, by: $1) }) }
    }

    struct Release: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Give a reservation back: void its pending transfer and free the amount in every window.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Reservation id.") var id: String

        func run() async throws { try Output.print(try await options.run { try await $0.customers.finish(id, commit: false, by: $1) }) }
    }
}

/// `coffer totp enroll | verify`: TOTP step-up codes (RFC 6238), secrets sealed under the vault.
struct TOTPCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "totp", abstract: "TOTP step-up verification (RFC 6238); needs the vault passphrase.", subcommands: [Enroll.self, Verify.self])

    struct Enroll: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Enrol a customer: prints {\"uri\",\"secret_base32\",\"qr_svg\",...}, shown this once (the secret is kept sealed).",
            discussion: "A database without a vault gets one first, made with the passphrase, as `coffer serve` does.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Customer id.") var customer: String
        @Option(help: "SHA1 (default, what most apps support), SHA256 or SHA512.") var algorithm: String?
        @Option(help: "6 (default) or 8 digits.") var digits: Int?

        func run() async throws {
            try Output.print(try await options.run(createVault: true) { try await $0.customers.enrollTOTP(customer: customer, algorithm: algorithm, digits: digits, by: $1) })
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check a code: exit 0 when valid, 1 otherwise (a code is accepted once; failures are rate-limited and audited).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Customer id.") var customer: String
        @Option(help: "The code the customer's authenticator shows.") var code: String
        @Option(help: "RFC 3339 time to check at (default now).") var at: String?

        func run() async throws {
            let result = try await options.run { try await $0.customers.verifyTOTP(customer: customer, code: code, at: at, by: $1) }
            try Output.print(result)
            if !result.valid { throw ExitCode(1) }
        }
    }
}
