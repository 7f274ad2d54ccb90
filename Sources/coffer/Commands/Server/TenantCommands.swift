import ArgumentParser
import CofferCore
import Foundation

/// `coffer tenant`: the customers of the HTTP API. Works on the same data directory or database
/// as a running server.
struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant", abstract: "Tenants of the HTTP API.", subcommands: [Create.self, List.self, Show.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant; prints {\"id\":\"...\",...}.")
        @OptionGroup var store: StoreOptions
        @Option(help: "A name for people, 1-100 printable characters.") var name: String

        func run() async throws {
            let caller = try Caller.commandLine()
            try Output.print(try await store.withStores { try await TenancyService(store: $0.tenancy).createTenant(name: name, by: caller) })
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants, one JSON object per line.")
        @OptionGroup var store: StoreOptions

        func run() async throws {
            let caller = try Caller.commandLine()
            for tenant in try await store.withStores({ try await TenancyService(store: $0.tenancy).tenants(by: caller) }) { try Output.print(tenant) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one tenant (as GET /v1/tenant shows it to the tenant).")
        @OptionGroup var store: StoreOptions
        @Option(help: "Tenant id.") var tenant: String

        func run() async throws {
            let caller = try Caller.commandLine(tenantID: tenant)
            try Output.print(try await store.withStores { try await TenancyService(store: $0.tenancy).tenant(by: caller) })
        }
    }
}

/// `coffer apikey`: API keys, shown once at creation, stored as hashes.
struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apikey", abstract: "API keys of a tenant.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a key and print it alone on one line (it is never shown again).",
            discussion: "With --json, print {\"id\",\"key\",\"scopes\"} as POST /v1/keys does.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Tenant id (from `coffer tenant create`).") var tenant: String
        @Option(help: "Comma-separated scopes: read, write, sign, approve, admin.") var scopes: String
        @Option(help: "A label for people.") var label: String?
        @Option(help: "Expiry, RFC 3339, e.g. 2027-01-01T00:00:00Z.") var expires: String?
        @Flag(help: "Print the whole answer as JSON instead of the key alone.") var json = false

        func run() async throws {
            let caller = try Caller.commandLine(tenantID: tenant)
            let request = CreateKeyRequest(scopes: scopes.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }, label: label, expiresAt: expires)
            let key = try await store.withStores { try await TenancyService(store: $0.tenancy).createKey(request, by: caller) }
            if json { try Output.print(key) } else { try Terminal.print(key.key) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's keys (ids, scopes, dates; never the keys).")
        @OptionGroup var store: StoreOptions
        @Option(help: "Tenant id.") var tenant: String

        func run() async throws {
            let caller = try Caller.commandLine(tenantID: tenant)
            try Output.print(page: try await store.withStores { try await TenancyService(store: $0.tenancy).keys(by: caller) })
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; requests with it fail within a second.")
        @OptionGroup var store: StoreOptions
        @Option(help: "Tenant id.") var tenant: String
        @Option(help: "Key id (the part after cfr_).") var id: String

        func run() async throws {
            let caller = try Caller.commandLine(tenantID: tenant)
            try Output.print(try await store.withStores { try await TenancyService(store: $0.tenancy).revokeKey(id, by: caller) })
        }
    }
}
