import CofferCore
import Hummingbird

/// /v1/audit: the tamper-evident audit log as the tenant may see it, and a check of the whole chain.
struct AuditRoutes: Sendable {
    let audit: AuditService

    func register(on router: RouterGroup<CofferRequestContext>) {
        router.get("audit") { request, context in
            let page = try QueryParameters(request, allowed: ["limit", "cursor"]).page(maximum: AuditService.maximumPage)
            return try Response.json(try await audit.records(page: page, by: try context.requireCaller()))
        }
        router.get("audit/verify") { _, context in try Response.json(try await audit.verify(by: try context.requireCaller())) }
    }
}
