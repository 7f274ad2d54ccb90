import Foundation
import Hummingbird
import Vault

/// Pieces the vault routes share: `?limit=&cursor=` over row sequence numbers, short text
/// fields, and turning vault errors (whose messages never hold secrets) into problem documents.
enum VaultRouteSupport {
    /// `limit` (1...`maximum`, default 100) and `cursor` (an opaque token from `next_cursor`).
    static func page(_ request: Request, maximum: Int = 1_000) throws(Problem) -> (limit: Int, after: Int64?) {
        let query = request.uri.queryParameters
        var limit = 100
        if let text = query["limit"] {
            guard let value = Int(String(text)), (1...maximum).contains(value) else {
                throw Problem.badRequest("limit must be a whole number from 1 to \(maximum)")
            }
            limit = value
        }
        var after: Int64?
        if let text = query["cursor"] {
            guard text.hasPrefix("s"), let value = Int64(String(text.dropFirst())), value > 0 else {
                throw Problem.badRequest("cursor is not one this server gave out; pass next_cursor from the previous page")
            }
            after = value
        }
        return (limit, after)
    }

    /// The `{"data":[...],"next_cursor":...}` envelope; a full page gets a cursor after its last row.
    static func envelope(_ rows: [JSONValue], lastSeq: Int64?, limit: Int) -> JSONValue {
        let next: JSONValue = rows.count == limit ? lastSeq.map { .string("s\($0)") } ?? .null : .null
        return .object([("data", .array(rows)), ("next_cursor", next)])
    }

    /// Refuses query parameters other than `allowed`.
    static func onlyQuery(_ request: Request, _ allowed: Set<String>) throws(Problem) {
        if let unknown = request.uri.queryParameters.map({ String($0.key) }).sorted().first(where: { !allowed.contains($0) }) {
            throw Problem.badRequest("unknown query parameter \"\(unknown.prefix(40))\"; use \(allowed.sorted().joined(separator: ", "))")
        }
    }

    /// An optional short text: 1-`maximum` characters, no control characters.
    static func text(_ value: String?, field: String, maximum: Int = 200) throws(Problem) -> String? {
        guard let value else { return nil }
        guard !value.isEmpty, value.count <= maximum, !value.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw Problem.badRequest("\(field) must be 1-\(maximum) characters without control characters")
        }
        return value
    }

    /// A vault failure as a problem: a locked or rotated vault is 503, anything else the server's
    /// own failure (the caller's input was checked before the vault was asked).
    static func problem(_ error: VaultError) -> Problem {
        if error == .rotatedSinceUnlock || error == .notInitialized {
            return VaultServices.locked("\(error.description); restart coffer serve with the current passphrase file")
        }
        return Problem(.internalServerError, "vault-error", "The vault failed", detail: error.description)
    }

    /// A JSON value parsed by Foundation, as hand-written JSON (integers stay integers).
    static func json(_ value: Any) -> JSONValue {
        switch value {
        case let text as String: return .string(text)
        case let flag as Bool where type(of: value) == Bool.self: return .bool(flag)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .bool(number.boolValue) }
            return .int(number.int64Value)
        case let number as Int: return .int(Int64(number))
        case let items as [Any]: return .array(items.map(json))
        case let fields as [String: Any]: return .object(fields.keys.sorted().map { ($0, json(fields[$0]!)) })
        default: return .null
        }
    }
}
