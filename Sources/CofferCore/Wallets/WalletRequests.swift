import CofferBase

/// `POST /v1/wallets`, `coffer wallet create|import`: a name and where the secret comes from.
/// Secrets travel in the request only as far as the service, which seals them into the vault;
/// they are never logged, echoed or part of an error.
public struct CreateWalletRequest: Codable, Sendable {
    /// Required, except for a keystore, whose wallet is named `keystore-<address>` by default.
    public var name: String?
    /// `generate` (default: a BIP39 mnemonic made inside the vault and never shown), `mnemonic`,
    /// `private-key`, `master-secret`, `slip39`, `ethereum-keystore`, or `xpub` (a watch-only
    /// wallet: an account-level extended public key, which derives addresses and signs nothing).
    public var source: String?
    public var wordCount: Int?
    public var mnemonic: String?
    /// The mnemonic's language (detected when absent).
    public var language: String?
    public var bip39Passphrase: String?
    public var privateKey: String?
    public var curve: String?
    public var masterSecret: String?
    public var shares: [String]?
    public var slip39Passphrase: String?
    public var keystore: KeystoreText?
    public var password: String?
    /// The account-level extended public key of a watch-only wallet: xpub, ypub, zpub, tpub, upub,
    /// vpub, or Litecoin's Ltub, Mtub, ttub.
    public var xpub: String?
    /// The address type of a watch-only wallet: fixed by a ypub/zpub-like version (and then
    /// optional), p2pkh (default) or p2tr (or any other) for the generic xpub/tpub.
    public var scheme: String?

    public init(name: String?, source: String? = nil) {
        self.name = name
        self.source = source
    }

    enum CodingKeys: String, CodingKey {
        case name, source, wordCount = "word_count", mnemonic, language, bip39Passphrase = "bip39_passphrase", privateKey = "private_key", curve,
             masterSecret = "master_secret", shares, slip39Passphrase = "slip39_passphrase", keystore, password, xpub, scheme
    }
}

/// An Ethereum V3 keystore as given: the JSON object itself, or a string holding it.
public struct KeystoreText: Codable, Sendable {
    public let bytes: [UInt8]

    public init(bytes: [UInt8]) { self.bytes = bytes }

    public init(from decoder: any Decoder) throws {
        let value = try decoder.singleValueContainer().decode(JSONValue.self)
        switch value {
        case .string(let text): bytes = Array(text.utf8)
        case .object: bytes = value.bytes
        default: throw JSONError("keystore must be the V3 keystore JSON object or a string holding it")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(String(decoding: bytes, as: UTF8.self))
    }
}

/// `POST /v1/wallets/{id}/backup`, `coffer wallet backup`: an encrypted export in a format other
/// tools read: an Ethereum V3 keystore under `password`, or SLIP-39 shares under `passphrase`.
public struct BackupWalletRequest: Codable, Sendable {
    /// `ethereum-keystore` or `slip39`.
    public var format: String
    public var password: String?
    /// `scrypt` (default) or `pbkdf2`.
    public var kdf: String?
    public var path: String?
    public var passphrase: String?
    /// One group: `threshold` of `shares`.
    public var threshold: Int?
    public var shares: Int?
    /// Several groups instead, of which `groupThreshold` are needed.
    public var groups: [ShareGroup]?
    public var groupThreshold: Int?
    /// PBKDF2 cost of SLIP-39 shares: 10000 << E iterations at every recovery (default 4).
    public var iterationExponent: Int?

    public init(format: String) { self.format = format }

    enum CodingKeys: String, CodingKey {
        case format, password, kdf, path, passphrase, threshold, shares, groups, groupThreshold = "group_threshold",
             iterationExponent = "iteration_exponent"
    }
}

/// One SLIP-39 group: `threshold` of `shares` members.
public struct ShareGroup: Codable, Sendable, Equatable {
    public var threshold: Int
    public var shares: Int

    public init(threshold: Int, shares: Int) {
        self.threshold = threshold
        self.shares = shares
    }
}

/// `POST /v1/wallets/{id}/addresses`, `coffer address allocate`: the next unused addresses of a
/// wallet on a chain, with who they are for.
public struct AllocateAddressesRequest: Codable, Sendable, Equatable {
    public var chain: String
    public var count: UInt32
    public var label: String?
    public var ownerID: String?
    public var purpose: String?
    public var scheme: String?
    public var network: String?

    public init(chain: String, count: UInt32, label: String? = nil, ownerID: String? = nil, purpose: String? = nil, scheme: String? = nil, network: String? = nil) {
        self.chain = chain
        self.count = count
        self.label = label
        self.ownerID = ownerID
        self.purpose = purpose
        self.scheme = scheme
        self.network = network
    }

    enum CodingKeys: String, CodingKey { case chain, count, label, ownerID = "owner_id", purpose, scheme, network }
}

/// The filters of an address listing; they combine.
public struct AddressListQuery: Sendable, Equatable {
    public var wallet: String?
    public var chain: String?
    public var ownerID: String?
    public var purpose: String?

    public init(wallet: String? = nil, chain: String? = nil, ownerID: String? = nil, purpose: String? = nil) {
        self.wallet = wallet
        self.chain = chain
        self.ownerID = ownerID
        self.purpose = purpose
    }
}
