import CofferBase
import Foundation

/// Which event types an endpoint receives: exact names (`deposit.credited`), prefix patterns
/// (`payout.*`: every type that starts with `payout.`), or `*` for every type. Types that do not
/// exist yet may be named: payout events, say, are matched once they are raised.
public struct EventFilter: Sendable, Equatable, CustomStringConvertible {
    /// The patterns in the order given, without repeats.
    public let patterns: [String]

    public static let maximumPatterns = 32

    /// Patterns separated by commas, e.g. `payout.*,deposit.*` (spaces around them are ignored).
    public init(parsing text: String) throws(WebhookError) {
        try self.init(patterns: text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) })
    }

    public init(patterns: [String]) throws(WebhookError) {
        guard (1...Self.maximumPatterns).contains(patterns.count) else {
            throw WebhookError("events: give 1 to \(Self.maximumPatterns) event types or patterns, e.g. payout.*,deposit.credited")
        }
        var kept: [String] = []
        for pattern in patterns where !kept.contains(pattern) {
            guard Self.isValid(pattern) else {
                throw WebhookError("events: \"\(pattern.prefix(70))\" is neither an event type (deposit.credited) nor a pattern (deposit.*, *)")
            }
            kept.append(pattern)
        }
        self.patterns = kept
    }

    /// `*`, or dot-separated words of `a-z0-9_` (at most 100 characters) whose last word may be `*`.
    static func isValid(_ pattern: String) -> Bool {
        if pattern == "*" { return true }
        let words = pattern.split(separator: ".", omittingEmptySubsequences: false)
        guard pattern.utf8.count <= 100, words.count >= 2 else { return false }
        return words.enumerated().allSatisfy { index, word in
            (index == words.count - 1 && word == "*")
                || (!word.isEmpty && word.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7a) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x5f })
        }
    }

    /// Whether events of `type` go to the endpoint.
    public func matches(_ type: String) -> Bool {
        patterns.contains { pattern in
            if pattern == "*" { return true }
            if pattern.hasSuffix(".*") { return type.utf8.starts(with: pattern.utf8.dropLast()) }
            return type == pattern
        }
    }

    /// The patterns joined by commas, as stored.
    public var description: String { patterns.joined(separator: ",") }
}
