import ArgumentParser
import CofferBase
import Foundation

/// `coffer`: the operator CLI and, later, the HTTP service of the Coffer wallet platform.
@main
struct Coffer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coffer",
        abstract: "Self-hosted wallet and payments platform: HD wallets, deposit addresses, vault, ledger.",
        discussion: """
            Secrets (mnemonics, passphrases) are read from standard input or files, never from arguments.
            Exit status: 0 success, 1 rejected input or failed check, 2 usage error, 75 temporarily unavailable
            (retry later), 70 Coffer's own failure. Errors are one line: "coffer: error: MESSAGE [CODE]".
            """,
        version: "0.1.0",
        subcommands: [
            MnemonicCommand.self, ShamirCommand.self, DeriveCommand.self, XpubCommand.self, AddressCommand.self,
            VaultCommand.self, WalletCommand.self, PolicyCommand.self, ApproverCommand.self, SignCommand.self, KeystoreCommand.self,
            AuditCommand.self, LedgerCommand.self, ChainCommand.self, DepositCommand.self, InvoiceCommand.self, SplitCommand.self, PayoutCommand.self, EventsCommand.self, WebhookCommand.self, CustomerCommand.self, TierCommand.self, LimitCommand.self, TOTPCommand.self, CaseCommand.self, AMLCommand.self, MarketCommand.self, ReconCommand.self, ReportCommand.self, ValueCommand.self, FormatCommand.self, ServeCommand.self, TenantCommand.self, APIKeyCommand.self, DemoCommand.self, BenchCommand.self,
        ]
    )

    /// Parses, runs, and maps every error to one line on stderr and an exit status. Argument
    /// Parser's own handler would print the whole usage text; operators' scripts want one line.
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                exit(withError: error)  // --help, --version
            }
            Terminal.fail(message(for: error), hint: "see coffer --help", status: 2)
        }
        do {
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                var syncCommand = command
                try syncCommand.run()
            }
        } catch where exitCode(for: error) == .success {
            // `--help` parses into Argument Parser's help command, whose run() throws the request;
            // a command group run without a subcommand throws CleanExit.helpRequest.
            exit(withError: error)
        } catch let error as UsageError {
            Terminal.fail(error.message, hint: nil, status: 2)
        } catch let error as ExitCode {
            Foundation.exit(error.rawValue)
        } catch let error as any CofferError {
            // The one mapping of Coffer's errors at this door: the category decides the exit
            // status (ErrorCategory.exitStatus), and the line carries the stable code.
            Terminal.fail("\(error.description) [\(error.code)]", hint: nil, status: error.category.exitStatus)
        } catch where String(reflecting: type(of: error)).hasPrefix("ArgumentParser.") {
            // Help for a command group, and validation errors raised while running.
            if exitCode(for: error) == .success { exit(withError: error) }
            Terminal.fail(message(for: error), hint: "see coffer --help", status: 2)
        } catch let error as any CustomStringConvertible & Error {
            Terminal.fail(error.description, hint: nil, status: 1)
        } catch {
            Terminal.fail("\(error)", hint: nil, status: 1)
        }
    }
}
