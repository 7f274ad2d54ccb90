import CofferBase
/// A unit of account: a currency or token. Amounts of it are whole numbers of smallest units;
/// `decimals` (0-30) only says where a display puts the point.
public struct Asset: Sendable, Equatable {
    public let code: String
    public let decimals: UInt8
    public let chain: String?
    public let contract: String?

    public static let maximumFractionDigits: UInt8 = 30

    /// Validates the code (1-32 characters from `A-Za-z0-9._-`) and the decimals.
    public init(code: String, decimals: UInt8, chain: String? = nil, contract: String? = nil) throws(LedgerError) {
        try Self.validate(code: code)
        guard decimals <= Self.maximumFractionDigits else {
            throw LedgerError("asset \(code): decimals \(decimals) is above \(Self.maximumFractionDigits)")
        }
        self.code = code
        self.decimals = decimals
        self.chain = chain
        self.contract = contract
    }

    /// Throws unless `code` is 1-32 characters from `A-Za-z0-9._-`, optionally namespaced as
    /// `<namespace>/<code>` (see `TenantScope`).
    public static func validate(code: String) throws(LedgerError) {
        var local = Substring(code)
        if let slash = code.utf8.firstIndex(of: UInt8(ascii: "/")), TenantScope.isValid(code[..<slash]) { local = code[code.utf8.index(after: slash)...] }
        guard isValidLocal(code: local) else {
            throw LedgerError("asset code \"\(local.prefix(40))\" is not valid: use 1-32 characters from A-Za-z0-9._-")
        }
    }

    /// A well-formed code without a namespace: what a tenant may write.
    public static func isValidLocal(code: some StringProtocol) -> Bool {
        ASCIIText.all(code, count: 1...32, allowed: codeBytes)
    }

    /// `A-Za-z0-9._-`, indexed by byte.
    private static let codeBytes = ASCIIText.table("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
}
