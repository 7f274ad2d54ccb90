@testable import Market
import Testing

/// The error a throwing call produced, or `nil` when it succeeded.
/// (Closures do not infer typed throws, so this takes any error and fails on a foreign one.)
func caught<T>(_ body: () throws -> T, sourceLocation: SourceLocation = #_sourceLocation) -> FeedMappingError? {
    do {
        _ = try body()
        return nil
    } catch let error as FeedMappingError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// Applies `mapping` (JSON text) to `body` (JSON text) received at `receivedAt`.
func observe(_ mapping: String, _ body: String, receivedAt: Int64 = 1_800_000_000) throws(FeedMappingError) -> [FeedObservation] {
    try FeedMapping(json: mapping).observations(from: body, receivedAt: receivedAt)
}

/// The normalised text of `text`, or the problem.
func plain(_ text: String) -> Result<String, ExactDecimal.Problem> {
    ExactDecimal.normalize(text)
}

extension FeedMappingError {
    /// The reason text of the cases that carry one.
    var reason: String? {
        switch self {
        case .invalidMapping(_, let reason), .malformedJSON(let reason), .invalidField(_, _, let reason): reason
        default: nil
        }
    }
}
