public import CofferBase

/// How the columns of an external statement (a bank's, a processor's, an exchange's CSV or JSON
/// export) become statement lines: which column holds the id, the amount (in minor units or in
/// major units with its decimals), the asset (a column or one fixed code), the time (with its
/// format and zone), the reference, the description and the direction.
///
/// Saved under a name and reused for every import of that source, so a statement's shape is
/// decided once. Decoding is strict: an unknown key or a wrong type is refused naming the field.
public struct StatementMapping: Sendable, Equatable {
    public enum AmountUnit: String, Sendable, Equatable {
        /// Whole numbers of the asset's smallest unit ("1234" = 12.34 USD).
        case minor
        /// Decimal text in the asset's main unit ("12.34"), at most `decimals` fraction digits.
        case major
    }

    public enum AssetSource: Sendable, Equatable {
        case column(String)
        case fixed(String)
    }

    public enum TimeFormat: Sendable, Equatable {
        /// `2026-03-01T10:00:00Z`, `…+02:00`: the zone is in the value.
        case rfc3339
        /// Whole seconds since 1970 (UTC).
        case unixSeconds
        /// A pattern of `%Y %m %d %H %M %S %%` and literal characters, read in `timezone`.
        case pattern(String)
    }

    public var id: String?
    public var amount: String
    public var amountUnit: AmountUnit
    /// Fraction digits of the statement's amounts; nil = the ledger asset's own (minor units only).
    public var decimals: Int?
    public var asset: AssetSource
    public var time: String
    public var timeFormat: TimeFormat
    /// `UTC`, a fixed offset (`+02:00`) or an IANA zone (`Europe/Berlin`); for patterns only.
    public var timezone: String
    public var reference: String?
    public var description: String?
    /// A column saying credit/in or debit/out; without one the amount's own sign is its direction.
    public var direction: String?
    /// CSV field separator (one ASCII character).
    public var delimiter: UInt8
    /// Major-unit amounts: the decimal point ("." or ",") and an optional grouping separator.
    public var decimalSeparator: UInt8
    public var thousandsSeparator: UInt8?

    public static let allowedKeys = ["id", "amount", "amount_unit", "decimals", "asset", "time", "time_format", "timezone", "reference",
                                     "description", "direction", "delimiter", "decimal_separator", "thousands_separator"]

