import Foundation
import Hummingbird

/// /v1/keys: a tenant's admin manages its own API keys (the first key comes from `coffer apikey
/// create`). A key is shown once, at creation; listings show ids, scopes and dates only.
struct TenancyRoutes: Sendable {
    let tenancy: any TenancyStore
    let idempotent: IdempotentPost

    static let keyFields: Set<String> = ["scopes", "label", "expires_at"]

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.get("tenant") { _, context in
            let caller = try context.caller()
            guard let tenant = try await tenancy.tenant(caller.tenantID) else { throw Problem.notFound("the tenant no longer exists") }
            return Response.json(.object([
                ("id", .string(tenant.id)), ("name", .string(tenant.name)), ("created_at", .string(Self.format(tenant.createdAt))),
                ("scopes", .array(caller.scopes.sorted().map { .string($0.rawValue) })),
            ]))
        }
        router.post("keys") { request, context in
            let caller = try context.caller()
            try caller.require(.admin)
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                let input = try JSONInput(body, allowed: Self.keyFields)
                let scopes: Set<APIScope>
                do {
                    scopes = try APIScope.parse((try input.strings("scopes") ?? []).joined(separator: ","))
                } catch let error as ServerError {
                    throw Problem.badRequest(error.description)
                }
                let expires = try input.string("expires_at").map { text throws(Problem) in
                    guard let date = ISO8601DateFormatter().date(from: text), date > Date() else {
                        throw Problem.badRequest("expires_at must be a future RFC 3339 time like 2027-01-01T00:00:00Z")
                    }
                    return date
                }
                let key: APIKey
                do {
                    key = try await tenancy.createKey(tenantID: caller.tenantID, scopes: scopes, label: try input.string("label") ?? "", expiresAt: expires)
                } catch let error as ServerError {
                    throw Problem.badRequest(error.description)
                }
                return (.created, .object([
                    ("id", .string(key.id)), ("key", .string(key.text)), ("scopes", .array(scopes.sorted().map { .string($0.rawValue) })),
                ]))
            }
        }
        router.get("keys") { _, context in
            let caller = try context.caller()
            try caller.require(.admin)
            let keys = try await tenancy.keys(tenantID: caller.tenantID)
            return Response.json(.object([("data", .array(keys.map(Self.json))), ("next_cursor", .null)]))
        }
        router.post("keys/:id/revoke") { request, context in
            let caller = try context.caller()
            try caller.require(.admin)
            let id = try context.parameters.require("id")
            let body = try await HTTPBody.collect(request, context)
            return try await idempotent.run(request, context: context, body: body) {
                // No fields: the body is empty or {}.
                if !body.isEmpty { _ = try JSONInput(body, allowed: []) }
                guard try await tenancy.revokeKey(id, tenantID: caller.tenantID), let record = try await tenancy.key(id) else {
                    throw Problem.notFound("no API key \"\(id.prefix(40))\"")
                }
                return (.ok, Self.json(record))
            }
        }
    }

    static func json(_ record: APIKeyRecord) -> JSONValue {
        .object([
            ("id", .string(record.id)), ("scopes", .array(record.scopes.sorted().map { .string($0.rawValue) })), ("label", .string(record.label)),
            ("created_at", .string(format(record.createdAt))), ("expires_at", record.expiresAt.map { .string(format($0)) } ?? .null),
            ("revoked_at", record.revokedAt.map { .string(format($0)) } ?? .null),
        ])
    }

    static func format(_ date: Date) -> String { ISO8601DateFormatter().string(from: date) }
}
