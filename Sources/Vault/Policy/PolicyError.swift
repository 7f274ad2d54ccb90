public import CofferBase

/// Why a policy, a signing request or an approval was refused: a stable code, a category and a
/// message that names the field or rule at fault.
public typealias PolicyError = DomainError<PolicyDomain>

/// Signing policies, signing requests and approvals.
public enum PolicyDomain: ErrorDomain {}

extension PolicyError {
    /// `AmountText.parse` for policies and intents: a malformed amount is a malformed policy or request.
    static func amount(_ text: String, field: String) throws(PolicyError) -> UInt128 {
        do { return try AmountText.parse(text, field: field) } catch { throw PolicyError(error.description) }
    }
}
