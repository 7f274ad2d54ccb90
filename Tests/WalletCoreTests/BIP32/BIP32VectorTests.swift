import Testing
import WalletCore

/// BIP32 test vectors 1-5, read from the BIP's own text.
struct BIP32VectorTests {
    struct Step { let path: String; let xpub: String; let xprv: String }
    struct Vector { let name: String; let seed: [UInt8]; var steps: [Step] }

    static func vectors() throws -> [Vector] {
        var vectors: [Vector] = []
        var path = ""
        var xpub = ""
        for line in try TestVectors.text("bip-0032.mediawiki").split(separator: "\n").map(String.init) {
            if line.hasPrefix("===Test vector") && !line.contains("5") {
                vectors.append(Vector(name: line, seed: [], steps: []))
            } else if line.hasPrefix("Seed (hex): "), !vectors.isEmpty {
                vectors[vectors.count - 1] = Vector(name: vectors.last!.name, seed: hex(String(line.dropFirst(12))), steps: [])
            } else if line.hasPrefix("* Chain ") {
                path = TestVectors.path(fromSpec: String(line.dropFirst(8)))
            } else if line.hasPrefix("** ext pub: ") {
                xpub = String(line.dropFirst(12))
            } else if line.hasPrefix("** ext prv: ") {
                vectors[vectors.count - 1].steps.append(Step(path: path, xpub: xpub, xprv: String(line.dropFirst(12))))
            }
        }
        return vectors
    }

    @Test func vectorsOneToFourDeriveExactly() throws {
        let vectors = try Self.vectors()
        #expect(vectors.count == 4)
        #expect(vectors.map(\.steps.count) == [6, 6, 2, 3])
        for vector in vectors {
            let master = try ExtendedPrivateKey(seed: SecretBytes(vector.seed))
            for step in vector.steps {
                let key = try master.derive(path: DerivationPath(parsing: step.path))
                #expect(key.serialized() == step.xprv, "\(vector.name) \(step.path) xprv")
                #expect(key.extendedPublicKey.serialized() == step.xpub, "\(vector.name) \(step.path) xpub")
            }
        }
    }

    @Test func publicDerivationMatchesPrivateForNonHardenedSteps() throws {
        for vector in try Self.vectors() {
            for (parent, child) in zip(vector.steps, vector.steps.dropFirst()) {
                let last = try DerivationPath(parsing: child.path).components.last!
                guard !last.isHardened else { continue }
                guard case .publicKey(let parentKey, _) = try ExtendedKey(parsing: parent.xpub) else {
                    Issue.record("xpub parsed as private"); continue
                }
                #expect(try parentKey.derive(last).serialized() == child.xpub, "\(child.path)")
            }
        }
    }

    @Test func serialisedKeysRoundTrip() throws {
        for vector in try Self.vectors() {
            for step in vector.steps {
                guard case .privateKey(let xprv, let version) = try ExtendedKey(parsing: step.xprv) else {
                    Issue.record("xprv parsed as public"); continue
                }
                #expect(version == .xpub)
                #expect(xprv.serialized() == step.xprv)
                guard case .publicKey(let xpub, _) = try ExtendedKey(parsing: step.xpub) else {
                    Issue.record("xpub parsed as private"); continue
                }
                #expect(xpub.serialized() == step.xpub)
            }
        }
    }

    @Test func hardenedChildOfPublicKeyIsRefused() throws {
        let key = try ExtendedKey(parsing: "xpub661MyMwAqRbcFtXgS5sYJABqqG9YLmC4Q1Rdap9gSE8NqtwybGhePY2gZ29ESFjqJoCu1Rupje8YtGqsefD265TMg7usUDFdp6W1EGMcet8")
        #expect(throws: BIP32Error.self) { try key.extendedPublicKey.derive(.hardened(0)) }
    }

