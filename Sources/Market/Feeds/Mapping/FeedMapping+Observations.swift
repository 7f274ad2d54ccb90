import CofferBase
extension FeedMapping {
    /// Reads the observations in one response body or WebSocket message.
    ///
    /// Steps: reject a body over ``maxBodyBytes``; parse it (strict JSON, CofferBase's parser,
    /// numbers kept as text); apply an absolute filter to the message; find the items; for each
    /// item apply a relative filter, then read pair, price, volume and time.
    ///
    /// - Items that fail the filter, and (with `unmapped: skip`) items whose symbol is not in the
    ///   pair map, are skipped.
    /// - Any other problem with any item throws, naming the item index and field: the caller
    ///   drops the whole message and counts it, rather than acting on part of it.
    /// - Parameter receivedAt: Unix seconds at which the body arrived; copied into each
    ///   observation and used as `sourceTime` when the mapping has no `time`.
    public func observations(from body: [UInt8], receivedAt: Int64) throws(FeedMappingError) -> [FeedObservation] {
        guard body.count <= maxBodyBytes else { throw .bodyTooLarge(bytes: body.count, limit: maxBodyBytes) }
        let root: JSONValue
        do { root = try JSONValue(parsing: body) } catch { throw .malformedJSON(reason: error.description) }
        if let filter, filter.path.isAbsolute, !filter.accepts(root.valueAt(filter.path, item: root, key: nil)) {
            return []
        }
        var observations: [FeedObservation] = []
        for (index, item) in try items(in: root).enumerated() {
            if let filter, !filter.path.isAbsolute, !filter.accepts(root.valueAt(filter.path, item: item.value, key: item.key)) {
                continue
            }
            guard let pair = try pair(of: item, root: root, index: index) else { continue }
            let price = try decimal("price", path: self.price, item: item, root: root, index: index, required: true)!
            if ExactDecimal.isZero(price) { throw .invalidField(item: index, field: "price", reason: "must be greater than zero") }
            var volume: String?
            if let path = self.volume {
                volume = try decimal("volume", path: path, item: item, root: root, index: index, required: false)
            }
            var sourceTime = receivedAt
            if let time {
                sourceTime = try seconds(time, item: item, root: root, index: index)
            }
            observations.append(FeedObservation(pair: pair, price: price, volume: volume, sourceTime: sourceTime, receivedAt: receivedAt))
        }
        return observations
    }

    /// ``observations(from:receivedAt:)`` for a text WebSocket frame.
    public func observations(from text: String, receivedAt: Int64) throws(FeedMappingError) -> [FeedObservation] {
        try observations(from: Array(text.utf8), receivedAt: receivedAt)
    }

    typealias Item = (value: JSONValue, key: String?)

    func items(in root: JSONValue) throws(FeedMappingError) -> [Item] {
        if items.hasWildcard {
            guard items.prefixBeforeWildcardExists(in: root) else { throw .itemsNotFound(path: items.text) }
            return items.matches(in: root)
        }
        guard let match = items.matches(in: root).first else { throw .itemsNotFound(path: items.text) }
        switch match.value {
        case .array(let elements): return elements.map { ($0, nil) }
        case .object: return [match]
        default: throw .itemsNotFound(path: items.text)
        }
    }

    private func pair(of item: Item, root: JSONValue, index: Int) throws(FeedMappingError) -> String? {
        switch pair {
        case .fixed(let pair):
            return pair
        case .path(let path, let map, let unmapped):
            guard let value = root.valueAt(path, item: item.value, key: item.key), value != .null else {
                throw .missingField(item: index, field: "pair", path: path.text)
            }
            guard case .string(let symbol) = value else {
                throw .invalidField(item: index, field: "pair", reason: "expected a string, found \(value.typeName)")
            }
            if let map {
                if let mapped = map[symbol] { return mapped }
                switch unmapped {
                case .skip: return nil
                case .error: throw .invalidField(item: index, field: "pair", reason: "symbol '\(symbol)' is not in the pair map")
                }
            }
            guard let normalized = Self.normalizePair(symbol) else {
                throw .invalidField(item: index, field: "pair", reason: "'\(symbol)' is not BASE/QUOTE, BASE-QUOTE or BASE_QUOTE (add a pair map)")
            }
            return normalized
        }
    }

    /// The exact decimal at `path`: a JSON number or a string holding one, not negative.
    /// `nil` only when not `required` and the value is missing or `null`.
    private func decimal(_ field: String, path: FeedPath, item: Item, root: JSONValue, index: Int, required: Bool) throws(FeedMappingError) -> String? {
        let value = root.valueAt(path, item: item.value, key: item.key)
        let text: String
        switch value {
        case nil, .null?:
            if required { throw .missingField(item: index, field: field, path: path.text) }
            return nil
        case .number(let number)?: text = number
        case .string(let string)?: text = string
        case let other?:
            throw .invalidField(item: index, field: field, reason: "expected a number or a numeric string, found \(other.typeName)")
        }
        switch ExactDecimal.normalize(text) {
        case .success(let normalized): return normalized
        case .failure(let problem): throw .invalidField(item: index, field: field, reason: "'\(Self.clip(text))' \(problem)")
        }
    }

    private func seconds(_ time: Time, item: Item, root: JSONValue, index: Int) throws(FeedMappingError) -> Int64 {
        if time.format == .rfc3339 {
            guard let value = root.valueAt(time.path, item: item.value, key: item.key), value != .null else {
                throw .missingField(item: index, field: "time", path: time.path.text)
            }
            guard case .string(let text) = value else {
                throw .invalidField(item: index, field: "time", reason: "expected an RFC 3339 string, found \(value.typeName)")
            }
            guard let seconds = RFC3339.unixSeconds(text) else {
                throw .invalidField(item: index, field: "time", reason: "'\(Self.clip(text))' is not an RFC 3339 timestamp")
            }
            return seconds
        }
        let plain = try decimal("time", path: time.path, item: item, root: root, index: index, required: true)!
        let integerPart = plain.utf8.prefix(while: { $0 != UInt8(ascii: ".") })
        let divisor: Int64 = switch time.format {
        case .unixSeconds: 1
        case .unixMillis: 1_000
        case .unixMicros: 1_000_000
        case .unixNanos: 1_000_000_000
        case .rfc3339: 1
        }
        guard let units = Int64(String(decoding: integerPart, as: UTF8.self)) else {
            throw .invalidField(item: index, field: "time", reason: "'\(plain)' is out of range")
        }
        return units / divisor  // non-negative, so truncation is the floor
    }

    private static func clip(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(40)) + "…"
    }
}

extension FeedMapping.Filter {
    func accepts(_ value: JSONValue?) -> Bool {
        switch value {
        case .string(let text)?: text == equals
        case .number(let text)?: text == equals
        case .bool(let flag)?: (flag ? "true" : "false") == equals
        case .null?: equals == "null"
        default: false
        }
    }
}

extension JSONValue {
    func valueAt(_ path: FeedPath, item: JSONValue, key: String?) -> JSONValue? {
        path.value(root: self, item: item, key: key)
    }
}
