import CofferBase

/// Where a payout stands. The happy path is `reserved` → (`pending_approval`) → `signed` →
/// `broadcast` → `confirmed` → `settled`; `rejected` ends a payout before anything was signed,
/// `failed` → `compensated` one whose transaction provably can never confirm. `created` exists
/// only inside the request that reserves: a payout is stored reserved or rejected.
public enum PayoutStatus: String, Sendable, CaseIterable, Codable {
    case created, reserved
    case pendingApproval = "pending_approval"
    case signed, broadcast, confirmed, settled, rejected, failed, compensated

    /// Nothing more happens to a payout in a final state.
    public var isFinal: Bool { self == .settled || self == .rejected || self == .compensated }

    /// Parses a status name; the error lists the names.
    public static func parse(_ text: String) throws(PayoutError) -> PayoutStatus {
        guard let status = PayoutStatus(rawValue: text) else {
            throw PayoutError("status must be one of: \(allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return status
    }
}
