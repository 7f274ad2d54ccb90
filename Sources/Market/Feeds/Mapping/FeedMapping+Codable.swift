import CofferBase
import Foundation

/// A coding key for any string, used to read every key present and reject unknown ones.
struct AnyCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ string: String) { stringValue = string }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

extension FeedMapping: Codable {
    /// Decodes and validates the snake_case JSON form (see ``FeedMapping``).
    ///
    /// Unknown fields are rejected (a misspelt `"volumne"` must not silently do nothing). Errors
    /// are ``FeedMappingError/invalidMapping(field:reason:)`` naming the dotted field, except
    /// wrong JSON types, which surface as the decoder's `DecodingError` (``init(json:)`` converts
    /// those too).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: AnyCodingKey.self)
        try Self.rejectUnknownKeys(c, allowed: ["items", "pair", "price", "volume", "time", "filter", "max_body_bytes"], prefix: "")

        let items = try Self.requiredPath(c, "items", field: "items")

        guard c.contains(AnyCodingKey("pair")) else { throw FeedMappingError.invalidMapping(field: "pair", reason: "is required") }
        let p = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("pair"))
        try Self.rejectUnknownKeys(p, allowed: ["path", "map", "unmapped", "fixed"], prefix: "pair.")
        let pair: Pair
        if let fixed = try p.decodeIfPresent(String.self, forKey: AnyCodingKey("fixed")) {
            for other in ["path", "map", "unmapped"] where p.contains(AnyCodingKey(other)) {
                throw FeedMappingError.invalidMapping(field: "pair.\(other)", reason: "cannot be combined with 'pair.fixed'")
            }
            pair = .fixed(fixed)
        } else {
            guard p.contains(AnyCodingKey("path")) else {
                throw FeedMappingError.invalidMapping(field: "pair", reason: "needs either 'path' or 'fixed'")
            }
            let path = try Self.requiredPath(p, "path", field: "pair.path")
            let map = try p.decodeIfPresent([String: String].self, forKey: AnyCodingKey("map"))
            let unmappedText = try p.decodeIfPresent(String.self, forKey: AnyCodingKey("unmapped"))
            var unmapped = Unmapped.skip
            if let unmappedText {
                guard let value = Unmapped(rawValue: unmappedText) else {
                    throw FeedMappingError.invalidMapping(field: "pair.unmapped", reason: "must be 'skip' or 'error', not '\(unmappedText)'")
                }
                guard map != nil else { throw FeedMappingError.invalidMapping(field: "pair.unmapped", reason: "only applies with 'pair.map'") }
                unmapped = value
            }
            pair = .path(path, map: map, unmapped: unmapped)
        }

        let price = try Self.requiredPath(c, "price", field: "price")
        let volume = try Self.optionalPath(c, "volume", field: "volume")

        var time: Time?
        if c.contains(AnyCodingKey("time")) {
            let t = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("time"))
            try Self.rejectUnknownKeys(t, allowed: ["path", "format"], prefix: "time.")
            let path = try Self.requiredPath(t, "path", field: "time.path")
            guard let formatText = try t.decodeIfPresent(String.self, forKey: AnyCodingKey("format")) else {
                throw FeedMappingError.invalidMapping(field: "time.format", reason: "is required")
            }
            guard let format = TimeFormat(rawValue: formatText) else {
                let known = TimeFormat.allCases.map { "'\($0.rawValue)'" }.joined(separator: ", ")
                throw FeedMappingError.invalidMapping(field: "time.format", reason: "'\(formatText)' is not one of \(known)")
            }
            time = Time(path: path, format: format)
        }

        var filter: Filter?
        if c.contains(AnyCodingKey("filter")) {
            let f = try c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("filter"))
            try Self.rejectUnknownKeys(f, allowed: ["path", "equals"], prefix: "filter.")
            let path = try Self.requiredPath(f, "path", field: "filter.path")
            guard let equals = try f.decodeIfPresent(String.self, forKey: AnyCodingKey("equals")) else {
                throw FeedMappingError.invalidMapping(field: "filter.equals", reason: "is required (a string)")
            }
            filter = Filter(path: path, equals: equals)
        }

        let maxBodyBytes = try c.decodeIfPresent(Int.self, forKey: AnyCodingKey("max_body_bytes")) ?? Self.defaultMaxBodyBytes
        try self.init(items: items, pair: pair, price: price, volume: volume, time: time, filter: filter, maxBodyBytes: maxBodyBytes)
    }

    /// Encodes the snake_case JSON form; decoding the result gives an equal mapping.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: AnyCodingKey.self)
        try c.encode(items.text, forKey: AnyCodingKey("items"))
        var p = c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("pair"))
        switch pair {
        case .fixed(let text):
            try p.encode(text, forKey: AnyCodingKey("fixed"))
        case .path(let path, let map, let unmapped):
            try p.encode(path.text, forKey: AnyCodingKey("path"))
            if let map {
                try p.encode(map, forKey: AnyCodingKey("map"))
                try p.encode(unmapped.rawValue, forKey: AnyCodingKey("unmapped"))
            }
        }
        try c.encode(price.text, forKey: AnyCodingKey("price"))
        try c.encodeIfPresent(volume?.text, forKey: AnyCodingKey("volume"))
        if let time {
            var t = c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("time"))
            try t.encode(time.path.text, forKey: AnyCodingKey("path"))
            try t.encode(time.format.rawValue, forKey: AnyCodingKey("format"))
        }
        if let filter {
            var f = c.nestedContainer(keyedBy: AnyCodingKey.self, forKey: AnyCodingKey("filter"))
            try f.encode(filter.path.text, forKey: AnyCodingKey("path"))
            try f.encode(filter.equals, forKey: AnyCodingKey("equals"))
        }
        try c.encode(maxBodyBytes, forKey: AnyCodingKey("max_body_bytes"))
    }

    /// Decodes a mapping from its JSON text, with every failure — invalid JSON, a wrong type, a
    /// missing or unknown field, an invalid value — as ``FeedMappingError/invalidMapping(field:reason:)``
    /// naming the dotted field.
    public init(json: [UInt8]) throws(FeedMappingError) {
        do {
            self = try JSONDecoder().decode(FeedMapping.self, from: Data(json))
        } catch let error as FeedMappingError {
            throw error
        } catch let error as DecodingError {
            throw Self.convert(error)
        } catch {
            throw .invalidMapping(field: "", reason: "\(error)")
        }
    }

    /// ``init(json:)`` from a string.
    public init(json: String) throws(FeedMappingError) {
        try self.init(json: Array(json.utf8))
    }

    private static func fieldName(_ path: [any CodingKey], _ last: (any CodingKey)? = nil) -> String {
        (path + (last.map { [$0] } ?? [])).map { key in
            key.intValue.map { "[\($0)]" } ?? key.stringValue
        }.joined(separator: ".")
    }

    private static func convert(_ error: DecodingError) -> FeedMappingError {
        switch error {
        case let .typeMismatch(type, context):
            let expected = switch type {
            case is String.Type: "a string"
            case is Int.Type: "an integer"
            case is [String: String].Type: "an object of strings"
            default: "a JSON object"
            }
            return .invalidMapping(field: fieldName(context.codingPath), reason: "must be \(expected)")
        case let .valueNotFound(_, context):
            return .invalidMapping(field: fieldName(context.codingPath), reason: "must not be null")
        case let .keyNotFound(key, context):
            return .invalidMapping(field: fieldName(context.codingPath, key), reason: "is required")
        case let .dataCorrupted(context):
            let underlying = context.underlyingError.map { ": \($0)" } ?? ""
            let field = fieldName(context.codingPath)
            return .invalidMapping(field: field, reason: context.codingPath.isEmpty
                ? "not valid JSON\(underlying)" : "\(context.debugDescription)\(underlying)")
        @unknown default:
            return .invalidMapping(field: "", reason: "\(error)")
        }
    }

    private static func rejectUnknownKeys(_ c: KeyedDecodingContainer<AnyCodingKey>, allowed: Set<String>, prefix: String) throws {
        for key in c.allKeys.map(\.stringValue).sorted() where !allowed.contains(key) {
            throw FeedMappingError.invalidMapping(field: prefix + key, reason: "unknown field (expected one of \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    private static func optionalPath(_ c: KeyedDecodingContainer<AnyCodingKey>, _ key: String, field: String) throws -> FeedPath? {
        guard let text = try c.decodeIfPresent(String.self, forKey: AnyCodingKey(key)) else { return nil }
        return try FeedPath(parsing: text, field: field)
    }

    private static func requiredPath(_ c: KeyedDecodingContainer<AnyCodingKey>, _ key: String, field: String) throws -> FeedPath {
        guard let path = try optionalPath(c, key, field: field) else {
            throw FeedMappingError.invalidMapping(field: field, reason: "is required")
        }
        return path
    }
}
