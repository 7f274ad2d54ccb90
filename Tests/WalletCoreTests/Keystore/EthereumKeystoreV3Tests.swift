import Foundation
import PropertyBased
import Testing
import WalletCore

/// V3 keystores: ethereum/tests' published files, eth-account's files, geth's layout, every rejection.
struct EthereumKeystoreV3Tests {
    static func jsonBytes(_ object: Any) throws -> [UInt8] {
        [UInt8](try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
    }

    static func object(_ bytes: [UInt8]) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
    }

    /// ethereum/tests KeyStoreTests/basic_tests.json: test1 (pbkdf2, c=262144) and test2
    /// (scrypt n=2^18, r=1, p=8: a parameter set BoringSSL refuses, so it runs on libsodium).
    @Test func publishedBasicVectors() throws {
        let root = try #require(try TestVectors.json("ethereum/keystore_basic_tests.json") as? [String: [String: Any]])
        #expect(root.count == 2)
        for (name, test) in root.sorted(by: { $0.key < $1.key }) {
            let json = try Self.jsonBytes(try #require(test["json"]))
            let password = try #require(test["password"] as? String)
            let key = try EthereumKeystoreV3.decrypt(json: json, password: password)
            #expect(Hex.encode(key.copyBytes()) == test["priv"] as? String, "\(name)")
            #expect(throws: EthereumKeystoreError.wrongPassword, "\(name)") {
                try EthereumKeystoreV3.decrypt(json: json, password: password + "!")
            }
        }
    }

    static func generated() throws -> [String: Any] {
        try #require(try TestVectors.json("generated/ethereum_keystore_eth_account.json") as? [String: Any])
    }

