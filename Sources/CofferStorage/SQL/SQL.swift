/// A value bound to a statement parameter, the same on both engines: integers, text, bytes, NULL.
/// Amounts are bound as decimal text (`UInt128` fits neither SQLite's INTEGER nor PostgreSQL's bigint).
public enum SQLValue: Sendable, Equatable {
    case null
    case integer(Int64)
    case text(String)
    case blob([UInt8])
    /// A whole column of values as one parameter: PostgreSQL binds a `text[]`/`bigint[]` (for
    /// `unnest` or `= ANY`), so a statement keeps one text whatever the number of rows and is
    /// parsed once, not once per shape; SQLite, which has no arrays, binds it as JSON text (for
    /// `json_each`).
    case texts([String])
    case integers([Int64])
}

/// Something that can be bound as a statement parameter.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Substring: SQLBindable { public var sqlValue: SQLValue { .text(String(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int32: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension UInt32: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension UInt16: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Array: SQLBindable where Element == UInt8 { public var sqlValue: SQLValue { .blob(self) } }
extension UInt128: SQLBindable { public var sqlValue: SQLValue { .text(String(self)) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// One statement with its parameters, written once for both engines: `?` marks a parameter in
/// the text (PostgreSQL's `$1`, `$2`, ... are produced when it runs there), and interpolated
/// values become parameters, never text, so a value can never change the statement:
///
///     "SELECT name FROM vault_wallets WHERE id = \(id)"
///
/// `\(raw: fragment)` inserts trusted text (a column list, a table name) as it is.
public struct SQL: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    public private(set) var text: String
    public private(set) var values: [SQLValue]

    public init(_ text: String, _ values: [SQLValue] = []) {
        self.text = text
        self.values = values
    }

    public init(stringLiteral value: String) { self.init(value) }

    public init(stringInterpolation: Interpolation) {
        self.init(stringInterpolation.text, stringInterpolation.values)
    }

    /// The statement text only (for errors and logs: values are never shown).
    public var description: String { text }

    public struct Interpolation: StringInterpolationProtocol {
        var text = ""
        var values: [SQLValue] = []

        public init(literalCapacity: Int, interpolationCount: Int) {
            text.reserveCapacity(literalCapacity + interpolationCount * 2)
        }

        public mutating func appendLiteral(_ literal: String) { text += literal }

        public mutating func appendInterpolation(_ value: some SQLBindable) {
            text += "?"
            values.append(value.sqlValue)
        }

        /// `(?, ?, ...)` with one parameter per element, for `IN` lists (at least one element).
        public mutating func appendInterpolation(list: [some SQLBindable]) {
            text += "(" + Array(repeating: "?", count: max(1, list.count)).joined(separator: ", ") + ")"
            values += list.isEmpty ? [.null] : list.map(\.sqlValue)
        }

        public mutating func appendInterpolation(raw fragment: String) { text += fragment }

        /// One parameter holding every element (see `SQLValue.texts`).
        public mutating func appendInterpolation(array: [String]) {
            text += "?"
            values.append(.texts(array))
        }

        /// One parameter holding every element (see `SQLValue.integers`).
        public mutating func appendInterpolation(array: [Int64]) {
            text += "?"
            values.append(.integers(array))
        }
    }

    /// `lhs` followed by `rhs`, parameters in order.
    public static func + (lhs: SQL, rhs: SQL) -> SQL {
        SQL(lhs.text + rhs.text, lhs.values + rhs.values)
    }

    /// The statements' texts joined by `separator`, parameters in order.
    public static func joined(_ parts: [SQL], separator: String) -> SQL {
        parts.enumerated().reduce(SQL("")) { sql, part in sql + SQL(part.offset > 0 ? separator : "") + part.element }
    }

    /// The text with PostgreSQL's numbered parameters: each `?` outside a quoted string becomes
    /// `$1`, `$2`, ...
    public var numberedText: String {
        var out = ""
        out.reserveCapacity(text.utf8.count + values.count * 2)
        var number = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
                out.append(character)
            } else if character == "'" || character == "\"" {
                quote = character
                out.append(character)
            } else if character == "?" {
                number += 1
                out += "$\(number)"
            } else {
                out.append(character)
            }
        }
        return out
    }
}

/// Which SQL engine a connection speaks, for the few statements that differ between them.
public enum SQLDialect: String, Sendable {
    case sqlite, postgres
}
