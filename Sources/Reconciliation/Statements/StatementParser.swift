public import CofferBase

/// One line of an imported statement, in the statement's own scale (`StatementMapping.decimals`).
public struct StatementLine: Sendable, Equatable {
    /// The mapped id column, else `row-N` (N counts data rows from 1 in file order).
    public var id: String
    /// Signed: positive = credited (money in), negative = debited.
    public var amount: Int128
    public var asset: String
    /// Seconds since 1970 (UTC).
    public var time: Int64
    public var reference: String
    public var description: String

    public init(id: String, amount: Int128, asset: String, time: Int64, reference: String, description: String) {
        self.id = id
        self.amount = amount
        self.asset = asset
        self.time = time
        self.reference = reference
        self.description = description
    }
}

/// Reads a statement file (CSV with a header row, RFC 4180 quoting; or a JSON array of objects)
/// through a mapping. All or nothing: the first unreadable row is refused naming its number and
/// column, so an import never stores half a statement.
public enum StatementParser {
    /// Most rows one statement may hold.
    public static let maximumRows = 5_000_000

    public static func lines(_ bytes: [UInt8], mapping: StatementMapping) throws(ReconError) -> [StatementLine] {
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }  // a UTF-8 byte-order mark
        var k = start
        while k < bytes.count, bytes[k] == 0x20 || bytes[k] == 0x0A || bytes[k] == 0x0D || bytes[k] == 0x09 { k += 1 }
        let reader = try RowReader(mapping: mapping)
        if k < bytes.count, bytes[k] == UInt8(ascii: "[") {
            return try json(Array(bytes[start...]), reader: reader)
        }
        return try csv(bytes[start...], reader: reader)
    }

    // MARK: CSV

    static func csv(_ bytes: ArraySlice<UInt8>, reader: RowReader) throws(ReconError) -> [StatementLine] {
        var records = CSVRecords(bytes: bytes, delimiter: reader.mapping.delimiter)
        guard let header = try records.next() else { throw ReconError(.statementInvalid, "the statement is empty: a CSV file needs a header row") }
        var index: [String: Int] = [:]
        for (position, name) in header.enumerated() where index[name] == nil { index[name] = position }
        let positions = try reader.mapping.columns.map { column throws(ReconError) -> (String, Int) in
            guard let position = index[column] else {
                throw ReconError(.statementInvalid, "the header has no column \"\(column.prefix(60))\" that the mapping names (columns: \(header.prefix(30).joined(separator: ", ").prefix(300)))",
                                 field: column)
            }
            return (column, position)
        }
        let lookup = Dictionary(uniqueKeysWithValues: positions)
        var lines: [StatementLine] = []
        var ids = Set<String>()
        var number = 0
        while let fields = try records.next() {
            if fields.count == 1 && fields[0].isEmpty { continue }  // a blank line
            number += 1
            guard fields.count == header.count else {
                throw ReconError(.statementInvalid, "row \(number): \(fields.count) fields where the header has \(header.count)", field: "row \(number)")
            }
            let line = try reader.line(number: number) { column in lookup[column].map { fields[$0] } }
            try append(line, to: &lines, ids: &ids, number: number)
        }
        return lines
    }

    static func append(_ line: StatementLine, to lines: inout [StatementLine], ids: inout Set<String>, number: Int) throws(ReconError) {
        guard ids.insert(line.id).inserted else {
            throw ReconError(.statementInvalid, "row \(number): id \"\(line.id.prefix(60))\" is used by an earlier row; ids must be unique", field: "row \(number)")
        }
        guard lines.count < maximumRows else { throw ReconError(.statementInvalid, "the statement has more than \(maximumRows) rows; split it") }
        lines.append(line)
    }

    /// RFC 4180 records: quoted fields may hold delimiters, quotes (doubled) and line breaks;
    /// lines end with LF or CRLF.
    struct CSVRecords {
        let bytes: ArraySlice<UInt8>
        let delimiter: UInt8
        var i: Int
        var record = 0

        init(bytes: ArraySlice<UInt8>, delimiter: UInt8) {
            self.bytes = bytes
            self.delimiter = delimiter
            i = bytes.startIndex
        }

        mutating func next() throws(ReconError) -> [String]? {
            guard i < bytes.endIndex else { return nil }
            record += 1
            var fields: [String] = []
            var field: [UInt8] = []
            while true {
                if i < bytes.endIndex, bytes[i] == UInt8(ascii: "\""), field.isEmpty {
                    i += 1
                    while true {
                        guard i < bytes.endIndex else {
                            throw ReconError(.statementInvalid, "record \(record): a quoted field is not closed", field: "record \(record)")
                        }
                        if bytes[i] == UInt8(ascii: "\"") {
                            if i + 1 < bytes.endIndex, bytes[i + 1] == UInt8(ascii: "\"") {
                                field.append(UInt8(ascii: "\""))
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        field.append(bytes[i])
                        i += 1
                    }
                    guard i == bytes.endIndex || bytes[i] == delimiter || bytes[i] == 0x0A || bytes[i] == 0x0D else {
                        throw ReconError(.statementInvalid, "record \(record): text after a closing quote", field: "record \(record)")
                    }
                }
                if i == bytes.endIndex || bytes[i] == 0x0A || (bytes[i] == 0x0D && i + 1 < bytes.endIndex && bytes[i + 1] == 0x0A) || bytes[i] == 0x0D {
                    fields.append(try Self.text(field, record: record))
                    if i < bytes.endIndex { i += bytes[i] == 0x0D && i + 1 < bytes.endIndex && bytes[i + 1] == 0x0A ? 2 : 1 }
                    return fields
                }
                if bytes[i] == delimiter {
                    fields.append(try Self.text(field, record: record))
                    field.removeAll(keepingCapacity: true)
                    i += 1
                    continue
                }
                field.append(bytes[i])
                i += 1
            }
        }

        static func text(_ bytes: [UInt8], record: Int) throws(ReconError) -> String {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw ReconError(.statementInvalid, "record \(record): a field is not UTF-8 text", field: "record \(record)")
            }
            return text
        }
    }

    // MARK: JSON

    static func json(_ bytes: [UInt8], reader: RowReader) throws(ReconError) -> [StatementLine] {
        let root: JSONValue
        do { root = try JSONValue(parsing: bytes) } catch {
            throw ReconError(.statementInvalid, "the statement is not valid JSON: \(error.description)")
        }
        guard case .array(let items) = root else { throw ReconError(.statementInvalid, "a JSON statement must be an array of row objects") }
        var lines: [StatementLine] = []
        lines.reserveCapacity(items.count)
        var ids = Set<String>()
        for (offset, item) in items.enumerated() {
            let number = offset + 1
            guard case .object = item else {
                throw ReconError(.statementInvalid, "row \(number): must be an object, found \(item.kindName)", field: "row \(number)")
            }
            let line = try reader.line(number: number) { column throws(ReconError) -> String? in
                switch item[column] {
                case nil, .null?: return nil
                case .string(let s)?: return s
                case .number(let n)?: return n
                case let other?:
                    throw ReconError(.statementInvalid, "row \(number), column \"\(column.prefix(60))\": must be a string or a number, found \(other.kindName)",
                                     field: column)
                }
            }
            try append(line, to: &lines, ids: &ids, number: number)
        }
        return lines
    }
}

