import WalletCore

/// The "abandon ... about" wallet's keys and made-up coins for the payout tests.
enum PayoutTestWallet {
    static let master = try! ExtendedPrivateKey(seed: SecretBytes(
        try! Mnemonic(phrase: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about").seed()))
    static let signingKey = PSBTSigningKey.extendedKey(master)
    static let zeroAux = [UInt8](repeating: 0, count: 32)

    /// The key at `m/purpose'/1'/0'/change/index` for `scheme` (BIP44/49/84/86 test-network paths).
    static func key(_ scheme: BitcoinScheme, change: Bool = false, index: UInt32 = 0) throws -> PSBTBuilder.WalletKey {
        try PSBTBuilder.WalletKey(master: master, path: DerivationPath(parsing: "m/\(scheme.purpose)'/1'/0'/\(change ? 1 : 0)/\(index)"))
    }

    /// A made-up coin of `value` paying the wallet's key `index` under `scheme`.
    static func coin(_ scheme: BitcoinScheme, value: UInt64, index: UInt32, txByte: UInt8 = 0) throws -> PSBTBuilder.Input {
        let key = try key(scheme, index: index)
        let outPoint = BitcoinTransaction.OutPoint(transactionHash: [UInt8](repeating: txByte, count: 31) + [UInt8(truncatingIfNeeded: index)], index: index % 3)
        return try PSBTBuilder.Input(outPoint: outPoint, value: value, scriptPubKey: try key.scriptPubKey(scheme), key: key)
    }

    /// Someone else's script of `scheme`.
    static func outsider(_ scheme: BitcoinScheme, _ byte: UInt8 = 9) throws -> [UInt8] {
        try BitcoinKeyScripts.scriptPubKey(paying: try Secp256k1.PrivateKey([UInt8](repeating: byte, count: 32)).publicKey, scheme: scheme)
    }

    /// The wallet's public keys, as the vault hands them to the change check.
    struct Keys: PSBTKeySource {
        func publicKey(for origin: PSBTKeyOrigin) -> Secp256k1.PublicKey? {
            guard origin.masterFingerprint == master.privateKey.publicKey.fingerprint else { return nil }
            return try? master.derive(path: origin.path).privateKey.publicKey
        }
        var singlePublicKey: Secp256k1.PublicKey? { nil }
    }

    /// Signs every input with the wallet's master key and finalises: the network transaction.
    static func signAndFinalize(_ psbt: PSBT) throws -> BitcoinTransaction {
        var psbt = psbt
        let report = try psbt.sign(with: signingKey, schnorrAuxiliaryRandomness: zeroAux)
        guard report.skipped.isEmpty else { throw Unsigned(skipped: report.skipped) }
        return try psbt.finalize()
    }
}

/// Inputs the wallet's key did not sign.
struct Unsigned: Error {
    let skipped: [PSBTSigningReport.SkippedInput]
}
