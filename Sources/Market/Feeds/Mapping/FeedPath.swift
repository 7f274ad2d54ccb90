import CofferBase
/// A path into a JSON document, as written in a ``FeedMapping``.
///
/// Syntax (deliberately small and exact; there is no escaping and no filter expression):
/// - Steps are separated by `.`: `data.tickers`, `result.XXBTZUSD.c`.
/// - `[n]` selects element `n` (0-based, decimal, no leading zeros) of an array and may follow any
///   step or start the path: `c[0]`, `data[2].price`, `[7]`, `$[0][1]`.
/// - `*` (or `[*]`) is a wildcard over an array's elements or an object's values, in document
///   order: `data.*`, `result.*`, `books[*].bids`. Only the `items` path may contain wildcards.
/// - `$` alone is the whole document; a path starting with `$.` or `$[` is resolved from the
///   document root even where other paths are resolved from the current item (field paths and
///   the filter), e.g. `$.channel` to read the envelope of a message whose items are `data.*`.
/// - `@key` (the whole path) is the object key under which the current item was found, e.g. the
///   pair `XXBTZUSD` of Kraken's `{"result":{"XXBTZUSD":{…}}}` with items `result.*`.
/// - Keys are taken literally; a key containing `.`, `[` or `]`, or equal to `*`, cannot be addressed.
public struct FeedPath: Sendable, Hashable, CustomStringConvertible {
    /// Where resolution starts.
    enum Origin: Sendable, Hashable {
        /// The current item (or the root, for the `items` path itself).
        case item
        /// The document root (`$`, `$.…`, `$[…]`).
        case root
        /// `@key`: the key of the current item in its parent object.
        case itemKey
    }

    enum Step: Sendable, Hashable {
        case key(String)
        case index(Int)
        case wildcard
    }

    /// The path exactly as written.
    public let text: String
    let origin: Origin
    let steps: [Step]

    /// Parses a path; throws ``FeedMappingError/invalidMapping(field:reason:)`` naming `"path"`.
    public init(_ text: String) throws(FeedMappingError) {
        try self.init(parsing: text, field: "path")
    }

    init(parsing text: String, field: String) throws(FeedMappingError) {
        func invalid(_ reason: String) -> FeedMappingError {
            .invalidMapping(field: field, reason: "invalid path '\(text)': \(reason)")
        }
        self.text = text
        if text == "@key" {
            origin = .itemKey
            steps = []
            return
        }
        var rest = Substring(text)
        var origin = Origin.item
        var steps: [Step] = []
        var segmentMayBeEmpty = true
        if rest.first == "$" {
            origin = .root
            rest.removeFirst()
            if rest.isEmpty {
                self.origin = origin
                self.steps = steps
                return
            }
            if rest.first == "." {
                rest.removeFirst()
                segmentMayBeEmpty = false
            } else if rest.first != "[" {
                throw invalid("'$' must be followed by '.' or '['")
            }
        } else if rest.isEmpty {
            throw invalid("empty path")
        } else if rest.first == "@" {
            throw invalid("'@' is only valid as the whole path '@key'")
        }
        while true {
            let name = rest.prefix(while: { $0 != "." && $0 != "[" })
            rest = rest.dropFirst(name.count)
            if name.contains("]") { throw invalid("unexpected ']'") }
            if name.isEmpty {
                guard segmentMayBeEmpty, rest.first == "[" else { throw invalid("empty key") }
            } else if name == "*" {
                steps.append(.wildcard)
            } else {
                steps.append(.key(String(name)))
            }
            while rest.first == "[" {
                rest.removeFirst()
                let inside = rest.prefix(while: { $0 != "]" })
                rest = rest.dropFirst(inside.count)
                guard rest.first == "]" else { throw invalid("missing ']'") }
                rest.removeFirst()
                if inside == "*" {
                    steps.append(.wildcard)
                    continue
                }
                guard !inside.isEmpty, inside.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                    throw invalid("index must be a non-negative integer or '*', not '\(inside)'")
                }
                guard inside == "0" || inside.first != "0" else { throw invalid("index '\(inside)' has a leading zero") }
                guard inside.count <= 9, let index = Int(inside) else { throw invalid("index '\(inside)' is too large") }
                steps.append(.index(index))
            }
            if rest.isEmpty { break }
            guard rest.first == "." else { throw invalid("expected '.' or '[' after ']'") }
            rest.removeFirst()
            guard !rest.isEmpty else { throw invalid("ends with '.'") }
            segmentMayBeEmpty = false
        }
        self.origin = origin
        self.steps = steps
    }

    public var description: String { text }

    /// Whether the path contains a `*` step.
    public var hasWildcard: Bool { steps.contains(.wildcard) }

    /// Whether the path is exactly `@key`.
    public var isItemKey: Bool { origin == .itemKey }

    /// Whether the path starts at the document root (`$…`).
    public var isAbsolute: Bool { origin == .root }

    /// Resolves a wildcard-free path. `item` is the value field paths are relative to; `key` is
    /// the key the item had in its parent object (for `@key`).
    func value(root: JSONValue, item: JSONValue, key: String?) -> JSONValue? {
        switch origin {
        case .itemKey:
            return key.map(JSONValue.string)
        case .root, .item:
            var current = origin == .root ? root : item
            for step in steps {
                switch step {
                case .key(let name):
                    guard let next = current[name] else { return nil }
                    current = next
                case .index(let index):
                    guard let next = current[index] else { return nil }
                    current = next
                case .wildcard:
                    return nil
                }
            }
            return current
        }
    }

    /// Resolves a path with wildcards from `root`: every match with the object key it was found
    /// under (`nil` when its parent is an array or it is the root). Missing branches yield nothing.
    func matches(in root: JSONValue) -> [(value: JSONValue, key: String?)] {
        var current: [(value: JSONValue, key: String?)] = [(root, nil)]
        for step in steps {
            var next: [(value: JSONValue, key: String?)] = []
            for (value, _) in current {
                switch step {
                case .key(let name):
                    if let child = value[name] { next.append((child, name)) }
                case .index(let index):
                    if let child = value[index] { next.append((child, nil)) }
                case .wildcard:
                    switch value {
                    case .array(let elements): next.append(contentsOf: elements.map { (value: $0, key: String?.none) })
                    case .object(let members): next.append(contentsOf: members.map { (value: $0.value, key: Optional($0.key)) })
                    default: break
                    }
                }
            }
            current = next
        }
        return current
    }

    /// The path's steps before its first wildcard, resolved from `root`: the container the
    /// wildcard ranges over must exist for the items path to count as found.
    func prefixBeforeWildcardExists(in root: JSONValue) -> Bool {
        var current = root
        for step in steps {
            switch step {
            case .key(let name):
                guard let next = current[name] else { return false }
                current = next
            case .index(let index):
                guard let next = current[index] else { return false }
                current = next
            case .wildcard:
                switch current {
                case .array, .object: return true
                default: return false
                }
            }
        }
        return true
    }
}
