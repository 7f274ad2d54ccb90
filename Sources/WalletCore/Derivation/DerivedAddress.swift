/// One derived deposit address.
public struct DerivedAddress: Sendable, Equatable {
    public let index: UInt32
    public let path: String
    public let address: String
    /// 33-byte compressed secp256k1 key, or the 32-byte ed25519 key. For p2tr, the internal
    /// key before the taproot tweak.
    public let publicKey: [UInt8]

    public init(index: UInt32, path: String, address: String, publicKey: [UInt8]) {
        self.index = index
        self.path = path
        self.address = address
        self.publicKey = publicKey
    }
}

/// Caller-chosen labels carried on every record of a batch.
public struct AddressMetadata: Sendable, Equatable {
    public var label: String?
    public var owner: String?
    public var purpose: String?
    public var batch: String?

    public init(label: String? = nil, owner: String? = nil, purpose: String? = nil, batch: String? = nil) {
        self.label = label
        self.owner = owner
        self.purpose = purpose
        self.batch = batch
    }

    /// Fields in output order, nil ones included.
    public var fields: [(name: String, value: String?)] {
        [("label", label), ("owner", owner), ("purpose", purpose), ("batch", batch)]
    }
}