    /// Vector 5: every invalid key is rejected, each for the reason the BIP gives.
    @Test(arguments: [
        ("xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6LBpB85b3D2yc8sfvZU521AAwdZafEz7mnzBBsz4wKY5fTtTQBm", "version and key type do not match"),
        ("xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFGTQQD3dC4H2D5GBj7vWvSQaaBv5cxi9gafk7NF3pnBju6dwKvH", "version and key type do not match"),
        ("xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6Txnt3siSujt9RCVYsx4qHZGc62TG4McvMGcAUjeuwZdduYEvFn", "found 0x04"),
        ("xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFGpWnsj83BHtEy5Zt8CcDr1UiRXuWCmTQLxEK9vbz5gPstX92JQ", "found 0x04"),
        ("xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6N8ZMMXctdiCjxTNq964yKkwrkBJJwpzZS4HS2fxvyYUA4q2Xe4", "found 0x01"),
        ("xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFAzHGBP2UuGCqWLTAPLcMtD9y5gkZ6Eq3Rjuahrv17fEQ3Qen6J", "found 0x01"),
        ("xprv9s2SPatNQ9Vc6GTbVMFPFo7jsaZySyzk7L8n2uqKXJen3KUmvQNTuLh3fhZMBoG3G4ZW1N2kZuHEPY53qmbZzCHshoQnNf4GvELZfqTUrcv", "non-zero parent fingerprint"),
        ("xpub661no6RGEX3uJkY4bNnPcw4URcQTrSibUZ4NqJEw5eBkv7ovTwgiT91XX27VbEXGENhYRCf7hyEbWrR3FewATdCEebj6znwMfQkhRYHRLpJ", "non-zero parent fingerprint"),
        ("xprv9s21ZrQH4r4TsiLvyLXqM9P7k1K3EYhA1kkD6xuquB5i39AU8KF42acDyL3qsDbU9NmZn6MsGSUYZEsuoePmjzsB3eFKSUEh3Gu1N3cqVUN", "non-zero child index"),
        ("xpub661MyMwAuDcm6CRQ5N4qiHKrJ39Xe1R1NyfouMKTTWcguwVcfrZJaNvhpebzGerh7gucBvzEQWRugZDuDXjNDRmXzSZe4c7mnTK97pTvGS8", "non-zero child index"),
        ("DMwo58pR1QLEFihHiXPVykYB6fJmsTeHvyTp7hRThAtCX8CvYzgPcn8XnmdfHGMQzT7ayAmfo4z3gY5KfbrZWZ6St24UVf2Qgo6oujFktLHdHY4", "unknown extended key version"),
        ("DMwo58pR1QLEFihHiXPVykYB6fJmsTeHvyTp7hRThAtCX8CvYzgPcn8XnmdfHPmHJiEDXkTiJTVV9rHEBUem2mwVbbNfvT2MTcAqj3nesx8uBf9", "unknown extended key version"),
        ("xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzF93Y5wvzdUayhgkkFoicQZcP3y52uPPxFnfoLZB21Teqt1VvEHx", "not in the range 1..n-1"),
        ("xprv9s21ZrQH143K24Mfq5zL5MhWK9hUhhGbd45hLXo2Pq2oqzMMo63oStZzFAzHGBP2UuGCqWLTAPLcMtD5SDKr24z3aiUvKr9bJpdrcLg1y3G", "not in the range 1..n-1"),
        ("xpub661MyMwAqRbcEYS8w7XLSVeEsBXy79zSzH1J8vCdxAZningWLdN3zgtU6Q5JXayek4PRsn35jii4veMimro1xefsM58PgBMrvdYre8QyULY", "not a point on secp256k1"),
        ("xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHL", "not valid Base58Check"),
    ])
    func vectorFiveInvalidKeysAreRejected(key: String, reason: String) {
        do {
            _ = try ExtendedKey(parsing: key)
            Issue.record("accepted an invalid key: \(key)")
        } catch {
            #expect(error.description.contains(reason), "\(error.description)")
        }
    }

    @Test func vectorFiveListIsComplete() throws {
        let listed = try TestVectors.text("bip-0032.mediawiki").split(separator: "\n")
            .drop(while: { !$0.hasPrefix("===Test vector 5") })
            .dropFirst()
            .prefix(while: { !$0.hasPrefix("==") })
            .filter { $0.hasPrefix("* ") }
        #expect(listed.count == 16)
    }

    @Test func slip132VersionsRoundTrip() throws {
        let seed = SecretBytes(hex("000102030405060708090a0b0c0d0e0f"))
        let account = try ExtendedPrivateKey(seed: seed).derive(path: DerivationPath(parsing: "m/84'/0'/0'"))
        for version in KeyVersion.all {
            let text = account.extendedPublicKey.serialized(version: version)
            #expect(text.hasPrefix(version.publicPrefix), "\(text)")
            let parsed = try ExtendedKey(parsing: text)
            #expect(parsed.version == version)
            #expect(parsed.extendedPublicKey == account.extendedPublicKey)
            let privateText = account.serialized(version: version)
            #expect(privateText.hasPrefix(version.privatePrefix), "\(privateText)")
            guard case .privateKey(let key, let parsedVersion) = try ExtendedKey(parsing: privateText) else {
                Issue.record("private form parsed as public"); continue
            }
            #expect(parsedVersion == version)
            #expect(key.privateKey.secret == account.privateKey.secret)
        }
    }
}
