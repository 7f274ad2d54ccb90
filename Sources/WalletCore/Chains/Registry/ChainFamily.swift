/// The kinds of chain Coffer speaks: each is one key derivation, one address codec and one
/// transaction format, shared by every network of the family.
public enum ChainFamily: String, CaseIterable, Sendable {
    /// Bitcoin and its UTXO relatives (Litecoin): Base58Check and Bech32 addresses.
    case bitcoin
    /// Ethereum and every EVM chain: one address for one key on every chain id.
    case evm
    case tron
    case solana

    /// The derivation chain of the family (EVM networks derive as Ethereum).
    public var chain: Chain {
        switch self {
        case .bitcoin: .bitcoin
        case .evm: .ethereum
        case .tron: .tron
        case .solana: .solana
        }
    }
}

/// How a network prices a transaction: what a fee estimate for it has to produce.
public enum FeeModel: String, CaseIterable, Sendable {
    /// A fee rate per virtual byte of a UTXO transaction (Bitcoin, Litecoin).
    case utxoFeeRate = "utxo-fee-rate"
    /// EIP-1559: a base fee burnt per gas plus a priority fee (type-2 transactions).
    case eip1559
    /// One gas price (legacy and EIP-2930 transactions).
    case legacyGasPrice = "legacy-gas-price"
    /// TRON's bandwidth and energy, paid from staked resources or burnt TRX.
    case tronResources = "tron-resources"
    /// Solana's lamports per signature plus an optional compute-unit price.
    case solanaLamports = "solana-lamports"
}
