import CofferBase
import Foundation

/// The URL an endpoint is delivered to: `http` or `https`, a host, no user information (a
/// password in a URL ends up in logs and listings), no fragment, at most 2048 characters.
public struct WebhookURL: Sendable, Equatable, CustomStringConvertible {
    public let text: String
    /// The host as written, without brackets around an IPv6 address, lowercased.
    public let host: String

    public static let maximumLength = 2048

    public init(_ text: String) throws(WebhookError) {
        let hint = "give http://host[:port]/path or https://..."
        guard text.utf8.count <= Self.maximumLength, !text.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7f }),
              let parsed = URLComponents(string: text), let scheme = parsed.scheme?.lowercased() else {
            throw Self.refusal("url: not a URL (at most \(Self.maximumLength) characters, no spaces); \(hint)")
        }
        guard scheme == "http" || scheme == "https" else {
            throw Self.refusal("url: the scheme must be http or https, not \(scheme.prefix(20)); \(hint)")
        }
        guard parsed.user == nil, parsed.password == nil else {
            throw Self.refusal("url: must not carry user information (user:password@); authenticate the request by its Coffer-Signature header instead")
        }
        guard parsed.fragment == nil else { throw Self.refusal("url: must not have a #fragment") }
        var host = (parsed.host ?? "").lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { throw Self.refusal("url: has no host; \(hint)") }
        // Hosts like 2130706433, 0x7f.1 or 127.1 reach addresses nobody reads them as.
        if !host.contains(":"), let last = host.split(separator: ".").last, last.allSatisfy(\.isNumber) || last.hasPrefix("0x"), Self.ipv4(host) == nil {
            throw Self.refusal("url: \(host.prefix(40)) is neither a host name nor a dotted IPv4 address")
        }
        self.text = text
        self.host = host
    }

    public var description: String { text }

    static func refusal(_ message: String) -> WebhookError { WebhookError(.invalidInput, "invalid-webhook-url", message) }

    /// Whether the host names this machine or a private network by its literal form: `localhost`,
    /// loopback, private (RFC 1918, unique local), link-local (cloud metadata services live there),
    /// shared (100.64/10) or unspecified addresses. A host name that merely resolves to one is
    /// not caught here: see docs/webhooks.md.
    public var isPrivate: Bool {
        if host == "localhost" || host.hasSuffix(".localhost") { return true }
        if let octets = Self.ipv4(host) { return Self.isPrivate(octets) }
        guard host.contains(":") else { return false }
        if host == "::" || host == "::1" { return true }
        if let last = host.split(separator: ":").last, let octets = Self.ipv4(String(last)), host.hasPrefix("::ffff:") { return Self.isPrivate(octets) }
        let first = host.split(separator: ":", omittingEmptySubsequences: false).first.map { String($0) } ?? ""
        guard let word = UInt16(first, radix: 16) else { return false }
        return word & 0xfe00 == 0xfc00 || word & 0xffc0 == 0xfe80
    }

    static func ipv4(_ text: String) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        let octets = parts.compactMap { part -> UInt8? in
            // Leading zeros are octal to some resolvers: refused rather than guessed.
            guard (1...3).contains(part.count), part.allSatisfy({ $0.isASCII && $0.isNumber }), part.count == 1 || part.first != "0" else { return nil }
            return UInt8(part)
        }
        return octets.count == 4 ? octets : nil
    }

    static func isPrivate(_ o: [UInt8]) -> Bool {
        o[0] == 0 || o[0] == 10 || o[0] == 127 || (o[0] == 169 && o[1] == 254) || (o[0] == 172 && o[1] & 0xf0 == 16)
            || (o[0] == 192 && o[1] == 168) || (o[0] == 100 && o[1] & 0xc0 == 64)
    }
}