/// One row's fields to a `StatementLine`, each error naming the row and the column.
struct RowReader {
    let mapping: StatementMapping
    let zone: StatementTime.Zone

    init(mapping: StatementMapping) throws(ReconError) {
        self.mapping = mapping
        guard let zone = StatementTime.zone(mapping.timezone) else {
            throw ReconError(.mappingInvalid, "mapping: \"timezone\" is not known", field: "timezone")
        }
        self.zone = zone
    }

    static let credits: Set<String> = ["credit", "cr", "c", "in", "+", "deposit", "incoming", "received"]
    static let debits: Set<String> = ["debit", "dr", "d", "out", "-", "withdrawal", "outgoing", "sent"]

    func line(number: Int, _ field: (String) throws(ReconError) -> String?) throws(ReconError) -> StatementLine {
        func fail(_ column: String, _ what: String) -> ReconError {
            ReconError(.statementInvalid, "row \(number), column \"\(column.prefix(60))\": \(what)", field: column)
        }
        func required(_ column: String) throws(ReconError) -> String {
            guard let text = try field(column), !text.isEmpty else { throw fail(column, "is empty") }
            return text
        }
        func optional(_ column: String?) throws(ReconError) -> String {
            guard let column else { return "" }
            let text = try field(column) ?? ""
            guard text.utf8.count <= 1_000 else { throw fail(column, "is longer than 1000 bytes") }
            return text
        }

        let id: String
        if let column = mapping.id {
            id = try required(column).trimmingSpaces
            guard !id.isEmpty, id.utf8.count <= 200 else { throw fail(column, "an id must be 1-200 bytes") }
        } else {
            id = "row-\(number)"
        }
        let amountText = try required(mapping.amount)
        guard var amount = StatementAmount.parse(amountText, unit: mapping.amountUnit, decimals: mapping.decimals ?? 0,
                                                 point: mapping.decimalSeparator, grouping: mapping.thousandsSeparator) else {
            let expected = mapping.amountUnit == .minor
                ? "a whole number of minor units"
                : "a decimal with at most \(mapping.decimals ?? 0) fraction digits"
            throw fail(mapping.amount, "\"\(amountText.prefix(40))\" is not \(expected)")
        }
        if let column = mapping.direction {
            let word = try required(column).trimmingSpaces.lowercased()
            guard amount >= 0 else { throw fail(mapping.amount, "is negative although the direction column \"\(column.prefix(60))\" gives the sign") }
            if Self.debits.contains(word) {
                amount = -amount
            } else if !Self.credits.contains(word) {
                throw fail(column, "\"\(word.prefix(20))\" is neither a credit (credit, cr, in) nor a debit (debit, dr, out)")
            }
        }
        let asset: String
        switch mapping.asset {
        case .fixed(let code): asset = code
        case .column(let column):
            asset = try required(column).trimmingSpaces
            guard StatementMapping.isAssetCode(asset) else { throw fail(column, "\"\(asset.prefix(40))\" is not an asset code (1-32 of A-Za-z0-9._-)") }
        }
        let timeText = try required(mapping.time).trimmingSpaces
        guard let time = StatementTime.seconds(timeText, format: mapping.timeFormat, zone: zone) else {
            throw fail(mapping.time, "\"\(timeText.prefix(40))\" does not match the time format")
        }
        return StatementLine(id: id, amount: amount, asset: asset, time: time, reference: try optional(mapping.reference).trimmingSpaces,
                             description: try optional(mapping.description))
    }
}

