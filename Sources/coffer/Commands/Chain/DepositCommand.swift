import ArgumentParser
import CofferBase
import CofferCore
import Foundation

/// `coffer deposit address | list`: deposit addresses bound to accounts, and what arrived.
struct DepositCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deposit", abstract: "Deposit addresses and deposits.", subcommands: [Address.self, List.self])

    struct Address: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Hand out fresh addresses of a wallet on a chain, each bound to a ledger account; JSON Lines.",
            discussion: "A new index each time, never reused. Watch-only (xpub) wallets work; HD wallets need the vault passphrase.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Chain name.") var chain: String
        @Option(help: "Wallet name or id.") var wallet: String
        @Option(help: "Ledger account credited for payments to the addresses (holding the chain's asset).") var account: String
        @Option(help: "Bitcoin-like chains: p2wpkh (default), p2sh-p2wpkh, p2pkh, p2tr.") var scheme: String?
        @Option(help: "How many addresses (1-1000, default 1).") var count: UInt32?

        func run() async throws {
            let request = DepositAddressRequest(chain: chain, wallet: wallet, account: account, scheme: scheme, count: count)
            for address in try await options.run({ try await $0.chains.depositAddresses(request, by: $1) }) { try Output.print(address) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Deposits in the order they were first seen, as JSON Lines.",
            discussion: "status: seen | confirming | credited | orphaned | reversed. When more remain, the last line is {\"next_cursor\":\"...\"}.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Only this chain's.") var chain: String?
        @Option(help: "Only deposits credited to this account.") var account: String?
        @Option(help: "Only deposits in this status.") var status: String?
        @Option(help: "Deposits per page, 1-1000.") var limit: Int?
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            let page = try PageRequest(limit: limit, cursor: cursor, maximum: 1000)
            let query = DepositListQuery(chain: chain, account: account, status: status)
            try Output.print(page: try await options.run { try await $0.chains.deposits(query, page: page, by: $1) })
        }
    }
}

/// `coffer invoice create | show | list`: payment requests.
struct InvoiceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "invoice", abstract: "Invoices: an amount on a chain to a fresh one-time address.", subcommands: [Create.self, Show.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an invoice; prints {\"id\",\"address\",\"uri\",\"amount\",\"asset\",\"status\",\"expires_at\",...}.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Chain name.") var chain: String
        @Option(help: "Wallet name or id the address comes from.") var wallet: String
        @Option(help: "Ledger account credited when it is paid.") var account: String
        @Option(help: "Amount in the asset's smallest unit.") var amount: String
        @Option(help: "Asset: the chain's native asset (default) or one of its tokens.") var asset: String?
        @Option(help: "Seconds until it expires (default 3600).") var expiresIn: Int64?
        @Option(help: "A note shown to the payer (BIP21 message).") var memo: String?
        @Option(help: "Bitcoin-like chains: the address scheme (default p2wpkh).") var scheme: String?

        func run() async throws {
            let request = CreateInvoiceRequest(
                chain: chain, wallet: wallet, account: account, amount: amount, asset: asset, expiresIn: expiresIn, memo: memo, scheme: scheme)
            try Output.print(try await options.run { try await $0.invoices.create(request, by: $1) })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One invoice; --qr-svg writes its payment URI's QR code as SVG.")
        @OptionGroup var options: ServiceOptions
        @Argument(help: "Invoice id.") var id: String
        @Option(help: "Write the QR code (SVG) to this file.") var qrSvg: String?

        func run() async throws {
            let (view, svg) = try await options.run { services, caller in
                let view = try await services.invoices.invoice(id, by: caller)
                return (view, qrSvg == nil ? nil : try await services.invoices.qrSVG(id, by: caller))
            }
            if let qrSvg, let svg, !FileManager.default.createFile(atPath: qrSvg, contents: Data(svg.utf8)) {
                throw ServiceError.invalid("cannot write the QR code to \(qrSvg)", code: "cannot-write-file")
            }
            try Output.print(view)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Invoices in creation order, as JSON Lines.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "Only invoices in this status: open, paid, underpaid, overpaid, expired.") var status: String?
        @Option(help: "Invoices per page, 1-1000.") var limit: Int?
        @Option(help: "The next_cursor printed by the previous page.") var cursor: String?

        func run() async throws {
            let page = try PageRequest(limit: limit, cursor: cursor, maximum: 1000)
            try Output.print(page: try await options.run { try await $0.invoices.invoices(status: status, page: page, by: $1) })
        }
    }
}

/// `coffer events`: the outbox of deposit and invoice changes.
struct EventsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events", abstract: "Deposit and invoice events after a sequence number, oldest first, as JSON Lines.")
    @OptionGroup var options: ServiceOptions
    @Option(help: "Only events after this sequence number (default 0).") var after: Int64 = 0
    @Option(help: "At most this many (1-1000, default 100).") var limit: Int = 100

    func run() async throws {
        for event in try await options.run({ try await $0.chains.events(after: after, limit: limit, by: $1) }) { try Output.print(event) }
    }
}
