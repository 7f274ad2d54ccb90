import ArgumentParser
import CofferBase
import CofferCore

/// `coffer recon`: statement mappings and imports, matching rules, runs, and a run's matches
/// and exceptions; chains against the ledger's custody accounts (docs/reconciliation.md).
struct ReconCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recon", abstract: "Reconcile the ledger against external statements and chains.",
        subcommands: [Mapping.self, Import.self, Rules.self, Run.self, Chain.self, Runs.self, Matches.self, Exceptions.self, Correction.self, Schedule.self])

    struct Mapping: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Statement column mappings.", subcommands: [Add.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Save a mapping from a JSON file.",
                discussion: """
                    {"id":"col","amount":"col","amount_unit":"minor"|"major","decimals":2,"asset":"col"|{"fixed":"USD"},
                     "time":"col","time_format":"rfc3339"|"unix"|"%Y-%m-%d %H:%M:%S","timezone":"UTC","reference":"col",
                     "description":"col","direction":"col","delimiter":",","decimal_separator":".","thousands_separator":","}
                    """)
            @OptionGroup var options: ServiceOptions
            @Option(help: "The mapping's name.") var name: String
            @Option(help: "A JSON file holding the mapping.") var file: String

            func run() async throws {
                let text = String(decoding: try InputFile.bytes(at: file, what: "mapping"), as: UTF8.self)
                try Output.print(try await options.run { try await $0.recon.addMapping(AddReconMappingRequest(name: name, mapping: text), by: $1) })
            }
        }
    }

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Import a statement (CSV with a header row, or a JSON array) through a mapping.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "The saved mapping to read it with.") var mapping: String
        @Option(help: "The statement file.") var file: String
        @Option(help: "The statement's name.") var name: String

        func run() async throws {
            let content = try InputFile.bytes(at: file, what: "statement")
            try Output.print(try await options.run {
                try await $0.recon.importStatement(ImportStatementRequest(mapping: mapping, name: name, content: content), by: $1)
            })
        }
    }

    struct Rules: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The matching rules, in priority order.", subcommands: [Set.self, Show.self])

        struct Set: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Replace the rules with a file's JSON array.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "A JSON file holding an array of rules.") var file: String

            func run() async throws {
                let text = String(decoding: try InputFile.bytes(at: file, what: "rules"), as: UTF8.self)
                try Output.print(try await options.run { try await $0.recon.setRules(SetReconRulesRequest(rules: text), by: $1) })
            }
        }

        struct Show: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The rules in force.")
            @OptionGroup var options: ServiceOptions

            func run() async throws { try Output.print(try await options.run { try await $0.recon.rules(by: $1) }) }
        }
    }

    struct Run: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reconcile a statement against the ledger.",
            discussion: "Without --from/--to, the ledger side is the statement's period widened by the rules' largest time window, at least three days.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "The imported statement.") var statement: String
        @Option(help: "Only this account's transfers (credited +, debited -).") var account: String?
        @Option(help: "Ledger transfers from this time (RFC 3339).") var from: String?
        @Option(help: "Ledger transfers before this time (RFC 3339).") var to: String?

        func run() async throws {
            let request = RunReconRequest(statement: statement, account: account, from: from, to: to)
            try Output.print(try await options.run { try await $0.recon.run(request, by: $1) })
        }
    }

    struct Chain: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Reconcile what Coffer's addresses hold on a chain against the ledger's custody accounts.",
            discussion: """
                Reads the balances of every address Coffer watches or paid change to on the chain from its node, at one block, and \
                compares them per asset with the custody account (debits minus credits). A difference that deposits still confirming \
                or payouts not yet settled explain is a timing_difference; any other is a balance_difference. Prints the run, with \
                a line per asset in `balances`; `coffer recon exceptions --run R` lists the differences.
                """)
        @OptionGroup var options: ServiceOptions
        @Option(help: "The chain (coffer chain list).") var chain: String

        func run() async throws {
            let request = ChainReconRequest(chain: chain)
            try Output.print(try await options.run { try await $0.recon.reconcileChain(request, by: $1) })
        }
    }

    struct Runs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Runs, newest first, one JSON object per line (trigger: manual or schedule).")
        @OptionGroup var options: ServiceOptions
        @Option(help: "At most this many (1-1000).") var limit = 20

        func run() async throws { for run in try await options.run({ try await $0.recon.runs(limit: limit, by: $1) }) { try Output.print(run) } }
    }

    struct Schedule: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Runs coffer serve makes on its own.", subcommands: [Add.self, List.self, Remove.self])

        struct Add: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Reconcile daily at a time (UTC), or after every statement import.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "Daily at HH:MM UTC.") var daily: String?
            @Flag(help: "After every statement import, that statement.") var onImport = false
            @Option(help: "The statement a daily run reconciles (default: the latest imported).") var statement: String?
            @Option(help: "Only this account's transfers.") var account: String?
            @Option(help: "Daily: this chain against its custody accounts (coffer recon chain) instead of a statement.") var chain: String?

            func run() async throws {
                guard (daily != nil) != onImport else { throw ValidationError("give --daily HH:MM or --on-import") }
                try Output.print(try await options.run {
                    try await $0.recon.addSchedule(kind: onImport ? "on_import" : "daily", at: daily, statement: statement, account: account, chain: chain,
                                                   by: $1)
                })
            }
        }

        struct List: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "The schedules, one JSON object per line.")
            @OptionGroup var options: ServiceOptions

            func run() async throws { for schedule in try await options.run({ try await $0.recon.schedules(by: $1) }) { try Output.print(schedule) } }
        }

        struct Remove: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Remove a schedule.")
            @OptionGroup var options: ServiceOptions
            @Option(help: "The schedule's id.") var id: String

            func run() async throws {
                try await options.run { try await $0.recon.removeSchedule(id, by: $1) }
                try Output.print(["removed": id])
            }
        }
    }

    struct Matches: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A run's matches, one JSON object per line.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "The run's id.") var run: String

        func run() async throws {
            try await options.run { services, caller in
                try await ReconCommand.printAll { page in try await services.recon.matches(run: run, page: page, by: caller) }
            }
        }
    }

    struct Exceptions: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A run's exceptions, one JSON object per line.")
        @OptionGroup var options: ServiceOptions
        @Option(help: "The run's id.") var run: String

        func run() async throws {
            try await options.run { services, caller in
                try await ReconCommand.printAll { page in try await services.recon.exceptions(run: run, page: page, by: caller) }
            }
        }
    }

    /// Every page of a listing, one JSON line per item (no cursor lines: the whole listing).
    static func printAll<T: Encodable & Sendable>(_ read: (PageRequest) async throws -> Page<T>) async throws {
        var after: PageCursor?
        repeat {
            let page = try await read(PageRequest(limit: 1_000, after: after))
            for item in page.items { try Output.print(item) }
            after = page.nextCursor
        } while after != nil
    }
}
