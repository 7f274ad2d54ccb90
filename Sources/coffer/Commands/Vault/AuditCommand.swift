import ArgumentParser
import CofferBase
import CofferCore
import Foundation

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "The tamper-evident audit log of the vault.",
        subcommands: [Verify.self, Export.self]
    )

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; exit 1 naming the first record altered, removed or reordered.")
        @OptionGroup var options: ServiceOptions

        func run() async throws {
            let result = try await options.run { try await $0.audit.verify(by: $1) }
            guard result.intact else {
                throw ServiceError(.rejected, "audit-broken", "audit log broken at record \(result.brokenAt ?? 0): \(result.reason ?? "")")
            }
            try Output.print(result)
        }
    }

    struct Export: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write the audit records (the tenant's, with --tenant) as JSON Lines, in order.")
        @OptionGroup var options: ServiceOptions

        func run() async throws {
            try await options.run { services, caller in
                var page = PageRequest(limit: AuditService.maximumPage)
                while true {
                    let records = try await services.audit.records(page: page, by: caller)
                    for record in records.items { try Output.print(record) }
                    guard let next = records.nextCursor else { return }
                    page = PageRequest(limit: AuditService.maximumPage, after: next)
                }
            }
        }
    }
}
