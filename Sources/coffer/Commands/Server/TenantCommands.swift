import ArgumentParser
import CofferServer
import Foundation

/// `coffer tenant`: the customers of the HTTP API. Works on the same data directory or database
/// as a running server.
struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "tenant", abstract: "Tenants of the HTTP API.", subcommands: [Create.self, List.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a tenant; prints {\"id\":\"...\"}.")
        @OptionGroup var storage: ServiceStorageOptions
        @Option(help: "A name for people, 1-100 printable characters.") var name: String

        func run() async throws {
            let tenant = try await storage.open().tenancy.createTenant(name: name)
            try Terminal.print(JSONValue.object([("id", .string(tenant.id)), ("name", .string(tenant.name))]).text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants, one JSON object per line.")
        @OptionGroup var storage: ServiceStorageOptions

        func run() async throws {
            for tenant in try await storage.open().tenancy.tenants() {
                try Terminal.print(JSONValue.object([("id", .string(tenant.id)), ("name", .string(tenant.name))]).text)
            }
        }
    }
}

/// `coffer apikey`: API keys, shown once at creation, stored as hashes.
struct APIKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apikey", abstract: "API keys of a tenant.", subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it alone on one line (it is never shown again).")
        @OptionGroup var storage: ServiceStorageOptions
        @Option(help: "Tenant id (from `coffer tenant create`).") var tenant: String
        @Option(help: "Comma-separated scopes: read, write, sign, approve, admin.") var scopes: String
        @Option(help: "A label for people.") var label: String = ""
        @Option(help: "Expiry, RFC 3339, e.g. 2027-01-01T00:00:00Z.") var expires: String?

        func run() async throws {
            let scopeSet = try APIScope.parse(scopes)
            let expiry = try expires.map { text throws in
                guard let date = ISO8601DateFormatter().date(from: text), date > Date() else {
                    throw UsageError("--expires must be a future RFC 3339 time like 2027-01-01T00:00:00Z")
                }
                return date
            }
            let key = try await storage.open().tenancy.createKey(tenantID: tenant, scopes: scopeSet, label: label, expiresAt: expiry)
            try Terminal.print(key.text)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's keys (ids, scopes, dates; never the keys).")
        @OptionGroup var storage: ServiceStorageOptions
        @Option(help: "Tenant id.") var tenant: String

        func run() async throws {
            let formatter = ISO8601DateFormatter()
            for record in try await storage.open().tenancy.keys(tenantID: tenant) {
                try Terminal.print(JSONValue.object([
                    ("id", .string(record.id)), ("scopes", .string(record.scopeText)), ("label", .string(record.label)),
                    ("created_at", .string(formatter.string(from: record.createdAt))),
                    ("expires_at", record.expiresAt.map { .string(formatter.string(from: $0)) } ?? .null),
                    ("revoked_at", record.revokedAt.map { .string(formatter.string(from: $0)) } ?? .null),
                ]).text)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key; requests with it fail within a second.")
        @OptionGroup var storage: ServiceStorageOptions
        @Option(help: "Tenant id.") var tenant: String
        @Option(help: "Key id (the part after cfr_).") var id: String

        func run() async throws {
            guard try await storage.open().tenancy.revokeKey(id, tenantID: tenant) else {
                throw CLIError("tenant \(tenant) has no API key \(id)")
            }
            try Terminal.print(JSONValue.object([("id", .string(id)), ("revoked", .bool(true))]).text)
        }
    }
}
