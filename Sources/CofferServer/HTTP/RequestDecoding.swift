import CofferBase
import Hummingbird
import NIOCore

/// Request bodies, collected up to the configured limit (413 beyond it).
enum HTTPBody {
    static func collect(_ request: Request, _ context: CofferRequestContext) async throws -> [UInt8] {
        let buffer = try await request.body.collect(upTo: context.bodyLimit)
        return Array(buffer.readableBytesView)
    }

    /// The body as `T`, strictly (`JSONDecoding`): unknown members, wrong types and missing
    /// fields are 400 with the field named.
    static func decode<T: Decodable>(_ type: T.Type, _ body: [UInt8]) throws -> T {
        guard !body.isEmpty else { throw ServiceError.invalid("the request body is empty; send a JSON object") }
        return try JSONDecoding.decode(type, from: body)
    }
}

/// A request's query parameters, read strictly: any not in `allowed` is refused.
struct QueryParameters {
    let values: [String: String]

    init(_ request: Request, allowed: Set<String>) throws(ServiceError) {
        var values: [String: String] = [:]
        for (name, value) in request.uri.queryParameters {
            let key = String(name)
            guard allowed.contains(key) else {
                throw ServiceError.invalid("unknown query parameter \"\(key.prefix(40))\"; use \(allowed.sorted().joined(separator: ", "))")
            }
            values[key] = String(value)
        }
        self.values = values
    }

    subscript(name: String) -> String? { values[name] }

    /// A whole-number parameter, or nil when absent.
    func integer(_ name: String) throws(ServiceError) -> Int64? {
        try values[name].map { text throws(ServiceError) in
            guard let value = Int64(text) else { throw ServiceError.invalid("\(name) must be a whole number") }
            return value
        }
    }

    /// `limit` (1...`maximum`, default 100) and `cursor` (from a `next_cursor`).
    func page(maximum: Int) throws -> PageRequest {
        let limit = try values["limit"].map { text throws(ServiceError) in
            guard let value = Int(text) else { throw ServiceError.invalid("limit must be a whole number from 1 to \(maximum)") }
            return value
        }
        return try PageRequest(limit: limit, cursor: values["cursor"], maximum: maximum)
    }
}

extension Parameters {
    /// A path parameter the route declares.
    func path(_ name: String) throws -> String { try require(name) }
}
