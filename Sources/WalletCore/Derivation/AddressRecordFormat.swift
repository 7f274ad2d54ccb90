import CofferBase

/// Machine-readable output of derived addresses: JSON Lines or CSV (RFC 4180), written as bytes
/// straight into a buffer because a million records must not go through an encoder each.
public enum AddressRecordFormat: String, CaseIterable, Sendable {
    case jsonl, csv

    /// The CSV header line (empty for JSON Lines).
    public func header(metadata: AddressMetadata) -> [UInt8] {
        guard self == .csv else { return [] }
        var columns = ["index", "path", "address", "public_key"]
        columns += metadata.fields.filter { $0.value != nil }.map(\.name)
        return Array((columns.joined(separator: ",") + "\n").utf8)
    }

    /// Appends one record and its line break to `buffer`.
    public func append(_ record: DerivedAddress, metadata: AddressMetadata, to buffer: inout [UInt8]) {
        switch self {
        case .jsonl:
            buffer += #"{"index":"#.utf8
            buffer += String(record.index).utf8
            buffer += #","path":"#.utf8
            JSONText.appendString(record.path, to: &buffer)
            buffer += #","address":"#.utf8
            JSONText.appendString(record.address, to: &buffer)
            buffer += #","public_key":""#.utf8
            HexText.append(record.publicKey, to: &buffer)
            buffer.append(UInt8(ascii: "\""))
            for (name, value) in metadata.fields {
                guard let value else { continue }
                buffer += ",\"\(name)\":".utf8
                JSONText.appendString(value, to: &buffer)
            }
            buffer += "}\n".utf8
        case .csv:
            buffer += String(record.index).utf8
            buffer.append(UInt8(ascii: ","))
            CSVText.appendField(record.path, to: &buffer)
            buffer.append(UInt8(ascii: ","))
            CSVText.appendField(record.address, to: &buffer)
            buffer.append(UInt8(ascii: ","))
            HexText.append(record.publicKey, to: &buffer)
            for (_, value) in metadata.fields {
                guard let value else { continue }
                buffer.append(UInt8(ascii: ","))
                CSVText.appendField(value, to: &buffer)
            }
            buffer.append(UInt8(ascii: "\n"))
        }
    }
}

/// CSV fields, quoted when they contain a comma, quote or line break (RFC 4180). A leading
/// `=`, `+`, `-` or `@` is prefixed with `'` so spreadsheets do not run labels as formulas.
enum CSVText {
    static func appendField(_ field: String, to buffer: inout [UInt8]) {
        var bytes = Array(field.utf8)
        if let first = bytes.first, [UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@")].contains(first) {
            bytes.insert(UInt8(ascii: "'"), at: 0)
        }
        let needsQuotes = bytes.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }
        guard needsQuotes else {
            buffer += bytes
            return
        }
        buffer.append(UInt8(ascii: "\""))
        for byte in bytes {
            if byte == UInt8(ascii: "\"") { buffer.append(byte) }
            buffer.append(byte)
        }
        buffer.append(UInt8(ascii: "\""))
    }
}

enum HexText {
    static func append(_ bytes: [UInt8], to buffer: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in bytes {
            buffer.append(hex[Int(byte >> 4)])
            buffer.append(hex[Int(byte & 0xF)])
        }
    }
}
