/// The one error type of the reconciliation core.
///
/// `code` is stable and machine-readable (log it, branch on it, map it to an API
/// error); `message` is for a human and says what to change. `rule` and `field`
/// locate rule-configuration errors so an operator can fix the rules file directly.
public struct ReconError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable error codes. Raw values never change once released.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        /// The rules text is not well-formed JSON.
        case rulesSyntax = "recon.rules.syntax"
        /// The rule list is empty: reconciliation would match nothing.
        case rulesEmpty = "recon.rules.empty"
        /// A rule carries a key the engine does not know (typo or unsupported option).
        case ruleUnknownField = "recon.rule.unknown_field"
        /// A required key is absent.
        case ruleMissingField = "recon.rule.missing_field"
        /// A value has the wrong type or is out of range.
        case ruleInvalidValue = "recon.rule.invalid_value"
        /// Conditions that are individually valid but meaningless together.
        case ruleInvalidCombination = "recon.rule.invalid_combination"
        /// Two rules share a name, so matches could not be attributed.
        case ruleDuplicateName = "recon.rule.duplicate_name"
        /// An input row is unusable (empty id or asset).
        case rowInvalid = "recon.row.invalid"
        /// Two rows on the same side share an id.
        case rowDuplicateId = "recon.row.duplicate_id"
        /// A `ReconLimits` value is outside its documented range.
        case limitsInvalid = "recon.limits.invalid"
        /// A statement mapping is unusable (not JSON, an unknown key, a missing column, a bad format).
        case mappingInvalid = "recon.mapping.invalid"
        /// A statement file cannot be read through its mapping (the row and column are named).
        case statementInvalid = "recon.statement.invalid"
    }

    public let code: Code
    public let message: String
    /// Name (or `#index` when unnamed) of the offending rule, if any.
    public let rule: String?
    /// Dotted path of the offending field inside the rule, e.g. `match.amount.tolerance_bps`.
    public let field: String?

    public init(_ code: Code, _ message: String, rule: String? = nil, field: String? = nil) {
        self.code = code
        self.message = message
        self.rule = rule
        self.field = field
    }

    public var description: String { "[\(code.rawValue)] \(message)" }
}
