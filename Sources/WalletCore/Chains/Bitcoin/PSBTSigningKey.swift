/// The key material a PSBT signer holds, and how it finds the key for an input.
public struct PSBTSigningKey: Sendable {
    enum Material: Sendable {
        case extended(ExtendedPrivateKey, masterFingerprint: UInt32?)
        case single(Secp256k1.PrivateKey)
    }

    let material: Material

    /// A master (depth 0) or deeper, typically account-level, extended private key. Inputs are
    /// matched through their BIP32 derivation records: a master key needs the record's master
    /// fingerprint to be its own; a deeper key needs the record's path to pass through its own
    /// position (and the fingerprint to equal `masterFingerprint` when given). Either way the
    /// derived public key must equal the record's key before anything is signed.
    public static func extendedKey(_ key: ExtendedPrivateKey, masterFingerprint: UInt32? = nil) -> PSBTSigningKey {
        PSBTSigningKey(material: .extended(key, masterFingerprint: masterFingerprint))
    }

    /// One private key: inputs are matched by their scriptPubKey (p2wpkh or p2sh-p2wpkh of its
    /// compressed key, p2tr of its BIP86/BIP341 tweaked key).
    public static func privateKey(_ key: Secp256k1.PrivateKey) -> PSBTSigningKey {
        PSBTSigningKey(material: .single(key))
    }

    /// The private key at `origin`, if this key material can derive it.
    func privateKey(for origin: PSBTKeyOrigin) -> Secp256k1.PrivateKey? {
        guard case .extended(let key, let masterFingerprint) = material else { return nil }
        let path = origin.path.components
        if key.depth == 0 {
            guard origin.masterFingerprint == key.privateKey.publicKey.fingerprint else { return nil }
            return try? key.derive(path: origin.path).privateKey
        }
        if let masterFingerprint, masterFingerprint != origin.masterFingerprint { return nil }
        let depth = Int(key.depth)
        guard path.count >= depth, path[depth - 1] == key.childIndex else { return nil }
        return try? key.derive(path: DerivationPath(Array(path[depth...]))).privateKey
    }

    /// The single key, when this is one.
    var singleKey: Secp256k1.PrivateKey? {
        if case .single(let key) = material { return key }
        return nil
    }
}

/// What ``PSBT/sign(with:allowedSighashTypes:schnorrAuxiliaryRandomness:)`` did to each input.
public struct PSBTSigningReport: Sendable, Equatable {
    /// How an input was signed.
    public enum Method: String, Sendable {
        case p2wpkh
        case p2shP2wpkh = "p2sh-p2wpkh"
        case p2trKeyPath = "p2tr-key-path"
    }

    public struct SignedInput: Sendable, Equatable {
        public let index: Int
        public let method: Method
        /// The signing public key: 33-byte compressed, or the 32-byte x-only taproot output key.
        public let publicKey: [UInt8]
        public let sighashType: SighashType
    }

    public struct SkippedInput: Sendable, Equatable {
        public let index: Int
        /// One line saying why, e.g. "no key matches this input".
        public let reason: String
    }

    public internal(set) var signed: [SignedInput] = []
    public internal(set) var skipped: [SkippedInput] = []
}
