import CofferBase
import Hummingbird
import NIOCore
import Prometheus

/// /health (the process is up), /ready (every store reachable, the vault unlocked), /metrics
/// (Prometheus text format) and /openapi.json; none needs an API key.
struct OperationsRoutes: Sendable {
    let readiness: [@Sendable () async -> String?]

    struct Status: Encodable { let status: String }

    func register(on router: Router<CofferRequestContext>) {
        let healthy = ByteBuffer(bytes: (try? JSONEncoding.encode(Status(status: "ok"))) ?? [])
        router.get("health") { _, _ in Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: healthy)) }
        router.get("ready") { _, _ in
            var problems: [String] = []
            for check in readiness {
                if let problem = await check() { problems.append(problem) }
            }
            guard problems.isEmpty else {
                throw ServiceError(.unavailable, "not-ready", problems.joined(separator: "; "))
            }
            return try Response.json(Status(status: "ready"))
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
