import Foundation
import Testing

/// `coffer wallet import --from xpub`: a watch-only wallet whose deposit addresses are the ones
/// `coffer derive` makes from the mnemonic behind the key, and which refuses to sign.
struct WatchOnlyWalletCLITests {
    static let mnemonic = MnemonicCLITests.abandonAbout

    static func json(_ text: some StringProtocol) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func importAllocateAndRefuseToSign() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passphrase = directory.appendingPathComponent("passphrase").path
        try Data("correct horse battery staple\n".utf8).write(to: URL(fileURLWithPath: passphrase))
        let environment = ["COFFER_DATA_DIR": directory.appendingPathComponent("data").path, "COFFER_VAULT_PASSPHRASE_FILE": passphrase,
                           "COFFER_INSECURE_TEST_KDF": "1"]
        func run(_ arguments: [String], stdin: String? = nil) throws -> CofferProcess.Result {
            try CofferProcess.run(arguments, stdin: stdin, environment: environment)
        }
        #expect(try run(["vault", "init"]).status == 0)
        let tenant = try #require(try Self.json(try run(["tenant", "create", "--name", "Shop"]).stdout)["id"] as? String)

        let vpub = try run(["xpub", "--network", "bitcoin-testnet"], stdin: Self.mnemonic).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(vpub.hasPrefix("vpub"))
        let imported = try run(["wallet", "import", "--tenant", tenant, "--name", "watch", "--from", "xpub"], stdin: vpub + "\n")
        #expect(imported.status == 0, "\(imported.stderr)")
        let wallet = try Self.json(imported.stdout)
        #expect(wallet["kind"] as? String == "watch-only" && wallet["origin"] as? String == "xpub")
        #expect((wallet["summary"] as? String)?.hasPrefix("vpub:p2wpkh:") == true && !imported.stdout.contains(vpub))

        // Each network's addresses are `coffer derive`'s from the mnemonic, path xpub/0/i.
        for (network, count) in [("litecoin-regtest", 5), ("testnet", 3), ("bitcoin-signet", 2)] {
            let allocated = try run(["address", "allocate", "--tenant", tenant, "--wallet", "watch", "--chain", "bitcoin", "--network", network,
                                     "--count", String(count)])
            #expect(allocated.status == 0, "\(allocated.stderr)")
            let batch = try #require(try Self.json(allocated.stdout)["data"] as? [[String: Any]])
            let derived = try run(["derive", "--chain", "bitcoin", "--network", network, "--start", network == "bitcoin-signet" ? "3" : "0",
                                   "--count", String(count)], stdin: Self.mnemonic)
            let expected = try derived.stdoutLines.map { try Self.json($0)["address"] as? String }
            #expect(batch.map { $0["address"] as? String } == expected, "\(network)")
            // Signet writes testnet's addresses, so it continues testnet's counter.
            let first = network == "bitcoin-signet" ? 3 : 0
            #expect(batch.map { $0["path"] as? String } == (first..<first + count).map { "xpub/0/\($0)" })
        }
        try CofferProcess.expectRejected(["address", "allocate", "--tenant", tenant, "--wallet", "watch", "--chain", "bitcoin", "--network", "mainnet",
                                          "--count", "1"], status: 1, mentioning: ["vpub", "mainnet"], environment: environment)
        try CofferProcess.expectRejected(["address", "allocate", "--tenant", tenant, "--wallet", "watch", "--chain", "tron", "--count", "1"],
                                         status: 1, mentioning: ["watch-only-wallet"], environment: environment)

        // Signing is refused before anything is stored, whatever the policy.
        let request = #"{"id":"pay-1","intent":{"chain":"ethereum","wallet":"watch","destination":"0x1111111111111111111111111111111111111111","asset":"ETH","amount":"5000","fee":"42000"},"payload":{"type":"ethereum-tx","chain_id":1,"path":"m/44'/60'/0'/0/0","tx":{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"to":"0x1111111111111111111111111111111111111111","value":"5000","data":"0x","access_list":[]}}}"#
        let requestFile = directory.appendingPathComponent("request.json").path
        try Data(request.utf8).write(to: URL(fileURLWithPath: requestFile))
        try CofferProcess.expectRejected(["sign", "request", "--tenant", tenant, "--file", requestFile], status: 1, mentioning: ["watch-only", "[watch-only-wallet]"],
                                         environment: environment)
        try CofferProcess.expectRejected(["sign", "status", "--tenant", tenant, "--request", "pay-1"], status: 1, environment: environment)
        try CofferProcess.expectRejected(["wallet", "backup", "--tenant", tenant, "--wallet", "watch", "--threshold", "1", "--shares", "1"],
                                         status: 1, mentioning: ["[watch-only-wallet]"], environment: environment)

        // A zpub fixes p2wpkh; --scheme is for --from xpub only; a private key is refused without being echoed.
        let zpub = try run(["xpub", "--chain", "bitcoin"], stdin: Self.mnemonic).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try CofferProcess.expectRejected(["wallet", "import", "--tenant", tenant, "--name", "z", "--from", "xpub", "--scheme", "p2pkh"], stdin: zpub,
                                         status: 1, mentioning: ["zpub", "p2wpkh", "[invalid-xpub]"], environment: environment)
        try CofferProcess.expectRejected(["wallet", "import", "--tenant", tenant, "--name", "z", "--from", "mnemonic", "--scheme", "p2pkh"],
                                         stdin: Self.mnemonic, status: 2, mentioning: ["--scheme"], environment: environment)
        let xprv = "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi"
        let refused = try run(["wallet", "import", "--tenant", tenant, "--name", "z", "--from", "xpub"], stdin: xprv)
        #expect(refused.status == 1 && refused.stderr.contains("private") && !refused.stderr.contains(xprv), "\(refused.stderr)")
        let taproot = try run(["xpub", "--chain", "bitcoin", "--scheme", "p2tr"], stdin: Self.mnemonic).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let imported2 = try run(["wallet", "import", "--tenant", tenant, "--name", "tr", "--from", "xpub", "--scheme", "p2tr"], stdin: taproot)
        #expect(imported2.status == 0 && imported2.stdout.contains("\"summary\":\"xpub:p2tr:"), "\(imported2.stderr)")
        let allocated = try run(["address", "allocate", "--tenant", tenant, "--wallet", "tr", "--chain", "bitcoin", "--count", "1"])
        #expect(allocated.stdout.contains("bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr"), "\(allocated.stdout) \(allocated.stderr)")
    }
}