    /// Decodes and validates a mapping document.
    public init(json text: String) throws(ReconError) {
        let root: JSONValue
        do { root = try JSONValue(parsing: text) } catch {
            throw ReconError(.mappingInvalid, "the mapping is not valid JSON: \(error.description)", field: "mapping")
        }
        guard case .object(let members) = root else {
            throw ReconError(.mappingInvalid, "the mapping must be a JSON object, found \(root.kindName)", field: "mapping")
        }
        for member in members where !Self.allowedKeys.contains(member.key) {
            throw ReconError(.mappingInvalid, "mapping: unknown field \"\(member.key.prefix(40))\"; allowed: \(Self.allowedKeys.joined(separator: ", "))",
                             field: member.key)
        }
        func string(_ key: String, required: Bool = false) throws(ReconError) -> String? {
            guard let value = root[key], value != .null else {
                if required { throw ReconError(.mappingInvalid, "mapping: \"\(key)\" is required (the column that holds it)", field: key) }
                return nil
            }
            guard case .string(let s) = value, !s.isEmpty, s.utf8.count <= 200 else {
                throw ReconError(.mappingInvalid, "mapping: \"\(key)\" must be a non-empty string of at most 200 bytes", field: key)
            }
            return s
        }
        func character(_ key: String, default fallback: UInt8?, allowed: [UInt8]? = nil) throws(ReconError) -> UInt8? {
            guard let s = try string(key) else { return fallback }
            let bytes = Array(s.utf8)
            guard bytes.count == 1, bytes[0] >= 0x20, bytes[0] < 0x7F || bytes[0] == 0x09, allowed.map({ $0.contains(bytes[0]) }) ?? true else {
                throw ReconError(.mappingInvalid, "mapping: \"\(key)\" must be one character\(allowed.map { " from " + String(decoding: $0, as: UTF8.self) } ?? "")",
                                 field: key)
            }
            return bytes[0]
        }

        id = try string("id")
        amount = try string("amount", required: true)!
        let unitText = try string("amount_unit") ?? "minor"
        guard let unit = AmountUnit(rawValue: unitText) else {
            throw ReconError(.mappingInvalid, "mapping: \"amount_unit\" is \"\(unitText.prefix(20))\"; use \"minor\" or \"major\"", field: "amount_unit")
        }
        amountUnit = unit
        if let value = root["decimals"], value != .null {
            guard case .number(let digits) = value, let n = Int(digits), (0...30).contains(n) else {
                throw ReconError(.mappingInvalid, "mapping: \"decimals\" must be a whole number from 0 to 30", field: "decimals")
            }
            decimals = n
        } else {
            decimals = nil
        }
        if unit == .major && decimals == nil {
            throw ReconError(.mappingInvalid, "mapping: major-unit amounts need \"decimals\" (the fraction digits of one unit, e.g. 2)", field: "decimals")
        }
        switch root["asset"] {
        case .string(let column)?:
            guard !column.isEmpty, column.utf8.count <= 200 else {
                throw ReconError(.mappingInvalid, "mapping: \"asset\" must name a column or be {\"fixed\":\"CODE\"}", field: "asset")
            }
            asset = .column(column)
        case .object(let fixed)?:
            guard fixed.count == 1, fixed[0].key == "fixed", case .string(let code) = fixed[0].value, Self.isAssetCode(code) else {
                throw ReconError(.mappingInvalid, "mapping: \"asset\" as an object is {\"fixed\":\"CODE\"} with a code of 1-32 characters from A-Za-z0-9._-",
                                 field: "asset")
            }
            asset = .fixed(code)
        default:
            throw ReconError(.mappingInvalid, "mapping: \"asset\" is required: a column name or {\"fixed\":\"USD\"}", field: "asset")
        }
        time = try string("time", required: true)!
        switch try string("time_format") ?? "rfc3339" {
        case "rfc3339": timeFormat = .rfc3339
        case "unix": timeFormat = .unixSeconds
        case let pattern:
            try StatementTime.validate(pattern: pattern)
            timeFormat = .pattern(pattern)
        }
        timezone = try string("timezone") ?? "UTC"
        guard StatementTime.zone(timezone) != nil else {
            throw ReconError(.mappingInvalid, "mapping: \"timezone\" \"\(timezone.prefix(40))\" is not UTC, an offset like +02:00 or a known zone name",
                             field: "timezone")
        }
        reference = try string("reference")
        description = try string("description")
        direction = try string("direction")
        delimiter = try character("delimiter", default: UInt8(ascii: ","))!
        decimalSeparator = try character("decimal_separator", default: UInt8(ascii: "."), allowed: Array(".,".utf8))!
        thousandsSeparator = try character("thousands_separator", default: nil, allowed: Array(",. '".utf8))
        if thousandsSeparator == decimalSeparator {
            throw ReconError(.mappingInvalid, "mapping: the thousands separator cannot be the decimal separator", field: "thousands_separator")
        }
        if delimiter == UInt8(ascii: "\"") {
            throw ReconError(.mappingInvalid, "mapping: the delimiter cannot be a double quote", field: "delimiter")
        }
    }

    static let assetBytes = ASCIIText.table("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-")

    static func isAssetCode(_ code: String) -> Bool { ASCIIText.all(code, count: 1...32, allowed: assetBytes) }

    /// The columns this mapping reads.
    public var columns: [String] {
        var names = [amount, time]
        if let id { names.append(id) }
        if case .column(let c) = asset { names.append(c) }
        for c in [reference, description, direction] { if let c { names.append(c) } }
        return names
    }
}
