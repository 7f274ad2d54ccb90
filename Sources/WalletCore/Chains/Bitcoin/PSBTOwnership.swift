/// The output scripts one key controls on its own, without any other key or script.
public enum BitcoinKeyScripts {
    /// The scheme under which `scriptPubKey` pays `publicKey` alone: p2wpkh, p2sh-p2wpkh or p2pkh
    /// of its compressed form, or p2tr key path with the BIP341 tweak committing to `merkleRoot`
    /// (nil: no script tree, the BIP86 tweak). Nil for any other script.
    public static func scheme(of scriptPubKey: [UInt8], payingTo publicKey: Secp256k1.PublicKey, merkleRoot: [UInt8]? = nil) -> BitcoinScheme? {
        let keyHash = Hash160.hash(publicKey.compressed)
        switch BitcoinScript.template(of: scriptPubKey) {
        case .p2wpkh(let hash):
            return hash == keyHash ? .p2wpkh : nil
        case .p2sh(let scriptHash):
            return scriptHash == Hash160.hash(BitcoinScript.p2wpkh(publicKeyHash: keyHash)) ? .p2shP2wpkh : nil
        case .p2tr(let outputKey):
            return (try? publicKey.taprootOutputKey(merkleRoot: merkleRoot)) == outputKey ? .p2tr : nil
        case .other:
            return scriptPubKey == BitcoinScript.p2pkh(publicKeyHash: keyHash) ? .p2pkh : nil
        }
    }

    /// The scriptPubKey that pays `publicKey` alone under `scheme` (p2tr: the BIP86 key-path-only
    /// tweak, no script tree): the one script for which ``scheme(of:payingTo:merkleRoot:)`` answers `scheme`.
    public static func scriptPubKey(paying publicKey: Secp256k1.PublicKey, scheme: BitcoinScheme) throws(Secp256k1Error) -> [UInt8] {
        let keyHash = Hash160.hash(publicKey.compressed)
        switch scheme {
        case .p2pkh: return BitcoinScript.p2pkh(publicKeyHash: keyHash)
        case .p2shP2wpkh: return BitcoinScript.p2sh(scriptHash: Hash160.hash(BitcoinScript.p2wpkh(publicKeyHash: keyHash)))
        case .p2wpkh: return BitcoinScript.p2wpkh(publicKeyHash: keyHash)
        case .p2tr: return BitcoinScript.p2tr(outputKey: try publicKey.taprootOutputKey())
        }
    }
}

/// Which of a wallet's keys a script belongs to, proved the one way both the signer (is this
/// input mine, and with which private key?) and the change check (is this output mine?) use, so
/// that the two can never disagree about what "the wallet's own" means.
enum PSBTOwnership {
    /// The scheme under which `scriptPubKey` pays the single key `publicKey`; for p2tr also the
    /// declared internal key, when there is one, must be that key.
    static func scheme(
        ofSingleKey publicKey: Secp256k1.PublicKey, paying scriptPubKey: [UInt8], merkleRoot: [UInt8]?, declaredInternalKey: [UInt8]?
    ) -> BitcoinScheme? {
        guard let scheme = BitcoinKeyScripts.scheme(of: scriptPubKey, payingTo: publicKey, merkleRoot: merkleRoot) else { return nil }
        if scheme == .p2tr, let declaredInternalKey, declaredInternalKey != publicKey.xOnly { return nil }
        return scheme
    }

    /// The wallet key that `scriptPubKey` pays on its own, proved by one of a map's derivation
    /// records: the script pays the record's key (BIP32 records: p2wpkh, p2sh-p2wpkh or p2pkh;
    /// taproot records without leaf hashes: p2tr key path under `merkleRoot`, with the declared
    /// internal key, if any, being that key), and the wallet derives exactly that key at the
    /// record's origin (`derive` returns nil for origins that are not the wallet's, e.g. another
    /// master fingerprint). `Key` is a private key for the signer, a public key for the change
    /// check. The script test runs first, so nothing is derived for records that cannot match.
    static func provenKey<Key>(
        paying scriptPubKey: [UInt8], merkleRoot: [UInt8]?, declaredInternalKey: [UInt8]?,
        records: [PSBTKeyDerivation], tapRecords: [PSBTTapKeyDerivation],
        derive: (PSBTKeyOrigin) -> Key?, publicKey: (Key) -> Secp256k1.PublicKey
    ) -> (key: Key, scheme: BitcoinScheme, origin: PSBTKeyOrigin)? {
        for record in records {
            guard let recordKey = try? Secp256k1.PublicKey(record.publicKey),
                  let scheme = BitcoinKeyScripts.scheme(of: scriptPubKey, payingTo: recordKey), scheme != .p2tr,
                  let key = derive(record.origin), publicKey(key).compressed == record.publicKey
            else { continue }
            return (key, scheme, record.origin)
        }
        for record in tapRecords where record.leafHashes.isEmpty {
            guard let recordKey = try? Secp256k1.PublicKey([0x02] + record.xOnlyPublicKey),
                  scheme(ofSingleKey: recordKey, paying: scriptPubKey, merkleRoot: merkleRoot, declaredInternalKey: declaredInternalKey) == .p2tr,
                  let key = derive(record.origin), publicKey(key).xOnly == record.xOnlyPublicKey
            else { continue }
            return (key, .p2tr, record.origin)
        }
        return nil
    }
}

