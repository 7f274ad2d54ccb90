import Vault

/// Every chain payload the signing service can decode and sign.
enum PayloadSigners {
    static let all: [any PayloadSigner] = [EthereumTransactionPayloadSigner(), BitcoinPSBTPayloadSigner(), TronPayloadSigner(), SolanaPayloadSigner()]
}
