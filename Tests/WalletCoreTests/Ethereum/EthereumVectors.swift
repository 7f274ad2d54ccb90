import Foundation
import Testing
import WalletCore

/// Tests/Vectors/generated/ethereum-signing.json, produced with eth-account by
/// scripts/vectors/ethereum_signing.py.
enum EthereumVectors {
    static func cases(_ section: String) throws -> [[String: String]] {
        let document = try #require(try TestVectors.json("generated/ethereum-signing.json") as? [String: Any])
        let entries = try #require(document[section] as? [[String: Any]], "missing section \(section)")
        return entries.map { entry in entry.compactMapValues { $0 as? String } }
    }

    static func key(_ entry: [String: String]) throws -> Secp256k1.PrivateKey {
        try Secp256k1.PrivateKey(hex(try #require(entry["key"])))
    }
}