/// A wallet's public keys, as far as the checks on a PSBT's outputs need them. Public keys only:
/// whoever holds one can recognise the wallet's scripts, never sign.
public protocol PSBTKeySource {
    /// The public key the wallet has at `origin` — only when `origin.masterFingerprint` is the
    /// wallet's own and the key at that path is known — else nil.
    func publicKey(for origin: PSBTKeyOrigin) -> Secp256k1.PublicKey?
    /// A single-key wallet's key; nil for HD wallets.
    var singlePublicKey: Secp256k1.PublicKey? { get }
}

extension PSBT {
    /// Whether output `index` provably pays the wallet described by `keys` (its change), and under
    /// which scheme. An HD wallet's output must carry a BIP32 (or taproot BIP32, without leaf
    /// hashes) derivation record whose origin the wallet derives to exactly the record's key, and
    /// the output script must be that key's own script (p2wpkh, p2sh-p2wpkh, p2pkh, or p2tr key
    /// path with the BIP86 tweak and no PSBT_OUT_TAP_TREE). A single-key wallet's output must pay
    /// that key's own script. Anything else — a record with a foreign fingerprint or key, a script
    /// that is not the key's — is not change: nil.
    public func ownedOutputScheme(_ index: Int, keys: some PSBTKeySource) -> BitcoinScheme? {
        guard outputs.indices.contains(index) else { return nil }
        let output = outputs[index]
        let script = unsignedTransaction.outputs[index].scriptPubKey
        if let single = keys.singlePublicKey {
            let scheme = PSBTOwnership.scheme(ofSingleKey: single, paying: script, merkleRoot: nil, declaredInternalKey: output.tapInternalKey)
            return scheme == .p2tr && output.hasTapTree ? nil : scheme
        }
        let tapRecords = output.hasTapTree ? [] : output.tapBIP32Derivations
        return PSBTOwnership.provenKey(
            paying: script, merkleRoot: nil, declaredInternalKey: output.tapInternalKey,
            records: output.bip32Derivations, tapRecords: tapRecords,
            derive: keys.publicKey(for:), publicKey: { $0 })?.scheme
    }

    /// The origins of every output derivation record: the public keys a wallet must produce for
    /// ``ownedOutputScheme(_:keys:)``, each once, in output order.
    public var outputKeyOrigins: [PSBTKeyOrigin] {
        var seen = Set<PSBTKeyOrigin>()
        return outputs.flatMap { $0.bip32Derivations.map(\.origin) + $0.tapBIP32Derivations.map(\.origin) }.filter { seen.insert($0).inserted }
    }

    /// The fee the transaction pays: the values of the outputs its inputs spend, less the values of
    /// its outputs, in satoshi. Every input must carry its UTXO (PSBT_IN_WITNESS_UTXO or
    /// PSBT_IN_NON_WITNESS_UTXO); an input without one makes the fee unverifiable and is refused,
    /// as are outputs worth more than the inputs. Summed in `UInt128`, so no value can overflow.
    public func fee() throws(PSBTError) -> UInt128 {
        var spent: UInt128 = 0
        for index in inputs.indices {
            guard let output = try spentOutput(of: index) else {
                throw PSBTError("input \(index) carries no UTXO (PSBT_IN_WITNESS_UTXO or PSBT_IN_NON_WITNESS_UTXO), so the fee cannot be verified")
            }
            spent += UInt128(output.value)
        }
        let paid = unsignedTransaction.outputs.reduce(UInt128(0)) { $0 + UInt128($1.value) }
        guard spent >= paid else {
            throw PSBTError("the outputs pay \(paid) sat but the inputs spend only \(spent) sat")
        }
        return spent - paid
    }
}
