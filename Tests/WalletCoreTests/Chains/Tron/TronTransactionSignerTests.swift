import Foundation
import PropertyBased
import Testing
import WalletCore

struct TronTransactionSignerTests {
    static func cases() throws -> [[String: String]] {
        let root = try #require(try TestVectors.json("generated/tron_signing_tronpy.json") as? [String: Any])
        return try #require(root["cases"] as? [[String: String]])
    }

    /// Same txID and r || s as tronpy (both RFC 6979); v is tronpy's 0/1 plus 27, as TronWeb writes it.
    @Test func matchesTronpy() throws {
        let cases = try Self.cases()
        #expect(cases.count == 12)
        for test in cases {
            let key = try Secp256k1.PrivateKey(hex(test["private_key"]!))
            let signed = try TronTransactionSigner.sign(rawData: hex(test["raw_data_hex"]!), with: key)
            let tronpy = hex(test["tronpy_signature"]!)
            #expect(signed.txIDHex == test["txID"])
            #expect(Array(signed.signature[0..<64]) == Array(tronpy[0..<64]))
            #expect(tronpy[64] <= 1 && signed.signature[64] == tronpy[64] + 27)
            #expect(try TronTransactionSigner.signerAddress(txID: signed.txID, signature: signed.signature) == test["address"])
            #expect(try TronTransactionSigner.signerAddress(txID: signed.txID, signature: tronpy) == test["address"])
        }
    }

    /// A TRC-20 transfer signed by its owner as returned by the java-tron HTTP API: the txID is
    /// SHA-256(raw_data) and the signature (v = 0) recovers to the owner_address in the contract.
    @Test func publishedSignedTransactionVerifies() throws {
        let raw = hex("0a028ad92208eaef69105495eb1540f09fc0cfcd335aae01081f12a9010a31747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e54726967676572536d617274436f6e747261637412740a1541495511a493d8c362be4267224e6d81013a6862ee121541eca9bc828a3005b9a3b909f2cc5c2a54794de05f2244a9059cbb00000000000000000000004150125bea243a640bf85348873b6c4f3c517aee7a00000000000000000000000000000000000000000000000000000000000000017090cbbccfcd33900180c2d72f")
        let txID = TronTransactionSigner.transactionID(rawData: raw)
        #expect(Hex.encode(txID) == "c70b20da8cb8d96a99c1aceb283412acb9dea313a9e467178431a3c6ae8b9f08")
        let signature = hex("1788bf0281f67c42f5a09322523edee9969e808a863776f21ab6543de9dd42ca0e4955577879df8074086c620eb96709ba9a95d60a166de190a081e8d69801da00")
        let owner = Base58.encodeCheck(hex("41495511a493d8c362be4267224e6d81013a6862ee"))
        #expect(try TronTransactionSigner.signerAddress(txID: txID, signature: signature) == owner)
        let parsed = try TronRawData(raw)
        #expect(parsed.refBlockBytes == [0x8a, 0xd9])
        #expect(parsed.expiration == 1_773_182_914_544)
        #expect(parsed.feeLimit == 100_000_000)
        #expect(parsed.timestamp == 1_773_182_854_544)
        #expect(parsed.contracts.count == 1)
    }

    @Test func signaturesRecoverToTheSigner() async {
        let raw = hex("0a02193b2208aaecd88e4e0e752840e098909f9b305a68080112640a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412330a154198927ffb9f554dc4a453c64b2e553a02d6df514b121541d0b69631440f0a494bb51f7eee68ff5c593c00f01880ade20470b4d58c9f9b30")
        await propertyCheck(count: 50, input: Gen.uint8().array(of: 32)) { bytes throws in
            guard let key = try? Secp256k1.PrivateKey(bytes) else { return }
            let signed = try TronTransactionSigner.sign(rawData: raw, with: key)
            #expect(signed.signature.count == 65 && (signed.signature[64] == 27 || signed.signature[64] == 28))
            #expect(try TronTransactionSigner.signerAddress(txID: signed.txID, signature: signed.signature) == TronAddress.encode(key.publicKey))
        }
    }

    @Test func rejectsWhatIsNotATransactionBody() throws {
        let key = try Secp256k1.PrivateKey(hex("0000000000000000000000000000000000000000000000000000000000000001"))
        let valid = hex("0a02193b2208aaecd88e4e0e752840e098909f9b305a68080112640a2d747970652e676f6f676c65617069732e636f6d2f70726f746f636f6c2e5472616e73666572436f6e747261637412330a154198927ffb9f554dc4a453c64b2e553a02d6df514b121541d0b69631440f0a494bb51f7eee68ff5c593c00f01880ade20470b4d58c9f9b30")
        let cases: [(String, [UInt8])] = [
            ("empty", []),
            ("truncated", Array(valid.dropLast(3))),
            ("no contract", hex("0a02193b2208aaecd88e4e0e752840e098909f9b30")),
            ("ref_block_bytes", hex("2208aaecd88e4e0e752840e098909f9b305a020801")),
            ("wire type", hex("0d00000000") + valid),  // field 1 as fixed32
            ("varint longer than 64 bits", hex("40ffffffffffffffffffff01")),
            ("field number 0", hex("0001")),
            ("unsupported wire type 3", hex("1b")),
            ("raw_data", Array(TronTransactionSigner.transactionID(rawData: valid))),  // a txID by mistake
        ]
        for (expected, bytes) in cases {
            do {
                _ = try TronTransactionSigner.sign(rawData: bytes, with: key)
                Issue.record("accepted: \(expected)")
            } catch {
                #expect(error.description.contains(expected) || expected == "truncated" && error.description.contains("not a TRON transaction"), "\(expected): \(error.description)")
            }
        }
        #expect(throws: TronTransactionError.self) { try TronTransactionSigner.signerAddress(txID: [1], signature: []) }
        #expect(throws: TronTransactionError.self) {
            try TronTransactionSigner.signerAddress(txID: [UInt8](repeating: 1, count: 32), signature: [UInt8](repeating: 0, count: 64) + [29])
        }
    }

    /// Random bytes never crash the parser.
    @Test func arbitraryBytesAreRejectedCleanly() async {
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...80)) { bytes in
            _ = try? TronRawData(bytes)
        }
    }
}
