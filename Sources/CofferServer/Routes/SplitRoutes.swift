import CofferBase
import CofferCore
import Hummingbird

/// /v1/split-rules: how payments credited to an account, or paid to an invoice, are divided
/// among recipients. PUT sets or replaces a rule (idempotent: the same rule again is the same
/// state), GET shows it, DELETE removes it and answers the rule it was.
struct SplitRoutes: Sendable {
    let splits: SplitService

    func register(on router: RouterGroup<CofferRequestContext>) {
        for (path, parameter) in [("split-rules/accounts/:account", "account"), ("split-rules/invoices/:id", "id")] {
            @Sendable func target(_ context: CofferRequestContext) throws -> SplitTarget {
                let name = try context.parameters.path(parameter)
                return parameter == "id" ? .invoice(name) : .account(name)
            }
            router.put(RouterPath(path)) { request, context in
                let caller = try context.requireCaller()
                let body = try await HTTPBody.collect(request, context)
                let rule = try HTTPBody.decode(SetSplitRuleRequest.self, body)
                return try Response.json(try await splits.set(try target(context), rule, by: caller))
            }
            router.get(RouterPath(path)) { _, context in
                try Response.json(try await splits.rule(try target(context), by: try context.requireCaller()))
            }
            router.delete(RouterPath(path)) { _, context in
                try Response.json(try await splits.remove(try target(context), by: try context.requireCaller()))
            }
        }
    }
}
