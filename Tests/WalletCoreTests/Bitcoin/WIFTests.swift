import Testing
import WalletCore

struct WIFTests {
    /// Bitcoin Core's key_io vector: private key 1's well-known WIF forms.
    @Test func knownEncodings() throws {
        var one = [UInt8](repeating: 0, count: 32)
        one[31] = 1
        let key = try Secp256k1.PrivateKey(one)
        #expect(WIF.encode(key, network: .mainnet, compressed: true) == "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn")
        #expect(WIF.encode(key, network: .mainnet, compressed: false) == "5HpHagT65TZzG1PH3CSu63k8DbpvD8s5ip4nEB3kEsreAnchuDf")
        #expect(WIF.encode(key, network: .testnet, compressed: true) == "cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA")
        for network in BitcoinNetwork.all {
            for compressed in [true, false] {
                let decoded = try WIF.decode(WIF.encode(key, network: network, compressed: compressed))
                // Every test network shares 0xEF: its keys decode as testnet's.
                #expect(decoded.network == BitcoinNetwork.all.first { $0.wifVersion == network.wifVersion } && decoded.compressed == compressed)
                #expect(decoded.privateKey.secret == key.secret)
            }
        }
    }

    @Test func rejectsBadInputWithoutEchoingIt() throws {
        let good = "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn"
        for bad in ["", "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWo", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2",
                    Base58.encodeCheck([0x80] + [UInt8](repeating: 0, count: 32) + [0x01]),
                    Base58.encodeCheck([0x81] + [UInt8](repeating: 1, count: 32) + [0x01]),
                    Base58.encodeCheck([0x80] + [UInt8](repeating: 1, count: 32) + [0x02])] {
            #expect(throws: WIFError.self) { try WIF.decode(bad) }
            do { _ = try WIF.decode(bad) } catch {
                #expect(!bad.isEmpty ? !error.description.contains(bad) : true)
                #expect(!error.description.contains(good))
            }
        }
    }
}
