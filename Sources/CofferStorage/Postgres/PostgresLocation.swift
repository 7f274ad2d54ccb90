import CofferBase
import PostgresNIO

/// Where a PostgreSQL database is: parsed from `postgres://user[:password]@host[:port]/database[?sslmode=...]`.
/// Its description never shows the password.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public let user: String
    public let password: String?
    public let host: String
    public let port: Int
    public let database: String
    /// `disable` (the default), `prefer` or `require`.
    public let sslMode: String

    public init(url: String) throws(StorageError) {
        let scheme = ["postgres://", "postgresql://"].first { url.hasPrefix($0) }
        guard let scheme else {
            throw StorageError("the database URL must start with postgres:// (e.g. postgres://coffer@127.0.0.1:5432/coffer)", kind: .configuration)
        }
        var rest = Substring(url.dropFirst(scheme.count))
        var query = Substring("")
        if let mark = rest.firstIndex(of: "?") {
            query = rest[rest.index(after: mark)...]
            rest = rest[..<mark]
        }
        guard let at = rest.lastIndex(of: "@") else {
            throw StorageError("the database URL names no user: write postgres://USER@HOST:PORT/DATABASE", kind: .configuration)
        }
        let credentials = rest[..<at]
        let address = rest[rest.index(after: at)...]
        let userPart = credentials.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        user = Self.percentDecoded(userPart[0])
        password = userPart.count > 1 ? Self.percentDecoded(userPart[1]) : nil
        guard !user.isEmpty else { throw StorageError("the database URL names an empty user", kind: .configuration) }
        guard let slash = address.firstIndex(of: "/") else {
            throw StorageError("the database URL names no database: write postgres://USER@HOST:PORT/DATABASE", kind: .configuration)
        }
        database = Self.percentDecoded(address[address.index(after: slash)...])
        guard !database.isEmpty else { throw StorageError("the database URL names an empty database", kind: .configuration) }
        let hostPort = address[..<slash]
        if let colon = hostPort.lastIndex(of: ":"), !hostPort.hasSuffix("]") {
            let portText = hostPort[hostPort.index(after: colon)...]
            guard let port = Int(portText), (1...65535).contains(port) else {
                throw StorageError("the database URL's port \"\(portText.prefix(10))\" is not a number from 1 to 65535", kind: .configuration)
            }
            self.port = port
            host = String(hostPort[..<colon]).trimmingBrackets
        } else {
            port = 5432
            host = String(hostPort).trimmingBrackets
        }
        guard !host.isEmpty else { throw StorageError("the database URL names no host", kind: .configuration) }
        var sslMode = "disable"
        for parameter in query.split(separator: "&") {
            let pair = parameter.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0] == "sslmode" else {
                throw StorageError("unknown database URL parameter \"\(parameter.prefix(40))\"; only sslmode=disable|prefer|require is supported", kind: .configuration)
            }
            guard ["disable", "prefer", "require"].contains(pair[1]) else {
                throw StorageError("sslmode must be disable, prefer or require, not \"\(pair[1].prefix(20))\"", kind: .configuration)
            }
            sslMode = String(pair[1])
        }
        self.sslMode = sslMode
    }

    public var description: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    private static func percentDecoded(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var index = text.utf8.startIndex
        let utf8 = text.utf8
        while index != utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), let first = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex), first != utf8.endIndex,
               let second = utf8.index(first, offsetBy: 1, limitedBy: utf8.endIndex), second != utf8.endIndex,
               let value = UInt8(String(decoding: [utf8[first], utf8[second]], as: UTF8.self), radix: 16) {
                bytes.append(value)
                index = utf8.index(after: second)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension String {
    fileprivate var trimmingBrackets: String {
        hasPrefix("[") && hasSuffix("]") ? String(dropFirst().dropLast()) : self
    }
}
