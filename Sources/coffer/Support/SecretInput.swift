import Foundation
import WalletCore

/// Reads secrets from standard input or files, never from arguments (argv is visible to every
/// user through /proc and lands in shell history).
enum SecretInput {
    /// The mnemonic on stdin, trimmed of surrounding whitespace. On a terminal it is read
    /// without echo.
    static func mnemonic() throws -> String {
        try readSecret(
            prompt: "Mnemonic (input hidden): ",
            missing: "no mnemonic on standard input; pipe it in, e.g. coffer mnemonic check < mnemonic.txt")
    }

    /// A Bitcoin signing key as text (extended private key or WIF) on stdin, trimmed of
    /// surrounding whitespace. On a terminal it is read without echo.
    static func bitcoinKeyText() throws -> String {
        try readSecret(
            prompt: "Private key (input hidden): ",
            missing: "no private key on standard input; pipe an xprv/tprv (master or account) or a WIF key in")
    }

    /// Standard input (one hidden line on a terminal), trimmed; `missing` when there is nothing.
    private static func readSecret(prompt: String, missing: String) throws -> String {
        let text: String
        if Terminal.stdinIsTerminal {
            text = try readLineWithoutEcho(prompt: prompt)
        } else {
            text = try decodeUTF8(FileHandle.standardInput.readDataToEndOfFile(), what: "standard input")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw CLIError(missing) }
        return trimmed
    }

    /// A passphrase file's contents less exactly one trailing newline, nothing else: spaces and
    /// other whitespace are part of a BIP39 passphrase.
    static func passphrase(file path: String?) throws -> String {
        guard let path else { return "" }
        var bytes = try InputFile.bytes(at: path, what: "passphrase file")
        defer { SecretBytes.wipe(&bytes) }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return try decodeUTF8(Data(bytes), what: "passphrase file \(path)")
    }

    /// A secret file's bytes less exactly one trailing newline, in wiped memory.
    static func passphraseBytes(file path: String, what: String) throws -> SecretBytes {
        var bytes = try InputFile.bytes(at: path, what: what)
        defer { SecretBytes.wipe(&bytes) }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        guard String(validating: bytes, as: UTF8.self) != nil else { throw CLIError("\(what) \(path) is not valid UTF-8") }
        return SecretBytes(bytes)
    }

    /// A secret that is not a mnemonic (hex key...) on stdin, trimmed; hidden on a terminal.
    static func standardInputLine(what: String) throws -> String {
        try readSecret(prompt: "\(what.prefix(1).uppercased() + what.dropFirst()) (input hidden): ", missing: "no \(what) on standard input")
    }

    /// A secp256k1 private key as 64 hex digits on stdin (`0x` optional, surrounding whitespace
    /// ignored). Errors never echo any of the input.
    static func privateKey() throws -> Secp256k1.PrivateKey {
        var bytes: [UInt8]
        if Terminal.stdinIsTerminal {
            bytes = Array(try readLineWithoutEcho(prompt: "Private key, hex (input hidden): ", what: "private key").utf8)
        } else {
            bytes = [UInt8](FileHandle.standardInput.readDataToEndOfFile())
        }
        defer { SecretBytes.wipe(&bytes) }
        // Index arithmetic only: slicing and trimming must not copy the secret into new buffers.
        let isWhitespace: (UInt8) -> Bool = { [0x20, 0x09, 0x0A, 0x0D].contains($0) }
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end && isWhitespace(bytes[start]) { start += 1 }
        while end > start && isWhitespace(bytes[end - 1]) { end -= 1 }
        guard start < end else {
            throw CLIError("no private key on standard input; pipe in 64 hex digits, e.g. coffer sign ... < key.hex")
        }
        if end - start >= 2 && bytes[start] == UInt8(ascii: "0") && (bytes[start + 1] | 0x20) == UInt8(ascii: "x") { start += 2 }
        let invalid = CLIError("the private key on standard input must be 64 hex digits (32 bytes), optionally prefixed with 0x")
        guard end - start == 64 else { throw invalid }
        let secret = try SecretBytes(count: 32) { (out: UnsafeMutableRawBufferPointer) throws(CLIError) in
            for index in 0..<32 {
                let high = Self.nibble(bytes[start + 2 * index])
                let low = Self.nibble(bytes[start + 2 * index + 1])
                guard let high, let low else { throw invalid }
                out[index] = high << 4 | low
            }
        }
        do {
            return try Secp256k1.PrivateKey(secret: secret)
        } catch {
            throw CLIError("the private key on standard input is not a valid secp256k1 key (zero or not below the curve order)")
        }
    }

    private static func nibble(_ c: UInt8) -> UInt8? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): c - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): c - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): c - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func decodeUTF8(_ data: Data, what: String) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(what) is not valid UTF-8")
        }
        return text
    }

    static func readLineWithoutEcho(prompt: String, what: String = "mnemonic") throws -> String {
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
        guard let line = readLine(strippingNewline: true) else {
            throw CLIError("no \(what) entered")
        }
        return line
    }
}

