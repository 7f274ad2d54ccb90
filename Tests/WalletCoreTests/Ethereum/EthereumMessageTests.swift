import PropertyBased
import Testing
import WalletCore

/// EIP-191 personal_sign, byte-identical to eth-account.
@Suite("Ethereum personal_sign")
struct EthereumMessageTests {
    @Test("eth-account vectors: hash, signature and address match exactly")
    func ethAccountVectors() throws {
        let cases = try EthereumVectors.cases("messages")
        #expect(cases.count >= 20)
        for entry in cases {
            let name = entry["description"] ?? "?"
            let message = hex(try #require(entry["message"]))
            let key = try EthereumVectors.key(entry)
            #expect("0x" + Hex.encode(EthereumMessage.hash(message)) == entry["hash"], "\(name)")
            let signature = try EthereumMessage.personalSign(message, key: key)
            #expect("0x" + Hex.encode(signature.rsv) == entry["signature"], "\(name)")
            #expect(EthereumAddress.encode(key.publicKey) == entry["address"], "\(name)")
            let parsed = try EthereumSignature(rsv: hex(try #require(entry["signature"])))
            #expect(try EthereumMessage.recoverSigner(of: message, signature: parsed) == entry["address"], "\(name)")
        }
    }

    @Test func prefix() {
        #expect(EthereumMessage.prefixed(Array("hello".utf8)) == Array("\u{19}Ethereum Signed Message:\n5hello".utf8))
        #expect(EthereumMessage.prefixed([]) == Array("\u{19}Ethereum Signed Message:\n0".utf8))
    }

    @Test("signatures that are not 65 bytes, have a bad v or a high S are refused")
    func refusesBadSignatures() throws {
        let key = try Secp256k1.PrivateKey([UInt8](repeating: 7, count: 32))
        let good = try EthereumMessage.personalSign([1, 2, 3], key: key).rsv
        #expect(throws: EthereumSignatureError.self) { try EthereumSignature(rsv: Array(good.prefix(64))) }
        #expect(throws: EthereumSignatureError.self) { try EthereumSignature(rsv: Array(good.prefix(64)) + [29]) }
        #expect(throws: EthereumSignatureError.self) { try EthereumSignature(rsv: [UInt8](repeating: 0, count: 64) + [27]) }
        var highS = good
        highS.replaceSubrange(32..<64, with: [UInt8](repeating: 0xFF, count: 32))
        #expect(throws: EthereumSignatureError.self) { try EthereumSignature(rsv: highS) }
        #expect(try EthereumSignature(rsv: Array(good.prefix(64)) + [good[64] - 27]).rsv == good)
    }

    @Test("sign then recover gives the key's address; another message does not")
    func signThenRecover() async {
        await propertyCheck(count: 200, input: Gen.uint8().array(of: 32), Gen.uint8().array(of: 0...200)) { keyBytes, message throws in
            guard let key = try? Secp256k1.PrivateKey(keyBytes) else { return }
            let signature = try EthereumMessage.personalSign(message, key: key)
            let address = EthereumAddress.encode(key.publicKey)
            #expect(signature.rsv.count == 65 && (signature.rsv[64] == 27 || signature.rsv[64] == 28))
            #expect(try EthereumMessage.recoverSigner(of: message, signature: signature) == address)
            #expect((try? EthereumMessage.recoverSigner(of: message + [0], signature: signature)) != address)
        }
    }
}
