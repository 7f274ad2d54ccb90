import PropertyBased
import Testing
import WalletCore

/// scrypt through both vetted libraries: RFC 7914's vectors, and the two agreeing wherever both run.
struct ScryptTests {
    /// RFC 7914 section 12, test vectors 1 and 2 (the first has an empty password and salt).
    static let rfc7914: [(password: String, salt: String, n: Int, r: Int, p: Int, key: String)] = [
        ("", "", 16, 1, 1,
         "77d6576238657b203b19ca42c18a0497f16b4844e3074ae8dfdffa3fede21442fcd0069ded0948f8326a753a0fc81f17e8d3e0fb2e0d3628cf35e20c38d18906"),
        ("password", "NaCl", 1024, 8, 16,
         "fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b3731622eaf30d92e22a3886ff109279d9830dac727afb94a83ee6d8360cbdfa2cc0640"),
    ]

    @Test(arguments: [Scrypt.Backend.automatic, .swiftCrypto, .libsodium])
    func rfc7914Vectors(backend: Scrypt.Backend) throws {
        for vector in Self.rfc7914 {
            let key = try Scrypt.deriveKey(
                password: Array(vector.password.utf8), salt: Array(vector.salt.utf8),
                n: vector.n, r: vector.r, p: vector.p, byteCount: 64, backend: backend)
            #expect(Hex.encode(key.copyBytes()) == vector.key)
        }
    }

    /// The parameter set of ethereum/tests' scrypt keystore: BoringSSL refuses it, libsodium runs it.
    @Test func automaticFallsBackWhereBoringSSLRefuses() throws {
        #expect(throws: ScryptError.self) {
            try Scrypt.deriveKey(password: [1], salt: [2], n: 1 << 16, r: 1, p: 1, byteCount: 32, backend: .swiftCrypto)
        }
        let automatic = try Scrypt.deriveKey(password: [1], salt: [2], n: 1 << 16, r: 1, p: 1, byteCount: 32)
        let sodium = try Scrypt.deriveKey(password: [1], salt: [2], n: 1 << 16, r: 1, p: 1, byteCount: 32, backend: .libsodium)
        #expect(automatic == sodium)
        #expect(throws: ScryptError.self) {
            try Scrypt.deriveKey(password: [], salt: [], n: 1000, r: 1, p: 1, byteCount: 32)
        }
    }

    @Test func backendsAgree() async {
        await propertyCheck(count: 20, input: Gen.uint8().array(of: 0...24), Gen.uint8().array(of: 0...24), Gen.int(in: 1...6), Gen.int(in: 1...4)) {
            password, salt, logN, r throws in
            let a = try Scrypt.deriveKey(password: password, salt: salt, n: 1 << logN, r: r, p: 2, byteCount: 32, backend: .swiftCrypto)
            let b = try Scrypt.deriveKey(password: password, salt: salt, n: 1 << logN, r: r, p: 2, byteCount: 32, backend: .libsodium)
            #expect(a == b)
        }
    }
}
