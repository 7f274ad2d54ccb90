/// Checks an address for a chain and says what it is, or exactly why it is not valid.
public enum AddressValidator {
    /// Checks `address` as an address of `network`: a Bitcoin-like network's own encodings, or the
    /// family's address format (one for every EVM chain id).
    public static func validate(_ address: String, network: ChainNetwork) throws(AddressError) -> String {
        try validate(address, chain: network.chain, network: network.bitcoin)
    }

    public static func validate(_ address: String, chain: Chain, network: BitcoinNetwork? = nil) throws(AddressError) -> String {
        switch chain {
        case .bitcoin:
            return try BitcoinAddress.decode(address, network: network).description
        case .ethereum:
            let digits = address.dropFirst(2)
            try EthereumAddress.decode(address)
            let checksummed = digits.contains(where: \.isLowercase) && digits.contains(where: \.isUppercase)
            return checksummed ? "ethereum address (EIP-55 checksum valid)" : "ethereum address (no EIP-55 checksum: all one case)"
        case .tron:
            try TronAddress.decode(address)
            return "tron address"
        case .solana:
            try SolanaAddress.decode(address)
            return "solana address"
        }
    }
}
