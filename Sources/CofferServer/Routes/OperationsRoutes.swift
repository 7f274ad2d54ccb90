import Hummingbird
import NIOCore
import Prometheus

/// /health (the process is up), /ready (every store reachable, the vault unlocked), /metrics
/// (Prometheus text format) and /openapi.json; none needs an API key.
struct OperationsRoutes: Sendable {
    let services: CofferServices

    func register(on router: Router<CofferRequestContext>) {
        router.get("health") { _, _ in Response.json(.object([("status", .string("ok"))])) }
        router.get("ready") { _, _ in
            var problems: [String] = []
            for check in services.readiness {
                if let problem = await check() { problems.append(problem) }
            }
            guard problems.isEmpty else {
                return Response.json(
                    Problem(.serviceUnavailable, "not-ready", "Not ready", detail: problems.joined(separator: "; ")).json(instance: "/ready"),
                    status: .serviceUnavailable, contentType: "application/problem+json")
            }
            return Response.json(.object([("status", .string("ready"))]))
        }
        router.get("metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                     body: ResponseBody(byteBuffer: ByteBuffer(bytes: CofferServer.registry.emitToBuffer())))
        }
        router.get("openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: OpenAPIDocument.bytes)))
        }
    }
}
