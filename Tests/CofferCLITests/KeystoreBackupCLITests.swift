import Foundation
import Testing

/// V3 keystores and SLIP-39 backups of vault wallets, through the CLI.
struct KeystoreBackupCLITests {
    static func keystoreVector(_ name: String) throws -> (json: String, password: String, key: String) {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Vectors/ethereum/keystore_basic_tests.json")
        let root = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let vector = try #require(root[name] as? [String: Any])
        let json = try JSONSerialization.data(withJSONObject: vector["json"]!)
        return (String(decoding: json, as: UTF8.self), vector["password"] as! String, vector["priv"] as! String)
    }

    @Test func keystoreImportExportRoundTrip() throws {
        let sandbox = try VaultCLITests.Sandbox()
        try sandbox.run(["vault", "init"])
        let vector = try Self.keystoreVector("test1")
        let file = try sandbox.file("keystore.json", vector.json)
        let wrong = try sandbox.run(["keystore", "import", "--format", "ethereum-v3", file], stdin: "not the password\n")
        #expect(wrong.status == 1 && wrong.stderr.contains("wrong password"), "\(wrong.stderr)")
        #expect(try CofferProcess.run(["vault", "list"], environment: sandbox.environment).stdout.isEmpty)
        let imported = try sandbox.run(["keystore", "import", "--format", "ethereum-v3", file, "--name", "geth"], stdin: vector.password + "\n")
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("\"origin\":\"ethereum-v3\""))
        let exported = try sandbox.run(["keystore", "export", "--format", "ethereum-v3", "--wallet", "geth", "--kdf", "pbkdf2"], stdin: "new password\n")
        #expect(exported.status == 0, "\(exported.stderr)")
        // The exported file imports back (under another name) to the same address.
        let back = try sandbox.file("back.json", exported.stdout)
        let reimported = try sandbox.run(["keystore", "import", "--format", "ethereum-v3", back, "--name", "again"], stdin: "new password\n")
        let summary = { (text: String) in text.components(separatedBy: "\"summary\":\"").last?.components(separatedBy: "\"").first }
        #expect(summary(reimported.stdout) == summary(imported.stdout))
        #expect(!exported.stdout.contains(vector.key))
        let badKDF = try sandbox.run(["keystore", "export", "--format", "ethereum-v3", "--wallet", "geth", "--kdf", "md5"], stdin: "x\n")
        #expect(badKDF.status == 2)
        let audit = try CofferProcess.run(["audit", "export"], environment: sandbox.environment)
        #expect(audit.stdout.contains("\"action\":\"wallet.export\""))
    }

    @Test func slip39BackupRestoresTheSameWallet() throws {
        let sandbox = try VaultCLITests.Sandbox()
        try sandbox.run(["vault", "init"])
        let original = try sandbox.run(["wallet", "import", "--name", "main", "--from", "mnemonic"], stdin: MnemonicCLITests.abandonAbout)
        let slipPassphrase = try sandbox.file("slip", "TREZOR\n")
        let backup = try sandbox.run(["wallet", "backup", "--wallet", "main", "--groups", "2of3,1of1", "--group-threshold", "2",
                                      "--slip39-passphrase-file", slipPassphrase])
        #expect(backup.status == 0, "\(backup.stderr)")
        let shares = backup.stdoutLines
        #expect(shares.count == 4)
        #expect(shares.allSatisfy { $0.split(separator: " ").count == 59 })  // a 64-byte BIP39 seed
        // Two of group 1 and the single share of group 2, in another order.
        let subset = [shares[3], shares[2], shares[0]].joined(separator: "\n")
        let restored = try sandbox.run(["wallet", "import", "--name", "restored", "--from", "slip39", "--slip39-passphrase-file", slipPassphrase], stdin: subset)
        #expect(restored.status == 0, "\(restored.stderr)")
        #expect(restored.stdout.contains("\"summary\":\"fingerprint:73c5da0a\"") && original.stdout.contains("fingerprint:73c5da0a"))
        let tooFew = try sandbox.run(["wallet", "import", "--name", "x", "--from", "slip39", "--slip39-passphrase-file", slipPassphrase], stdin: String(shares[0]))
        #expect(tooFew.status == 1 && tooFew.stderrLines.count == 1)
        let single = try sandbox.run(["wallet", "import", "--name", "pk", "--from", "private-key", "--curve", "ed25519"], stdin: String(repeating: "ab", count: 32))
        #expect(single.status == 0)
        let refused = try sandbox.run(["wallet", "backup", "--wallet", "pk", "--threshold", "2", "--shares", "3"])
        #expect(refused.status == 1 && refused.stderr.contains("single key"))
    }
}
