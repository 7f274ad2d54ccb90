import Foundation
import WalletCore

extension SecretInput {
    /// The non-empty lines of standard input, each trimmed of surrounding whitespace, for private
    /// keys (one per line). On a terminal, one line is read without echo. Error messages give
    /// line numbers and lengths, never the text.
    static func privateKeyLines(what: String) throws -> [SecretBytes] {
        var bytes: [UInt8]
        if Terminal.stdinIsTerminal {
            do {
                bytes = Array(try readLineWithoutEcho(prompt: "\(what) (input hidden): ").utf8)
            } catch {
                throw CLIError("no \(what) entered")
            }
        } else {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        defer { SecretBytes.wipe(&bytes) }
        let lines = bytes.split(separator: UInt8(ascii: "\n"))
            .map { line in line.drop(while: isSpace).reversed().drop(while: isSpace).reversed() }
            .filter { !$0.isEmpty }
            .map { SecretBytes($0) }
        guard !lines.isEmpty else {
            throw CLIError("no \(what) on standard input; pipe it in, e.g. coffer sign ... < key-file")
        }
        return lines
    }

    /// 64 hex digits (an optional 0x prefix) into 32 bytes of wiped memory.
    static func hexPrivateKey(_ line: SecretBytes, what: String) throws -> SecretBytes {
        var text = line.copyBytes()
        defer { SecretBytes.wipe(&text) }
        if text.count >= 2 && text[0] == UInt8(ascii: "0") && (text[1] | 0x20) == UInt8(ascii: "x") {
            text.removeFirst(2)
        }
        guard text.count == 64 else {
            throw CLIError("\(what) must be 64 hex digits (32 bytes), got \(text.count) characters")
        }
        return try SecretBytes(count: 32) { (out: UnsafeMutableRawBufferPointer) throws(CLIError) in
            for index in 0..<32 {
                guard let high = hexValue(text[2 * index]), let low = hexValue(text[2 * index + 1]) else {
                    throw CLIError("\(what) is not hexadecimal (expected 64 hex digits)")
                }
                out[index] = high << 4 | low
            }
        }
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): digit - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
