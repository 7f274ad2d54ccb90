import HTTPTypes
import Hummingbird

/// Turns Hummingbird's 404 for a known path requested with another method into 405 with an
/// `Allow` header (RFC 9110 §15.5.6), so clients can tell a wrong method from a wrong path.
/// Registered after every route, it only ever wraps the router's not-found responder.
struct MethodNotAllowedMiddleware: RouterMiddleware {
    typealias Context = CofferRequestContext
    let routes: [(path: RouterPath, method: HTTPRequest.Method)]

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound {
            let allowed = allowedMethods(for: request.uri.path)
            guard !allowed.isEmpty else { throw error }
            var response = ObservabilityMiddleware.problemResponse(for: HTTPError(.methodNotAllowed), request: request, context: context)
            response.headers[.allow] = allowed.joined(separator: ", ")
            return response
        }
    }

    /// The methods routed for `path`, sorted; empty when no route matches it. Like the router's
    /// trie, the most literal path wins: /v1/transfers/batch is not /v1/transfers/:id.
    func allowedMethods(for path: String) -> [String] {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        let matching = routes.filter { route in
            route.path.components.count == segments.count && zip(route.path.components, segments).allSatisfy { $0 ~= $1 }
        }
        func literals(_ route: RouterPath) -> [Bool] { zip(route.components, segments).map { $0 == $1 } }
        guard let best = matching.map({ literals($0.path) }).max(by: { $0.lexicographicallyPrecedes($1) { !$0 && $1 } }) else { return [] }
        return Set(matching.filter { literals($0.path) == best }.map(\.method.rawValue)).sorted()
    }
}