    /// Files written by eth-account's Account.encrypt (random salt, iv, id; checksummed address).
    @Test func decryptsEthAccountFiles() throws {
        let cases = try #require(try Self.generated()["random"] as? [[String: Any]])
        #expect(cases.count == 4)
        for test in cases {
            let key = try EthereumKeystoreV3.decrypt(
                json: try Self.jsonBytes(try #require(test["json"])), password: try #require(test["password"] as? String))
            #expect(Hex.encode(key.copyBytes()) == test["private_key"] as? String)
        }
    }

    /// With eth-keyfile's salt, iv and id, encrypt produces the same keystore field for field.
    @Test func encryptMatchesEthKeyfile() throws {
        let cases = try #require(try Self.generated()["fixed"] as? [[String: Any]])
        #expect(cases.count == 4)
        for test in cases {
            let work = try #require(test["work"] as? Int)
            let kdf: EthereumKeystoreV3.KeyDerivation = test["kdf"] as? String == "scrypt"
                ? .scrypt(n: work, r: 8, p: 1) : .pbkdf2(iterations: work)
            let ours = try EthereumKeystoreV3.encrypt(
                privateKey: SecretBytes(hex(try #require(test["private_key"] as? String))),
                password: try #require(test["password"] as? String), kdf: kdf,
                salt: hex(try #require(test["salt"] as? String)), iv: hex(try #require(test["iv"] as? String)),
                id: try #require(UUID(uuidString: try #require(test["id"] as? String))))
            let theirs = try #require(test["json"] as? [String: Any])
            let parsed = try Self.object(ours)
            #expect(NSDictionary(dictionary: try #require(parsed["crypto"] as? [String: Any]))
                .isEqual(to: try #require(theirs["crypto"] as? [String: Any])))
            #expect(parsed["id"] as? String == theirs["id"] as? String)
            #expect(parsed["version"] as? Int == 3)
            #expect(parsed["address"] as? String == (theirs["address"] as? String)?.lowercased())
        }
    }

    /// geth's exact bytes: field order address, crypto, id, version; sorted kdfparams; no spaces.
    @Test func writesGethLayout() throws {
        let json = try EthereumKeystoreV3.encrypt(
            privateKey: SecretBytes(hex("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d")),
            password: "testpassword", kdf: .scrypt(n: 1024, r: 8, p: 1),
            salt: [UInt8](repeating: 0xAB, count: 32), iv: [UInt8](repeating: 0xCD, count: 16),
            id: UUID(uuidString: "3198BC9C-6672-4AB3-9995-4942343AE5B6"))
        let text = String(decoding: json, as: UTF8.self)
        let pattern = #"^\{"address":"008aeeda4d805471df9b2a5b0f38a0c3bcba786b","crypto":\{"cipher":"aes-128-ctr","ciphertext":"[0-9a-f]{64}","cipherparams":\{"iv":"(cd){16}"\},"kdf":"scrypt","kdfparams":\{"dklen":32,"n":1024,"p":1,"r":8,"salt":"(ab){32}"\},"mac":"[0-9a-f]{64}"\},"id":"3198bc9c-6672-4ab3-9995-4942343ae5b6","version":3\}$"#
        #expect(text.range(of: pattern, options: .regularExpression) != nil, "\(text)")
        let pbkdf2 = String(decoding: try EthereumKeystoreV3.encrypt(
            privateKey: SecretBytes(hex("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d")),
            password: "x", kdf: .pbkdf2(iterations: 10), salt: [1, 2]), as: UTF8.self)
        #expect(pbkdf2.contains(#""kdf":"pbkdf2","kdfparams":{"c":10,"dklen":32,"prf":"hmac-sha256","salt":"0102"}"#))
        let fresh = try Self.object(try EthereumKeystoreV3.encrypt(
            privateKey: SecretBytes(hex("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d")),
            password: "x", kdf: .pbkdf2(iterations: 10)))
        let id = try #require(fresh["id"] as? String)
        #expect(UUID(uuidString: id) != nil && id == id.lowercased())
        #expect(Array(id)[14] == "4", "UUID version 4")
        #expect(((fresh["crypto"] as? [String: Any])?["kdfparams"] as? [String: Any])?["salt"] as? String != Hex.encode([UInt8](repeating: 0, count: 32)))
    }

    @Test func roundTripsWithGethStandardAndLight() throws {
        let key = SecretBytes(hex("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"))
        for kdf in [EthereumKeystoreV3.KeyDerivation.standard, .light] {
            let json = try EthereumKeystoreV3.encrypt(privateKey: key, password: "correct horse", kdf: kdf)
            #expect(try EthereumKeystoreV3.decrypt(json: json, password: "correct horse") == key)
        }
        #expect(EthereumKeystoreV3.KeyDerivation.standard == .scrypt(n: 262_144, r: 8, p: 1))
        #expect(EthereumKeystoreV3.KeyDerivation.light == .scrypt(n: 4096, r: 8, p: 6))
    }

    @Test func roundTripsRandomKeysAndPasswords() async {
        await propertyCheck(count: 24, input: Gen.uint8().array(of: 32), Gen.uint8().array(of: 0...40), Gen.int(in: 0...1)) {
            bytes, passwordBytes, kdfChoice throws in
            guard (try? Secp256k1.PrivateKey(bytes)) != nil else { return }
            let password = String(decoding: passwordBytes, as: UTF8.self)
            let kdf: EthereumKeystoreV3.KeyDerivation = kdfChoice == 0 ? .scrypt(n: 16, r: 8, p: 2) : .pbkdf2(iterations: 3)
            let key = SecretBytes(bytes)
            let json = try EthereumKeystoreV3.encrypt(privateKey: key, password: password, kdf: kdf)
            #expect(try EthereumKeystoreV3.decrypt(json: json, password: password) == key)
            #expect(throws: EthereumKeystoreError.wrongPassword) {
                try EthereumKeystoreV3.decrypt(json: json, password: password + "x")
            }
        }
    }

    /// Flipping any byte of ciphertext or MAC is caught by the MAC check.
    @Test func tamperingIsDetected() async throws {
        let json = try EthereumKeystoreV3.encrypt(
            privateKey: SecretBytes(hex("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d")),
            password: "pw", kdf: .pbkdf2(iterations: 2))
        let original = try Self.object(json)
        await propertyCheck(count: 32, input: Gen.int(in: 0...63), Gen.int(in: 0...1)) { position, field throws in
            var crypto = original["crypto"] as! [String: Any]
            let name = field == 0 ? "ciphertext" : "mac"
            var digits = Array(crypto[name] as! String)
            digits[position] = digits[position] == "0" ? "1" : "0"
            crypto[name] = String(digits)
            var tampered = original
            tampered["crypto"] = crypto
            #expect(throws: EthereumKeystoreError.wrongPassword) {
                try EthereumKeystoreV3.decrypt(json: try Self.jsonBytes(tampered), password: "pw")
            }
        }
    }

    @Test func rejectsKeysThatAreNotSecp256k1Scalars() throws {
        let cases = try #require(try Self.generated()["invalid_key"] as? [[String: Any]])
        #expect(cases.count == 2)
        for test in cases {
            let json = try Self.jsonBytes(try #require(test["json"]))
            do {
                _ = try EthereumKeystoreV3.decrypt(json: json, password: "testpassword")
                Issue.record("accepted a keystore holding an invalid key")
            } catch {
                #expect(error.description.contains("not a valid secp256k1 private key"))
            }
        }
        #expect(throws: EthereumKeystoreError.self) {
            try EthereumKeystoreV3.encrypt(privateKey: SecretBytes([UInt8](repeating: 0, count: 32)), password: "", kdf: .light)
        }
    }

    /// A small valid pbkdf2 keystore to mutate; its password is "pw".
    static func baseKeystore() throws -> [String: Any] {
        try object(try EthereumKeystoreV3.encrypt(
            privateKey: SecretBytes(hex("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d")),
            password: "pw", kdf: .pbkdf2(iterations: 2)))
    }

    static func mutated(_ base: [String: Any], _ change: (inout [String: Any], inout [String: Any], inout [String: Any]) -> Void) throws -> [UInt8] {
        var root = base
        var crypto = root["crypto"] as! [String: Any]
        var params = crypto["kdfparams"] as! [String: Any]
        change(&root, &crypto, &params)
        crypto["kdfparams"] = params
        if root["crypto"] != nil { root["crypto"] = crypto }
        return try jsonBytes(root)
    }

    static var scryptBase: [String: Any] { ["dklen": 32, "n": 16, "r": 8, "p": 1, "salt": "00"] }

    @Test func rejectsMalformedAndHostileFiles() throws {
        let base = try Self.baseKeystore()
        let cases: [(String, (inout [String: Any], inout [String: Any], inout [String: Any]) -> Void)] = [
            ("unsupported keystore version 2", { root, _, _ in root["version"] = 2 }),
            ("field version must be an integer", { root, _, _ in root["version"] = "3" }),
            ("missing the field version", { root, _, _ in root["version"] = nil }),
            ("missing the field crypto", { root, _, _ in root["crypto"] = nil }),
            ("unsupported keystore kdf \"argon2id\"", { _, crypto, _ in crypto["kdf"] = "argon2id" }),
            ("unsupported keystore cipher \"aes-128-cbc\"", { _, crypto, _ in crypto["cipher"] = "aes-128-cbc" }),
            ("unsupported pbkdf2 prf \"hmac-sha512\"", { _, _, params in params["prf"] = "hmac-sha512" }),
            ("missing the field crypto.kdfparams.prf", { _, _, params in params["prf"] = nil }),
            ("missing the field crypto.kdfparams.salt", { _, _, params in params["salt"] = nil }),
            ("crypto.kdfparams.c is 0", { _, _, params in params["c"] = 0 }),
            ("crypto.kdfparams.c is 16777217", { _, _, params in params["c"] = 16_777_217 }),
            ("crypto.kdfparams.dklen is 16", { _, _, params in params["dklen"] = 16 }),
            ("crypto.kdfparams.c must be an integer", { _, _, params in params["c"] = "1000" }),
            ("number that is not an integer", { _, _, params in params["c"] = 1e30 }),
            ("number that is not an integer", { _, _, params in params["c"] = 2.5 }),
            ("crypto.kdfparams.salt must be 1 to 1024 bytes, got 0", { _, _, params in params["salt"] = "" }),
            ("crypto.ciphertext: invalid hex", { _, crypto, _ in crypto["ciphertext"] = "zz" + String(repeating: "0", count: 62) }),
            ("crypto.ciphertext must be 32 bytes, got 31", { _, crypto, _ in crypto["ciphertext"] = String(repeating: "0", count: 62) }),
            ("crypto.mac must be 32 bytes, got 33", { _, crypto, _ in crypto["mac"] = String(repeating: "0", count: 66) }),
            ("crypto.cipherparams.iv must be 16 bytes, got 12", { _, crypto, _ in crypto["cipherparams"] = ["iv": String(repeating: "0", count: 24)] }),
            ("crypto.cipherparams.iv: invalid hex: odd", { _, crypto, _ in crypto["cipherparams"] = ["iv": "123"] }),
            ("address must be 20 bytes", { root, _, _ in root["address"] = "1234" }),
            ("does not match the decrypted key's address", { root, _, _ in root["address"] = String(repeating: "11", count: 20) }),
            ("crypto.kdfparams.n is 1000; allowed: a power of two", { _, crypto, params in crypto["kdf"] = "scrypt"; params = Self.scryptBase; params["n"] = 1000 }),
            ("crypto.kdfparams.n is 8388608", { _, crypto, params in crypto["kdf"] = "scrypt"; params = Self.scryptBase; params["n"] = 1 << 23 }),
            ("crypto.kdfparams.n is 1;", { _, crypto, params in crypto["kdf"] = "scrypt"; params = Self.scryptBase; params["n"] = 1 }),
            ("crypto.kdfparams.r is 0", { _, crypto, params in crypto["kdf"] = "scrypt"; params = Self.scryptBase; params["r"] = 0 }),
            ("crypto.kdfparams.p is -1", { _, crypto, params in crypto["kdf"] = "scrypt"; params = Self.scryptBase; params["p"] = -1 }),
            ("r*p = 512 exceeds 256", { _, crypto, params in crypto["kdf"] = "scrypt"; params = Self.scryptBase; params["r"] = 16; params["p"] = 32 }),
            ("4096 MiB of memory exceeds 1024 MiB", { _, crypto, params in crypto["kdf"] = "scrypt"; params = Self.scryptBase; params["n"] = 1 << 22 }),
            ("n*r*p = 67108864 exceeds 2^25", { _, crypto, params in crypto["kdf"] = "scrypt"; params = Self.scryptBase; params["n"] = 1 << 20; params["r"] = 1; params["p"] = 64 }),
            ("missing the field crypto.kdfparams.n", { _, crypto, params in crypto["kdf"] = "scrypt"; params = Self.scryptBase; params["n"] = nil }),
        ]
        for (expected, change) in cases {
            let json = try Self.mutated(base, change)
            do {
                _ = try EthereumKeystoreV3.decrypt(json: json, password: "pw")
                Issue.record("accepted: \(expected)")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
                #expect(!error.description.contains("\n") && !error.description.contains("pw\""))
            }
        }
        let notJSON: [(String, [UInt8])] = [
            ("not valid JSON", Array("{\"crypto\":".utf8)), ("not valid JSON", []), ("must be a JSON object", Array("[1,2]".utf8)),
        ]
        for (expected, json) in notJSON {
            do {
                _ = try EthereumKeystoreV3.decrypt(json: json, password: "pw")
                Issue.record("accepted: \(expected)")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
            }
        }
    }

    /// MyEtherWallet writes "Crypto"; geth accepts it (Go matches JSON keys case-insensitively).
    @Test func acceptsCapitalisedCryptoAndMissingAddress() throws {
        let json = try Self.mutated(try Self.baseKeystore()) { root, crypto, _ in
            root["crypto"] = nil
            root["Crypto"] = crypto
            root["address"] = nil
        }
        #expect(try EthereumKeystoreV3.decrypt(json: json, password: "pw").count == 32)
    }

    @Test func encryptRejectsBadParameters() {
        let key = SecretBytes(hex("7a28b5ba57c53603b0b07b56bba752f7784bf506fa95edc395f5cf6c7514fe9d"))
        #expect(throws: EthereumKeystoreError.self) { try EthereumKeystoreV3.encrypt(privateKey: key, password: "", kdf: .scrypt(n: 1 << 23, r: 8, p: 1)) }
        #expect(throws: EthereumKeystoreError.self) { try EthereumKeystoreV3.encrypt(privateKey: key, password: "", kdf: .pbkdf2(iterations: 0)) }
        #expect(throws: EthereumKeystoreError.self) { try EthereumKeystoreV3.encrypt(privateKey: key, password: "", kdf: .light, iv: [1, 2]) }
        #expect(throws: EthereumKeystoreError.self) { try EthereumKeystoreV3.encrypt(privateKey: key, password: "", kdf: .light, salt: []) }
        #expect(throws: EthereumKeystoreError.self) { try EthereumKeystoreV3.encrypt(privateKey: SecretBytes([1, 2, 3]), password: "", kdf: .light) }
    }
}
