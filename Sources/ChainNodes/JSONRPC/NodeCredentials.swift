import Chains
import CofferBase
import Foundation

/// How Coffer authenticates to a node: read from a file at connection time (a Bitcoin Core cookie
/// file, or a user name with a password file), never from an argument, never logged. The cookie is
/// re-read after an authentication failure, since the node writes a new one each time it starts.
public enum NodeCredentials: Sendable, Equatable {
    case none
    /// A Bitcoin Core `.cookie` file: one line `__cookie__:<secret>`.
    case cookieFile(path: String)
    /// A user name and the file that holds its password (the password's first line).
    case passwordFile(user: String, path: String)

    /// The `Authorization` header value, or nil when the node takes no credentials.
    func authorizationHeader() throws(NodeError) -> String? {
        let pair: String
        switch self {
        case .none:
            return nil
        case .cookieFile(let path):
            pair = try Self.firstLine(of: path, what: "cookie file")
            guard pair.contains(":") else { throw NodeError(.invalidInput, "node-credentials", "the cookie file \(path) does not hold user:password") }
        case .passwordFile(let user, let path):
            pair = user + ":" + (try Self.firstLine(of: path, what: "password file"))
        }
        return "Basic " + Data(pair.utf8).base64EncodedString()
    }

    private static func firstLine(of path: String, what: String) throws(NodeError) -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            // Not worth retrying blindly only when the file can never appear; a node that is still
            // starting writes its cookie a moment later, so this is `unavailable`.
            throw NodeError(.unavailable, "node-credentials", "cannot read the \(what) \(path)")
        }
        let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        guard !line.isEmpty else { throw NodeError(.invalidInput, "node-credentials", "the \(what) \(path) is empty") }
        return line
    }
}
