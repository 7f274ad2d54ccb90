/// Byte-level checks of ASCII identifiers: ids are validated on every request and every stored
/// row read, and scanning UTF-8 bytes avoids `Character` (grapheme) iteration.
public enum ASCIIText {
    /// A 256-entry table: true for the bytes in `allowed`.
    public static func table(_ allowed: String) -> [Bool] {
        var table = [Bool](repeating: false, count: 256)
        for byte in allowed.utf8 { table[Int(byte)] = true }
        return table
    }

    /// Whether `text` has a byte count in `count` and only bytes `allowed` marks.
    public static func all(_ text: some StringProtocol, count: ClosedRange<Int>, allowed: [Bool]) -> Bool {
        let check = { (bytes: UnsafeBufferPointer<UInt8>) -> Bool in
            count.contains(bytes.count) && allowed.withUnsafeBufferPointer { table in bytes.allSatisfy { table[Int($0)] } }
        }
        if let result = text.utf8.withContiguousStorageIfAvailable(check) { return result }
        var copy = String(text)
        return copy.withUTF8(check)
    }
}
