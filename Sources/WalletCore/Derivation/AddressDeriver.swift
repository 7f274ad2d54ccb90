/// Derives the addresses of one account, from a seed or watch-only from an account-level
/// extended public key. Immutable and `Sendable`: one instance serves every worker thread.
public struct AddressDeriver: Sendable {
    public let format: AddressFormat
    public let account: UInt32
    private let source: Source
    private let pathPrefix: String

    private enum Source: Sendable {
        /// Non-hardened children of the external chain `account/0`.
        case externalChain(ExtendedPublicKey.ChildDeriver)
        /// SLIP-10 ed25519 key at m/44'/501'; each address needs hardened steps, so the seed stays.
        case ed25519(Ed25519HDKey)
    }

    /// From a BIP39 seed. For secp256k1 chains the private account key is derived once and only
    /// its public half is kept; Solana needs the private key for every (hardened) address.
    public init(seed: SecretBytes, format: AddressFormat, account: UInt32 = 0) throws(DerivationError) {
        self.format = format
        self.account = account
        pathPrefix = format.addressPathPrefix(account: account)
        do {
            if case .solana = format {
                guard account == 0 else { throw DerivationError.solanaAccount }
                let root = try Ed25519HDKey(seed: seed).derive(path: DerivationPath(parsing: "m/44'/501'"))
                source = .ed25519(root)
            } else {
                let accountKey = try ExtendedPrivateKey(seed: seed).derive(path: format.accountPath(account: account))
                source = .externalChain(try accountKey.extendedPublicKey.derive(.normal(0)).childDeriver())
            }
        } catch let error as DerivationError {
            throw error
        } catch {
            throw DerivationError("\(error)")
        }
    }

    /// Watch-only, from the account-level extended public key (depth 3, e.g. m/84'/0'/0').
    /// The account number for the printed paths comes from the key itself, and the paths are the
    /// format's standard ones; with `pathPrefix` they are that prefix and the index instead (a
    /// key whose origin is unknown: "xpub/0/" gives "xpub/0/5").
    public init(accountKey: ExtendedPublicKey, format: AddressFormat, pathPrefix: String? = nil) throws(DerivationError) {
        if case .solana = format { throw DerivationError.solanaWatchOnly }
        guard accountKey.depth == 3, accountKey.childIndex.isHardened else {
            throw DerivationError("the extended public key is at depth \(accountKey.depth)\(accountKey.childIndex.isHardened ? "" : " with a non-hardened index"); an account-level key (depth 3, e.g. m/84'/0'/0') is expected")
        }
        self.format = format
        account = accountKey.childIndex.index
        self.pathPrefix = pathPrefix ?? format.addressPathPrefix(account: account)
        do {
            source = .externalChain(try accountKey.derive(.normal(0)).childDeriver())
        } catch {
            throw DerivationError("\(error)")
        }
    }

    /// The addresses of a range of indices, in order. Secp256k1 chains derive the keys of the
    /// whole range first (see `ChildDeriver.publicKeys`), then encode them.
    public func derive(range: Range<UInt32>) throws(DerivationError) -> [DerivedAddress] {
        guard let last = range.last else { return [] }
        guard last < ChildIndex.hardenedOffset else { throw DerivationError.indexOutOfRange(UInt64(last)) }
        guard case .externalChain(let deriver) = source else {
            var records: [DerivedAddress] = []
            for index in range { records.append(try derive(index: index)) }
            return records
        }
        let keys: [Secp256k1.PublicKey]
        do { keys = try deriver.publicKeys(range) } catch { throw DerivationError("addresses \(range.lowerBound)..<\(range.upperBound): \(error)") }
        var records: [DerivedAddress] = []
        records.reserveCapacity(keys.count)
        for (offset, key) in keys.enumerated() {
            let index = range.lowerBound + UInt32(offset)
            let compressed = key.compressed
            do {
                records.append(DerivedAddress(
                    index: index, path: pathPrefix + String(index), address: try format.address(for: key, compressed: compressed),
                    publicKey: compressed))
            } catch {
                throw DerivationError("address \(index): \(error)")
            }
        }
        return records
    }

    /// The address at `index` (below 2^31).
    public func derive(index: UInt32) throws(DerivationError) -> DerivedAddress {
        guard index < ChildIndex.hardenedOffset else { throw DerivationError.indexOutOfRange(UInt64(index)) }
        switch source {
        case .externalChain:
            return try derive(range: index..<index + 1)[0]
        case .ed25519(let root):
            let path = pathPrefix + String(index) + "'/0'"
            do {
                let key = try root.derive(.hardened(index)).derive(.hardened(0))
                let publicKey = key.publicKey
                return DerivedAddress(index: index, path: path, address: SolanaAddress.encode(publicKey: publicKey), publicKey: publicKey)
            } catch {
                throw DerivationError("address \(index): \(error)")
            }
        }
    }
}

/// Why a batch of addresses could not be derived.
public struct DerivationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }

    static let solanaAccount = DerivationError("solana derives m/44'/501'/i'/0' with no account level; --account is not supported for solana")
    static let solanaWatchOnly = DerivationError("solana keys are ed25519 and all-hardened (SLIP-10): watch-only derivation from an extended public key is impossible")
    public static func indexOutOfRange(_ index: UInt64) -> DerivationError {
        DerivationError("address index \(index) is out of range: indices must be below 2147483648 (2^31)")
    }
}
