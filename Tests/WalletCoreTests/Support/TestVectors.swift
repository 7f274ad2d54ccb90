import Foundation
import WalletCore

/// Published vectors copied verbatim into Tests/Vectors (see its README for sources).
enum TestVectors {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Vectors")

    static func text(_ name: String) throws -> String {
        try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
    }

    static func json(_ name: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent(name)))
    }

    /// Turns the BIPs' `m/0<sub>H</sub>/1` notation into `m/0'/1`.
    static func path(fromSpec text: String) -> String {
        text.replacingOccurrences(of: "<sub>H</sub>", with: "'").trimmingCharacters(in: .whitespaces)
    }
}

func hex(_ text: String) -> [UInt8] {
    // Test inputs are trusted literals; a bad one is a bug in the test itself.
    try! Hex.decode(text)
}
