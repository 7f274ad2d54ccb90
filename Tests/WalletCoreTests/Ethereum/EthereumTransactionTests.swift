import PropertyBased
import Testing
import WalletCore

/// Transactions of types 0, 1 and 2, byte-identical to eth-account.
@Suite("Ethereum transactions")
struct EthereumTransactionTests {
    @Test("eth-account vectors: raw, hash and sender match exactly")
    func ethAccountVectors() throws {
        let cases = try EthereumVectors.cases("transactions")
        #expect(cases.count >= 40)
        var types = Set<UInt8>()
        for entry in cases {
            let name = entry["description"] ?? "?"
            let chainID = try EthereumQuantity(decimal: try #require(entry["chain_id"]))
            let transaction = try EthereumTransaction(json: Array(try #require(entry["request"]).utf8), chainID: chainID)
            types.insert(transaction.type)
            let signed = try transaction.signed(with: try EthereumVectors.key(entry))
            #expect("0x" + Hex.encode(signed.raw) == entry["raw"], "\(name)")
            #expect("0x" + Hex.encode(signed.hash) == entry["hash"], "\(name)")
            #expect(signed.from == entry["from"], "\(name)")

            // Sender recovery from the raw bytes alone.
            let decoded = try SignedEthereumTransaction(raw: signed.raw)
            #expect(decoded == signed, "\(name)")
            #expect(decoded.from == entry["from"], "\(name)")
        }
        #expect(types == [0, 1, 2])
    }

    /// EIP-155's own example: nonce 9, 20 gwei, 21000 gas, 1 ether to 0x3535..., chain 1, key 0x4646...
    @Test func eip155SpecExample() throws {
        let transaction = try EthereumTransaction(
            chainID: EthereumQuantity(1), nonce: EthereumQuantity(9), fees: .legacy(gasPrice: EthereumQuantity(20_000_000_000)),
            gasLimit: EthereumQuantity(21000), to: [UInt8](repeating: 0x35, count: 20),
            value: EthereumQuantity(1_000_000_000_000_000_000), data: [])
        #expect(Hex.encode(transaction.signingPayload) == "ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080")
        #expect(Hex.encode(transaction.signingHash) == "daf5a779ae972f972197303d7b574746c7ef83eadac0f2791ad23db92e4c8e53")
        let signed = try transaction.signed(with: try Secp256k1.PrivateKey([UInt8](repeating: 0x46, count: 32)))
        #expect(Hex.encode(signed.raw) == "f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83")
        #expect(Hex.encode(signed.hash) == "33469b22e9f636356c4160a87eb19df52b7412e8eac32a4a55ffe88ea8350788")
    }

    @Test("invalid combinations are refused")
    func invalidCombinations() throws {
        let entry = try EthereumAccessListEntry(address: [UInt8](repeating: 1, count: 20), storageKeys: [])
        #expect(throws: EthereumTransactionError.self) {
            try EthereumTransaction(chainID: EthereumQuantity(1), nonce: .zero, fees: .legacy(gasPrice: .zero), gasLimit: .zero,
                                    to: nil, value: .zero, data: [], accessList: [entry])
        }
        #expect(throws: EthereumTransactionError("chain id must be at least 1")) {
            try EthereumTransaction(chainID: .zero, nonce: .zero, fees: .accessList(gasPrice: .zero), gasLimit: .zero, to: nil, value: .zero, data: [])
        }
        #expect(throws: EthereumTransactionError.self) {
            try EthereumTransaction(chainID: EthereumQuantity.max, nonce: .zero, fees: .legacy(gasPrice: .zero), gasLimit: .zero, to: nil, value: .zero, data: [])
        }
        #expect(throws: EthereumTransactionError.self) {
            try EthereumTransaction(chainID: EthereumQuantity(1), nonce: .zero, fees: .dynamic(maxPriorityFeePerGas: EthereumQuantity(2), maxFeePerGas: EthereumQuantity(1)),
                                    gasLimit: .zero, to: nil, value: .zero, data: [])
        }
        #expect(throws: EthereumTransactionError.self) {
            try EthereumTransaction(chainID: EthereumQuantity(1), nonce: .zero, fees: .accessList(gasPrice: .zero), gasLimit: .zero, to: [1, 2], value: .zero, data: [])
        }
    }

    @Test("raw transactions that are not canonical or not signed properly are refused", arguments: [
        ("", "empty"),
        ("03c0", "unsupported transaction type"),
        ("02c0", "has 12 fields"),
        // The EIP-155 example with v = 27: no replay protection.
        ("f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a7640000801ba028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d83", "EIP-155"),
        // The same with a trailing byte.
        ("f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008025a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a067cbe9d8997f761aecb703304b3800ccf555c9f3dc64214b297fb1966a3b6d8300", "unexpected bytes"),
        // The same with s replaced by n - s (high S).
        ("f86c098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a76400008026a028ef61340bd939bc2195fe537567866003e1a15d3c71ff63e1590620aa636276a098341627668089e51348fccfb4c7ff31c55912f2d2e47ef09652acf665fad3be", "upper half"),
    ])
    func refusesBadRaw(raw: String, fragment: String) {
        #expect {
            try SignedEthereumTransaction(raw: hex(raw))
        } throws: { error in
            "\(error)".contains(fragment)
        }
    }

    static let requests = zip(Gen.int(in: 0...2), Gen.uint8().array(of: 32), Gen.uint8().array(of: 0...40), Gen.uint64(), Gen.uint64(in: 1...UInt64.max / 4))

    @Test("sign then decode the raw bytes recovers the key's address")
    func signThenRecover() async {
        await propertyCheck(count: 100, input: Self.requests) { type, keyBytes, data, amount, chain throws in
            guard let key = try? Secp256k1.PrivateKey(keyBytes) else { return }
            let fees: EthereumTransaction.Fees =
                switch type {
                case 0: .legacy(gasPrice: EthereumQuantity(amount))
                case 1: .accessList(gasPrice: EthereumQuantity(amount))
                default: .dynamic(maxPriorityFeePerGas: EthereumQuantity(amount / 2), maxFeePerGas: EthereumQuantity(amount))
                }
            let transaction = try EthereumTransaction(
                chainID: EthereumQuantity(chain), nonce: EthereumQuantity(amount >> 3), fees: fees, gasLimit: EthereumQuantity(21000),
                to: data.count >= 20 ? Array(data.prefix(20)) : nil, value: EthereumQuantity(amount), data: data)
            let signed = try transaction.signed(with: key)
            let decoded = try SignedEthereumTransaction(raw: signed.raw)
            #expect(decoded.from == EthereumAddress.encode(key.publicKey))
            #expect(decoded.transaction == transaction)
            #expect(decoded.hash == signed.hash)
        }
    }
}
