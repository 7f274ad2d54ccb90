import Foundation
import Testing
import WalletCore

struct AddressValidationTests {
    @Test(arguments: [
        ("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", "bitcoin p2wpkh mainnet"),
        ("BC1QCR8TE4KR609GCAWUTMRZA0J4XV80JY8Z306FYU", "bitcoin p2wpkh mainnet"),
        ("bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr", "bitcoin p2tr mainnet"),
        ("2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2", "bitcoin p2sh testnet"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "bitcoin p2pkh mainnet"),
        ("3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "bitcoin p2sh mainnet"),
        ("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", "bitcoin p2wpkh testnet"),
        ("bc1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3qccfmv3", "bitcoin p2wsh mainnet"),
    ])
    func validBitcoin(address: String, expected: String) throws {
        #expect(try AddressValidator.validate(address, chain: .bitcoin) == expected)
    }

    @Test(arguments: [
        ("", .bitcoin, "empty"),
        ("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyv", .bitcoin, "segwit"),  // checksum
        ("bc1QCR8TE4KR609GCAWUTMRZA0J4XV80JY8Z306FYU", .bitcoin, "segwit"),  // mixed case
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN3", .bitcoin, "checksum"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN0", .bitcoin, "character"),
        ("bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr", .ethereum, "0x"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", .ethereum, "EIP-55 checksum"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA", .ethereum, "40 hex digits"),
        ("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg", .ethereum, "non-hex character"),
        ("TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdh", .tron, "checksum"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", .tron, "prefix byte must be 0x41"),
        ("HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT", .solana, "32 bytes"),
        ("HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqO", .solana, "character"),
    ] as [(String, Chain, String)])
    func invalidAddressesSayWhy(address: String, chain: Chain, reason: String) {
        #expect {
            try AddressValidator.validate(address, chain: chain)
        } throws: { error in
            let message = (error as? AddressError)?.description ?? ""
            return message.localizedStandardContains(reason) || message.lowercased().contains(reason.lowercased())
        }
    }

    @Test func networkRestriction() throws {
        #expect(throws: AddressError.self) {
            try AddressValidator.validate("bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu", chain: .bitcoin, network: .testnet)
        }
        #expect(try AddressValidator.validate("tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", chain: .bitcoin, network: .testnet) == "bitcoin p2wpkh testnet")
    }

    @Test func validOtherChains() throws {
        #expect(try AddressValidator.validate("0x9858EfFD232B4033E47d90003D41EC34EcaEda94", chain: .ethereum).contains("checksum valid"))
        #expect(try AddressValidator.validate("0x9858effd232b4033e47d90003d41ec34ecaeda94", chain: .ethereum).contains("no EIP-55"))
        #expect(try AddressValidator.validate("TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH", chain: .tron) == "tron address")
        #expect(try AddressValidator.validate("HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk", chain: .solana) == "solana address")
    }
}