extension String {
    var trimmingSpaces: String {
        let u = utf8
        guard let first = u.firstIndex(where: { $0 != 0x20 && $0 != 0x09 }) else { return "" }
        let last = u.lastIndex(where: { $0 != 0x20 && $0 != 0x09 })!
        return String(self[first...last])
    }
}

/// Amount text to an exact integer of minor units.
public enum StatementAmount {
    /// Minor: `[+-]digits`. Major: `[+-]digits[point digits]` with optional grouping separators
    /// between digits, or the same inside parentheses (an accountant's negative). Fraction digits
    /// beyond `decimals` must be zeros. Nil for anything else or beyond 2^126.
    public static func parse(_ text: String, unit: StatementMapping.AmountUnit, decimals: Int, point: UInt8 = UInt8(ascii: "."),
                             grouping: UInt8? = nil) -> Int128? {
        var u = Array(text.utf8)
        while let f = u.first, f == 0x20 || f == 0x09 { u.removeFirst() }
        while let l = u.last, l == 0x20 || l == 0x09 { u.removeLast() }
        var negative = false
        if unit == .major, u.count >= 2, u.first == UInt8(ascii: "("), u.last == UInt8(ascii: ")") {
            negative = true
            u = Array(u[1..<(u.count - 1)])
        }
        if let f = u.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") {
            if f == UInt8(ascii: "-") { negative.toggle() }
            u.removeFirst()
        }
        guard !u.isEmpty else { return nil }
        let limit: Int128 = 1 << 126
        var value: Int128 = 0
        var fraction = -1  // digits seen after the point; -1 = no point yet
        var previousDigit = false
        for (k, b) in u.enumerated() {
            if b >= 0x30 && b <= 0x39 {
                let digit = Int128(b - 0x30)
                if fraction >= 0 {
                    fraction += 1
                    if fraction > decimals {
                        guard digit == 0 else { return nil }
                        previousDigit = true
                        continue
                    }
                }
                value = value * 10 + digit
                guard value < limit else { return nil }
                previousDigit = true
            } else if unit == .major, b == point, fraction < 0, previousDigit {
                fraction = 0
                previousDigit = false
            } else if unit == .major, let grouping, b == grouping, fraction < 0, previousDigit, k + 1 < u.count,
                      u[k + 1] >= 0x30 && u[k + 1] <= 0x39 {
                previousDigit = false
            } else {
                return nil
            }
        }
        guard previousDigit else { return nil }
        if unit == .major {
            for _ in max(0, min(fraction, decimals))..<decimals {
                value *= 10
                guard value < limit else { return nil }
            }
        }
        return negative ? -value : value
    }
}
