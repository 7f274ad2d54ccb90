public import CofferBase

/// A vault wallet's public facts: never the secret, never anything derived from it but the master
/// fingerprint (HD) or the address (single key) the vault keeps in clear.
public struct WalletView: Codable, Sendable, Equatable {
    public let id: String
    public let name: String
    public let kind: String
    public let curve: String?
    public let origin: String
    public let summary: String
    public let createdAt: String

    enum CodingKeys: String, CodingKey { case id, name, kind, curve, origin, summary, createdAt = "created_at" }
}

/// One deposit address and where it comes from.
public struct AddressView: Codable, Sendable, Equatable {
    public let address: String
    public let wallet: String
    public let walletName: String
    public let chain: String
    public let format: String
    public let index: UInt32
    public let path: String
    public let label: String?
    public let ownerID: String?
    public let purpose: String?
    public let createdAt: String

    enum CodingKeys: String, CodingKey {
        case address, wallet, walletName = "wallet_name", chain, format, index, path, label, ownerID = "owner_id", purpose,
             createdAt = "created_at"
    }
}

/// Addresses just handed out, in index order.
public struct AddressBatchView: Codable, Sendable, Equatable {
    public let wallet: String
    public let chain: String
    public let format: String
    public let data: [AddressView]
}

/// An encrypted export of a wallet: an Ethereum V3 keystore, or SLIP-39 share mnemonics.
public struct BackupView: Codable, Sendable, Equatable {
    public let format: String
    public let wallet: String
    public let path: String?
    public let keystore: JSONValue?
    public let threshold: Int?
    public let groupThreshold: Int?
    public let iterationExponent: Int?
    public let shares: [String]?

    enum CodingKeys: String, CodingKey {
        case format, wallet, path, keystore, threshold, groupThreshold = "group_threshold", iterationExponent = "iteration_exponent", shares
    }
}
