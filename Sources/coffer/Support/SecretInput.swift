import Foundation
import WalletCore

/// Reads secrets from standard input or files, never from arguments (argv is visible to every
/// user through /proc and lands in shell history).
enum SecretInput {
    /// The mnemonic on stdin, trimmed of surrounding whitespace. On a terminal it is read
    /// without echo.
    static func mnemonic() throws -> String {
        let text = try standardInput(prompt: "Mnemonic (input hidden): ", multiline: false)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw CLIError("no mnemonic on standard input; pipe it in, e.g. coffer mnemonic check < mnemonic.txt")
        }
        return trimmed
    }

    /// The master secret on stdin as hex (optional 0x), trimmed of surrounding whitespace.
    static func hexSecret(example: String) throws -> SecretBytes {
        let text = try standardInput(prompt: "Master secret in hex (input hidden): ", multiline: false)
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw CLIError("no master secret on standard input; pipe its hex in, e.g. \(example)")
        }
        do {
            var bytes = try Hex.decode(trimmed)
            defer { SecretBytes.wipe(&bytes) }
            return SecretBytes(bytes)
        } catch {
            throw CLIError("master secret on standard input: \(error)")
        }
    }

    /// The non-blank lines of stdin, each trimmed (on a terminal: lines typed without echo up to
    /// an empty one).
    static func lines(what: String, example: String) throws -> [String] {
        let text = try standardInput(prompt: "Enter \(what), one per line, then an empty line (input hidden): ",
                                     multiline: true)
        let lines = text.split(whereSeparator: \.isNewline)
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
        guard !lines.isEmpty else {
            throw CLIError("no \(what) on standard input; pipe them in, e.g. \(example)")
        }
        return lines
    }

    /// All of piped stdin; on a terminal, one line (or lines up to an empty one) read without echo.
    private static func standardInput(prompt: String, multiline: Bool) throws -> String {
        if Terminal.stdinIsTerminal {
            return try readWithoutEcho(prompt: prompt, multiline: multiline)
        }
        return try decodeUTF8(FileHandle.standardInput.readDataToEndOfFile(), what: "standard input")
    }

    /// A passphrase file's contents less exactly one trailing newline, nothing else: spaces and
    /// other whitespace are part of a BIP39 passphrase.
    static func passphrase(file path: String?) throws -> String {
        guard let path else { return "" }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CLIError("cannot read passphrase file \(path): \(reason(error))")
        }
        var bytes = [UInt8](data)
        defer { SecretBytes.wipe(&bytes) }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return try decodeUTF8(Data(bytes), what: "passphrase file \(path)")
    }

    private static func decodeUTF8(_ data: Data, what: String) throws -> String {
        guard let text = String(data: data, encoding: .utf8) else {
            throw CLIError("\(what) is not valid UTF-8")
        }
        return text
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
            return String(cString: strerror(Int32(underlying.code)))
        }
        if nsError.domain == NSCocoaErrorDomain && nsError.code == NSFileReadNoSuchFileError { return "no such file" }
        return nsError.localizedDescription
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
            guard let line = readLine(strippingNewline: true) else {
                throw CLIError("nothing entered")
            }
            return line
        }
        var lines: [String] = []
        while let line = readLine(strippingNewline: true), !line.trimmingCharacters(in: .whitespaces).isEmpty {
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }
}

