import Foundation
import WalletCore

/// Reads secrets from standard input or files, never from arguments (argv is visible to every
/// user through /proc and lands in shell history).
enum SecretInput {
    /// The mnemonic on stdin, trimmed of surrounding whitespace. On a terminal it is read
    /// without echo.
    static func mnemonic() throws -> String {
        let text: String
        if Terminal.stdinIsTerminal {
            text = try readLineWithoutEcho(prompt: "Mnemonic (input hidden): ")
        } else {
            text = try decodeUTF8(FileHandle.standardInput.readDataToEndOfFile(), what: "standard input")
        }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else {
            throw CLIError("no mnemonic on standard input; pipe it in, e.g. coffer mnemonic check < mnemonic.txt")
        }
        return trimmed
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

    static func readLineWithoutEcho(prompt: String) throws -> String {
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
            throw CLIError("no mnemonic entered")
        }
        return line
    }
}

