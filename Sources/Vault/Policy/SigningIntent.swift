/// What a signing request claims to do. The payload must match it before any policy runs.
public struct SigningIntent: Sendable, Equatable, Codable {
    public var chain: String
    /// Source wallet, by vault id or name.
    public var wallet: String
    public var destination: String
    /// Asset code, e.g. "ETH", "BTC", "USDT".
    public var asset: String
    /// Smallest units.
    public var amount: UInt128
    public var fee: UInt128

    public init(chain: String, wallet: String, destination: String, asset: String, amount: UInt128, fee: UInt128) {
        self.chain = chain
        self.wallet = wallet
        self.destination = destination
        self.asset = asset
        self.amount = amount
        self.fee = fee
    }

    /// Destinations compare case-insensitively for hex chains (an EIP-55 address and its lower-case
    /// form are the same account) and exactly elsewhere (Base58 and Bech32 are case-significant or
    /// canonical lower case).
    public var normalizedDestination: String {
        Self.normalize(destination, chain: chain)
    }

    public static func normalize(_ destination: String, chain: String) -> String {
        chain == "ethereum" || destination.lowercased().hasPrefix("bc1") || destination.lowercased().hasPrefix("tb1")
            ? destination.lowercased() : destination
    }
}
