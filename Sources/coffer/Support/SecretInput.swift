import Foundation
import WalletCore

/// Reads secrets from standard input or files, never from arguments (argv is visible to every
/// user through /proc and lands in shell history). Error messages name what is missing or
/// malformed, never the secret.
enum SecretInput {
    /// The mnemonic on stdin, trimmed of surrounding whitespace; hidden on a terminal.
    static func mnemonic() throws -> String {
        try text(prompt: "Mnemonic (input hidden): ",
                 missing: "no mnemonic on standard input; pipe it in, e.g. coffer mnemonic check < mnemonic.txt")
    }

    /// A Bitcoin signing key as text (extended private key or WIF) on stdin, trimmed.
    static func bitcoinKeyText() throws -> String {
        try text(prompt: "Private key (input hidden): ",
                 missing: "no private key on standard input; pipe an xprv/tprv (master or account) or a WIF key in")
    }

    /// Any other one-line secret on stdin (an approver key...), trimmed.
    static func standardInputLine(what: String) throws -> String {
        try text(prompt: "\(what.prefix(1).uppercased() + what.dropFirst()) (input hidden): ", missing: "no \(what) on standard input")
    }

    /// A secp256k1 private key as 64 hex digits on stdin (`0x` optional, surrounding whitespace
    /// ignored).
    static func privateKey() throws -> Secp256k1.PrivateKey {
        var bytes = try standardInputBytes(prompt: "Private key, hex (input hidden): ", multiline: false)
        defer { SecretBytes.wipe(&bytes) }
        let trimmed = trim(bytes[...])
        guard !trimmed.isEmpty else {
            throw CLIError("no private key on standard input; pipe in 64 hex digits, e.g. coffer sign ... < key.hex")
        }
        let secret = try hexPrivateKey(SecretBytes(trimmed), what: "the private key on standard input")
        do {
            return try Secp256k1.PrivateKey(secret: secret)
        } catch {
            throw CLIError("the private key on standard input is not a valid secp256k1 key (zero or not below the curve order)")
        }
    }

    /// The non-empty lines of stdin, each trimmed, in wiped memory (private keys, one per line).
    static func privateKeyLines(what: String) throws -> [SecretBytes] {
        var bytes = try standardInputBytes(prompt: "\(what) (input hidden): ", multiline: true)
        defer { SecretBytes.wipe(&bytes) }
        let lines = bytes.split(separator: UInt8(ascii: "\n")).map { trim($0) }.filter { !$0.isEmpty }.map { SecretBytes($0) }
        guard !lines.isEmpty else {
            throw CLIError("no \(what) on standard input; pipe it in, e.g. coffer sign ... < key-file")
        }
        return lines
    }

    /// A password on stdin less exactly one trailing newline (spaces are part of passwords).
    static func password(what: String) throws -> String {
        var bytes = try standardInputBytes(prompt: "\(what.prefix(1).uppercased() + what.dropFirst()) (input hidden): ", multiline: false)
        defer { SecretBytes.wipe(&bytes) }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        guard !bytes.isEmpty else { throw CLIError("no \(what) on standard input") }
        return try decodeUTF8(bytes, what: what)
    }

    /// A master secret as hex on stdin (optional 0x), trimmed.
    static func hexSecret(example: String) throws -> SecretBytes {
        var text = try text(prompt: "Master secret in hex (input hidden): ",
                            missing: "no master secret on standard input; pipe its hex in, e.g. \(example)")
        defer { text = "" }
        do {
            var bytes = try Hex.decode(text)
            defer { SecretBytes.wipe(&bytes) }
            return SecretBytes(bytes)
        } catch {
            throw CLIError("master secret on standard input: \(error)")
        }
    }

    /// The non-blank lines of stdin, each trimmed (on a terminal: hidden lines up to an empty one).
    static func lines(what: String, example: String) throws -> [String] {
        var bytes = try standardInputBytes(prompt: "Enter \(what), one per line, then an empty line (input hidden): ", multiline: true)
        defer { SecretBytes.wipe(&bytes) }
        let lines = try decodeUTF8(bytes, what: "standard input").split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else { throw CLIError("no \(what) on standard input; pipe them in, e.g. \(example)") }
        return lines
    }

    /// A passphrase file's contents less exactly one trailing newline, nothing else: spaces and
    /// other whitespace are part of a BIP39 passphrase.
    static func passphrase(file path: String?) throws -> String {
        guard let path else { return "" }
        let bytes = try passphraseBytes(file: path, what: "passphrase file")
        return bytes.withUnsafeBytes { String(decoding: $0, as: UTF8.self) }
    }

    /// A secret file's bytes less exactly one trailing newline, in wiped memory; must be UTF-8.
    static func passphraseBytes(file path: String, what: String) throws -> SecretBytes {
        var bytes = try InputFile.bytes(at: path, what: what)
        defer { SecretBytes.wipe(&bytes) }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw CLIError("\(what) \(path) is not valid UTF-8") }
        return SecretBytes(bytes)
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

    // MARK: reading

    /// Trimmed UTF-8 text of stdin; `missing` when there is nothing.
    private static func text(prompt: String, missing: String) throws -> String {
        var bytes = try standardInputBytes(prompt: prompt, multiline: false)
        defer { SecretBytes.wipe(&bytes) }
        let trimmed = try decodeUTF8(bytes, what: "standard input").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CLIError(missing) }
        return trimmed
    }

    /// All of piped stdin; on a terminal, one line (or lines up to an empty one) typed without echo.
    private static func standardInputBytes(prompt: String, multiline: Bool) throws -> [UInt8] {
        if Terminal.stdinIsTerminal {
            return Array(try readWithoutEcho(prompt: prompt, multiline: multiline).utf8)
        }
        var data = FileHandle.standardInput.readDataToEndOfFile()
        defer { data.withUnsafeMutableBytes { SecretBytes.wipe($0) } }
        return [UInt8](data)
    }

    private static func readWithoutEcho(prompt: String, multiline: Bool) throws -> String {
        Terminal.writeError(prompt)
        var original = termios()
        let haveTerminal = tcgetattr(STDIN_FILENO, &original) == 0
        if haveTerminal {
            var silent = original
            silent.c_lflag &= ~tcflag_t(ECHO)
            tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent)
        }
        defer {
            if haveTerminal { tcsetattr(STDIN_FILENO, TCSAFLUSH, &original) }
            Terminal.writeError("\n")
        }
        guard multiline else {
            guard let line = readLine(strippingNewline: true) else { throw CLIError("nothing entered") }
            return line
        }
        var lines: [String] = []
        while let line = readLine(strippingNewline: true), !line.trimmingCharacters(in: .whitespaces).isEmpty {
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    private static func decodeUTF8(_ bytes: [UInt8], what: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else { throw CLIError("\(what) is not valid UTF-8") }
        return text
    }

    private static func trim(_ bytes: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        let isSpace: (UInt8) -> Bool = { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        var slice = bytes
        while let first = slice.first, isSpace(first) { slice = slice.dropFirst() }
        while let last = slice.last, isSpace(last) { slice = slice.dropLast() }
        return slice
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
