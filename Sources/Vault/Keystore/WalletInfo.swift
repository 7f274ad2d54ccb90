import CofferBase
import Foundation

/// What anyone may know about a vault wallet: never the secret.
public struct WalletInfo: Sendable, Equatable, Codable {
    public let id: String
    public let name: String
    public let kind: WalletKind
    /// For single-key wallets.
    public let curve: String?
    /// Where the secret came from: "random", "generated-bip39" (a BIP39 mnemonic made inside the
    /// vault and never shown), "bip39", "slip39", "ethereum-v3", "private-key".
    public let origin: String
    /// Master key fingerprint (seed) or address (single key).
    public let summary: String
    public let createdAt: Date
}
