import Foundation
import Testing

struct DeriveCLITests {
    static let mnemonic = MnemonicCLITests.abandonAbout

    static func json(_ line: Substring) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    @Test func defaultP2wpkhJsonLines() throws {
        let result = try CofferProcess.run(["derive", "--chain", "bitcoin", "--count", "2"], stdin: Self.mnemonic)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout == """
            {"index":0,"path":"m/84'/0'/0'/0/0","address":"bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu","public_key":"0330d54fd0dd420a6e5f8d3624f5f3482cae350f79d5f0753bf5beef9c2d91af3c"}
            {"index":1,"path":"m/84'/0'/0'/0/1","address":"bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g","public_key":"03e775fd51f0dfb8cd865d9ff1cca2a158cf651fe997fdc9fee9c1d3b5e995ea77"}

            """)
        #expect(result.stderr.isEmpty)
    }

    @Test(arguments: [
        (["--chain", "ethereum"], "m/44'/60'/0'/0/0", "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"),
        (["--chain", "tron"], "m/44'/195'/0'/0/0", "TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH"),
        (["--chain", "solana"], "m/44'/501'/0'/0'", "HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk"),
        (["--chain", "bitcoin", "--scheme", "p2tr"], "m/86'/0'/0'/0/0", "bc1p5cyxnuxmeuwuvkwfem96lqzszd02n6xdcjrs20cac6yqjjwudpxqkedrcr"),
        (["--chain", "bitcoin", "--scheme", "p2sh-p2wpkh", "--network", "testnet"], "m/49'/1'/0'/0/0", "2Mww8dCYPUpKHofjgcXcBCEGmniw9CoaiD2"),
        // `--network` names a registry network and implies its chain; Bitcoin's short names still work.
        (["--network", "litecoin-regtest"], "m/84'/1'/0'/0/0", "rltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9puuzgkg"),
        (["--chain", "bitcoin", "--network", "litecoin-regtest", "--scheme", "p2tr"], "m/86'/1'/0'/0/0",
         "rltc1p8wpt9v4frpf3tkn0srd97pksgsxc5hs52lafxwru9kgeephvs7rq66tuc9"),
        (["--network", "litecoin-mainnet", "--scheme", "p2pkh"], "m/44'/2'/0'/0/0", "LUWPbpM43E2p7ZSh8cyTBEkvpHmr3cB8Ez"),
        (["--network", "LITECOIN-MAINNET", "--scheme", "p2sh-p2wpkh"], "m/49'/2'/0'/0/0", "M7wtsL7wSHDBJVMWWhtQfTMSYYkyooAAXM"),
        (["--network", "litecoin-testnet"], "m/84'/1'/0'/0/0", "tltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9pesrjxk"),
        (["--network", "bitcoin-regtest"], "m/84'/1'/0'/0/0", "bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk"),
        (["--chain", "bitcoin", "--network", "regtest"], "m/84'/1'/0'/0/0", "bcrt1q6rz28mcfaxtmd6v789l9rrlrusdprr9pz3cppk"),
        (["--chain", "bitcoin", "--network", "testnet"], "m/84'/1'/0'/0/0", "tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl"),
        (["--network", "polygon"], "m/44'/60'/0'/0/0", "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"),
        (["--chain", "ethereum", "--network", "evm:10143"], "m/44'/60'/0'/0/0", "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"),
        (["--chain", "ethereum", "--network", "mainnet"], "m/44'/60'/0'/0/0", "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"),
        (["--network", "tron"], "m/44'/195'/0'/0/0", "TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH"),
    ])
    func everyChainAndNetwork(arguments: [String], path: String, address: String) throws {
        let result = try CofferProcess.run(["derive"] + arguments + ["--count", "1"], stdin: Self.mnemonic)
        #expect(result.status == 0, "\(result.stderr)")
        let record = try Self.json(result.stdoutLines[0])
        #expect(record["path"] as? String == path)
        #expect(record["address"] as? String == address)
        // `address check` with the same chain and network accepts it.
        var checkArguments = arguments
        if let scheme = checkArguments.firstIndex(of: "--scheme") { checkArguments.removeSubrange(scheme...scheme + 1) }
        let check = try CofferProcess.run(["address", "check"] + checkArguments + [address])
        #expect(check.status == 0, "\(arguments): \(check.stderr)")
    }

    @Test func watchOnlyFromXpubMatchesMnemonic() throws {
        for (chain, scheme) in [("bitcoin", "p2wpkh"), ("bitcoin", "p2sh-p2wpkh"), ("bitcoin", "p2pkh"), ("bitcoin", "p2tr"), ("ethereum", nil), ("tron", nil)] as [(String, String?)] {
            let schemeArguments = scheme.map { ["--scheme", $0] } ?? []
            let xpub = try CofferProcess.run(["xpub", "--chain", chain, "--account", "2"] + schemeArguments, stdin: Self.mnemonic)
            #expect(xpub.status == 0, "\(xpub.stderr)")
            let key = xpub.stdout.trimmingCharacters(in: .newlines)
            let expectedPrefix = scheme == "p2wpkh" ? "zpub" : scheme == "p2sh-p2wpkh" ? "ypub" : "xpub"
            #expect(key.hasPrefix(expectedPrefix))
            let common = ["derive", "--chain", chain, "--start", "5", "--count", "40", "--label", "L", "--owner", "O", "--purpose", "deposit", "--batch", "B1"] + schemeArguments
            let fromSeed = try CofferProcess.run(common + ["--account", "2"], stdin: Self.mnemonic)
            let watchOnly = try CofferProcess.run(common + ["--xpub", key])
            #expect(fromSeed.status == 0 && watchOnly.status == 0, "\(fromSeed.stderr) \(watchOnly.stderr)")
            #expect(fromSeed.stdout == watchOnly.stdout, "\(chain) \(scheme ?? "")")
            let first = try Self.json(watchOnly.stdoutLines[0])
            #expect(first["index"] as? Int == 5)
            #expect((first["path"] as? String)?.contains("'/2'/0/5") == true)
            #expect(first["label"] as? String == "L")
            #expect(first["owner"] as? String == "O")
            #expect(first["purpose"] as? String == "deposit")
            #expect(first["batch"] as? String == "B1")
        }
    }

    /// Litecoin's account keys (SLIP-132 Ltub, Mtub) derive watch-only on Litecoin by default.
    @Test func litecoinAccountKeys() throws {
        for (scheme, prefix, address) in [("p2pkh", "Ltub", "LUWPbpM43E2p7ZSh8cyTBEkvpHmr3cB8Ez"), ("p2sh-p2wpkh", "Mtub", "M7wtsL7wSHDBJVMWWhtQfTMSYYkyooAAXM"),
                                          ("p2wpkh", "zpub", "ltc1qjmxnz78nmc8nq77wuxh25n2es7rzm5c2rkk4wh")] {
            let xpub = try CofferProcess.run(["xpub", "--network", "litecoin-mainnet", "--scheme", scheme], stdin: Self.mnemonic)
            let key = xpub.stdout.trimmingCharacters(in: .newlines)
            #expect(xpub.status == 0 && key.hasPrefix(prefix), "\(xpub.stderr)")
            // zpub is Bitcoin's version too (so --network says which coin); a generic Ltub takes --scheme like an xpub.
            let network = prefix == "zpub" ? ["--network", "litecoin-mainnet"] : prefix == "Ltub" ? ["--scheme", scheme] : []
            let derived = try CofferProcess.run(["derive", "--chain", "bitcoin", "--xpub", key, "--count", "1"] + network)
            #expect(derived.status == 0, "\(derived.stderr)")
            #expect(try Self.json(derived.stdoutLines[0])["address"] as? String == address)
        }
        let vpub = try CofferProcess.run(["xpub", "--network", "litecoin-regtest"], stdin: Self.mnemonic).stdout.trimmingCharacters(in: .newlines)
        #expect(vpub.hasPrefix("vpub"))
        let regtest = try CofferProcess.run(["derive", "--network", "litecoin-regtest", "--xpub", vpub, "--count", "1"])
        #expect(try Self.json(regtest.stdoutLines[0])["address"] as? String == "rltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9puuzgkg")
        try CofferProcess.expectRejected(["derive", "--network", "litecoin-mainnet", "--xpub", vpub, "--count", "1"], status: 2, mentioning: ["litecoin-mainnet", "vpub"])
    }

    @Test func bip84AccountXpub() throws {
        let result = try CofferProcess.run(["xpub", "--chain", "bitcoin"], stdin: Self.mnemonic)
        #expect(result.stdout == "zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs\n")
    }

    @Test func csvOutput() throws {
        let result = try CofferProcess.run(["derive", "--chain", "ethereum", "--count", "3", "--format", "csv", "--label", "hot,wallet"], stdin: Self.mnemonic)
        #expect(result.status == 0)
        #expect(result.stdoutLines.count == 4)
        #expect(result.stdoutLines[0] == "index,path,address,public_key,label")
        #expect(result.stdoutLines[1] == "0,m/44'/60'/0'/0/0,0x9858EfFD232B4033E47d90003D41EC34EcaEda94,0237b0bb7a8288d38ed49a524b5dc98cff3eb5ca824c9f9dc0dfdb3d9cd600f299,\"hot,wallet\"")
    }

    @Test func largeBatchIsOrderedAndComplete() throws {
        let result = try CofferProcess.run(["derive", "--chain", "bitcoin", "--count", "5000", "--start", "100"], stdin: Self.mnemonic)
        #expect(result.status == 0)
        let lines = result.stdoutLines
        #expect(lines.count == 5000)
        for (offset, line) in lines.enumerated() where offset % 499 == 0 || offset == lines.count - 1 {
            #expect(line.hasPrefix("{\"index\":\(100 + offset),\"path\":\"m/84'/0'/0'/0/\(100 + offset)\""))
        }
        #expect(Set(lines.map { try! Self.json($0)["address"] as! String }).count == 5000)
    }

    @Test func rejectedInputs() throws {
        let zpub = "zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs"
        let cases: [([String], String?, [String])] = [
            (["derive", "--chain", "dogecoin", "--count", "1"], Self.mnemonic, ["dogecoin"]),
            (["derive", "--chain", "bitcoin", "--scheme", "p2wsh", "--count", "1"], Self.mnemonic, ["p2wsh"]),
            (["derive", "--chain", "bitcoin", "--network", "dogenet", "--count", "1"], Self.mnemonic, ["dogenet", "litecoin-regtest"]),
            (["derive", "--chain", "bitcoin", "--network", "polygon", "--count", "1"], Self.mnemonic, ["polygon", "evm"]),
            (["derive", "--chain", "ethereum", "--network", "testnet", "--count", "1"], Self.mnemonic, ["bitcoin only"]),
            (["derive", "--network", "evm:0", "--count", "1"], Self.mnemonic, ["evm:0"]),
            (["derive", "--count", "1"], Self.mnemonic, ["--chain or --network"]),
            (["derive", "--chain", "bitcoin", "--count", "0"], Self.mnemonic, ["count"]),
            (["derive", "--chain", "bitcoin", "--count", "-3"], Self.mnemonic, []),
            (["derive", "--chain", "bitcoin", "--count", "ten"], Self.mnemonic, ["ten"]),
            (["derive", "--chain", "bitcoin"], Self.mnemonic, ["count"]),
            (["derive", "--chain", "bitcoin", "--count", "2", "--start", "2147483647"], Self.mnemonic, ["2147483648"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--account", "2147483648"], Self.mnemonic, []),
            (["derive", "--chain", "solana", "--count", "1", "--account", "1"], Self.mnemonic, ["solana"]),
            (["derive", "--chain", "solana", "--count", "1", "--xpub", zpub], nil, ["solana"]),
            (["derive", "--chain", "ethereum", "--scheme", "p2tr", "--count", "1"], Self.mnemonic, ["bitcoin only"]),
            (["derive", "--chain", "bitcoin", "--count", "1"], "not a mnemonic at all", ["words"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--xpub", "xpub123"], nil, ["extended key"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--xpub", zpub, "--scheme", "p2pkh"], nil, ["zpub"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--xpub", zpub, "--network", "testnet"], nil, ["testnet"]),
            (["derive", "--chain", "ethereum", "--count", "1", "--xpub", zpub], nil, ["zpub"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--xpub", "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi"], nil, ["private"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--xpub", "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8"], nil, ["depth 0"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--format", "xml"], Self.mnemonic, ["xml"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--threads", "100000"], Self.mnemonic, ["--threads"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--threads", "0"], Self.mnemonic, ["--threads"]),
            (["xpub", "--chain", "solana"], Self.mnemonic, ["solana"]),
            (["derive", "--chain", "bitcoin", "--count", "1", "--passphrase-file", "/nonexistent"], Self.mnemonic, ["/nonexistent"]),
        ]
        for (arguments, stdin, words) in cases {
            try CofferProcess.expectRejected(arguments, stdin: stdin, mentioning: words)
        }
    }
}

struct AddressCLITests {
    @Test func checkValidAndInvalid() throws {
        let valid = try CofferProcess.run(["address", "check", "--chain", "ethereum", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"])
        #expect(valid.status == 0)
        #expect(valid.stdout.contains("ethereum"))
        for (chain, address, word) in [
            ("ethereum", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", "checksum"),
            ("bitcoin", "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyv", "checksum"),
            ("bitcoin", "tb1qw508d6qejxtdg4y5r3zarvary0c5xw7kxpjzsx", ""),
            ("tron", "TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdh", "checksum"),
            ("solana", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", "character"),
            ("ripple", "rHb9CJAWyB4rj91VRWn96DkukG4bwdtyTh", "ripple"),
        ] {
            if chain == "bitcoin" && word.isEmpty {
                try CofferProcess.expectRejected(["address", "check", "--chain", chain, "--network", "mainnet", address], status: 1, mentioning: ["testnet"])
            } else {
                try CofferProcess.expectRejected(["address", "check", "--chain", chain, address], mentioning: [word])
            }
        }
        try CofferProcess.expectRejected(["address", "check", "--chain", "bitcoin"], status: 2)
    }

    /// `--network` restricts the check to one registry network; an address of another is refused naming its own.
    @Test func checkAgainstRegistryNetworks() throws {
        for (arguments, address, said) in [
            (["--network", "litecoin-regtest"], "rltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9puuzgkg", "litecoin p2wpkh regtest"),
            (["--chain", "bitcoin", "--network", "litecoin-mainnet"], "M7wtsL7wSHDBJVMWWhtQfTMSYYkyooAAXM", "litecoin p2sh mainnet"),
            (["--network", "litecoin-mainnet"], "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", "litecoin p2sh mainnet"),
            (["--chain", "bitcoin"], "ltc1qjmxnz78nmc8nq77wuxh25n2es7rzm5c2rkk4wh", "litecoin p2wpkh mainnet"),
            (["--network", "bitcoin-signet"], "tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl", "bitcoin p2wpkh signet"),
            (["--network", "bsc"], "0x9858EfFD232B4033E47d90003D41EC34EcaEda94", "ethereum address"),
        ] as [([String], String, String)] {
            let result = try CofferProcess.run(["address", "check"] + arguments + [address])
            #expect(result.status == 0 && result.stdout.hasPrefix(said), "\(arguments) \(address): \(result.stdout) \(result.stderr)")
        }
        try CofferProcess.expectRejected(["address", "check", "--network", "litecoin-mainnet", "tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl"],
                                         status: 1, mentioning: ["testnet address, not litecoin-mainnet"])
        try CofferProcess.expectRejected(["address", "check", "--network", "litecoin-testnet", "rltc1q6rz28mcfaxtmd6v789l9rrlrusdprr9puuzgkg"],
                                         status: 1, mentioning: ["litecoin-regtest address, not litecoin-testnet"])
        try CofferProcess.expectRejected(["address", "check", "--network", "bitcoin-mainnet", "LUWPbpM43E2p7ZSh8cyTBEkvpHmr3cB8Ez"], status: 1, mentioning: ["litecoin-mainnet"])
        try CofferProcess.expectRejected(["address", "check", "--chain", "bitcoin", "--network", "bsc", "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"],
                                         status: 2, mentioning: ["bsc", "evm"])
        try CofferProcess.expectRejected(["address", "check", "--network", "dogecoin", "D8vFz4p1L37jdg47HXKtSHA5uYLYxbGgPD"], status: 2, mentioning: ["dogecoin", "litecoin-regtest"])
    }

    @Test func demoRuns() throws {
        let demo = try CofferProcess.run(["demo"])
        #expect(demo.status == 0, "\(demo.stderr)")
        for prefix in ["bc1q", "bc1p", "0x", "T", "zpub"] { #expect(demo.stdout.contains(prefix)) }
    }
}
