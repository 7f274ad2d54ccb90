/// The fast path of `TransferJSON.decode`: reads the transfer objects clients actually send (known
/// fields once each; strings without escapes; whole numbers without sign, fraction or exponent;
/// arrays of such strings; null) straight from the bytes. Anything else, valid or not, gives nil,
/// and Foundation's `JSONDecoder` decides and words the error as before. Foundation took about 8%
/// of the server's CPU per POST /v1/transfers; `TransferJSONTests` checks over random and mutated
/// objects that whatever this path accepts, Foundation reads identically.
enum PlainTransferJSON {
    static func wire(_ json: UnsafeRawBufferPointer) -> TransferJSON.WireTransfer? {
        var reader = Reader(bytes: json)
        var wire = TransferJSON.WireTransfer()
        var seen: Set<Field> = []
        guard reader.take(UInt8(ascii: "{")) else { return nil }
        if !reader.take(UInt8(ascii: "}")) {
            repeat {
                guard let name = reader.plainString(), let field = Field(rawValue: name), seen.insert(field).inserted,
                      reader.take(UInt8(ascii: ":")) else { return nil }
                if reader.takeNull() { continue }
                switch field {
                case .id, .debit, .credit, .amount, .asset, .pendingID, .reference, .metadata:
                    guard let path = field.text, let text = reader.plainString() else { return nil }
                    wire[keyPath: path] = text
                case .flags:
                    guard let names = reader.plainStrings() else { return nil }
                    wire.flags = names
                case .timeout:
                    guard let value = reader.wholeNumber(maximum: UInt64(UInt32.max)) else { return nil }
                    wire.timeout = UInt32(value)
                case .code:
                    guard let value = reader.wholeNumber(maximum: UInt64(UInt16.max)) else { return nil }
                    wire.code = UInt16(value)
                }
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "}")) else { return nil }
        }
        return reader.atEnd() ? wire : nil
    }

    /// The fields a transfer object may have (`TransferJSON.fields` is their names).
    enum Field: String, CaseIterable {
        case id, debit, credit, amount, asset, flags, timeout, reference, code, metadata
        case pendingID = "pending_id"

        /// Where a string field's value goes; nil for the others.
        var text: WritableKeyPath<TransferJSON.WireTransfer, String?>? {
            switch self {
            case .id: \.id
            case .debit: \.debit
            case .credit: \.credit
            case .amount: \.amount
            case .asset: \.asset
            case .pendingID: \.pendingID
            case .reference: \.reference
            case .metadata: \.metadata
            case .flags, .timeout, .code: nil
            }
        }
    }

    /// A cursor over the bytes; every method skips JSON whitespace before its token.
    struct Reader {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D: index += 1
                default: return
                }
            }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func takeNull() -> Bool {
            skipWhitespace()
            guard bytes.count - index >= 4, bytes[index] == UInt8(ascii: "n"), bytes[index + 1] == UInt8(ascii: "u"),
                  bytes[index + 2] == UInt8(ascii: "l"), bytes[index + 3] == UInt8(ascii: "l") else { return false }
            index += 4
            return true
        }

        /// A string without escapes or control characters, as valid UTF-8; nil for anything else.
        mutating func plainString() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = index
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") {
                    defer { index += 1 }
                    return String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                }
                guard byte >= 0x20, byte != UInt8(ascii: "\\") else { return nil }
                index += 1
            }
            return nil
        }

        mutating func plainStrings() -> [String]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var items: [String] = []
            if take(UInt8(ascii: "]")) { return items }
            repeat {
                guard let item = plainString() else { return nil }
                items.append(item)
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? items : nil
        }

        /// Digits only (no sign, fraction or exponent; no leading zero but "0" itself), at most `maximum`.
        mutating func wholeNumber(maximum: UInt64) -> UInt64? {
            skipWhitespace()
            let start = index
            var value: UInt64 = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                guard index - start < 19 else { return nil }
                value = value * 10 + UInt64(bytes[index] - UInt8(ascii: "0"))
                index += 1
            }
            let length = index - start
            guard length > 0, length == 1 || bytes[start] != UInt8(ascii: "0"), value <= maximum else { return nil }
            // A number must end here: ".5", "e3" or any other byte glued to it goes to Foundation.
            if index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x09, 0x0A, 0x0D, UInt8(ascii: ","), UInt8(ascii: "}"): break
                default: return nil
                }
            }
            return value
        }

        mutating func atEnd() -> Bool {
            skipWhitespace()
            return index == bytes.count
        }
    }
}
