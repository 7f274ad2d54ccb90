import Crypto
import Foundation
import PropertyBased
import Testing
import WalletCore

struct SolanaTransactionTests {
    struct Case: Decodable {
        let name: String
        let version: String
        let signer_seeds: [String]
        let signer_keypair_json: [String]
        let signer_addresses: [String]
        let message: String
        let unsigned_transaction: String
        let signed_transaction: String
        let signature: String
        let account_key_count: Int
        let instruction_count: Int
        let lookup_count: Int
    }

    struct Fixture: Decodable { let cases: [Case] }

    static func cases() throws -> [Case] {
        let data = try Data(contentsOf: TestVectors.directory.appendingPathComponent("generated/solana_transactions_solders.json"))
        return try JSONDecoder().decode(Fixture.self, from: data).cases
    }

    static func bytes(_ base64: String) -> [UInt8] { [UInt8](Data(base64Encoded: base64)!) }

    /// Same bytes as solders (ed25519 is deterministic on swift-crypto's BoringSSL backend).
    @Test func signsLikeSolders() throws {
        let cases = try Self.cases()
        #expect(cases.count == 4)
        for test in cases {
            let keypairs = try test.signer_seeds.map { try SolanaKeypair(seed: SecretBytes(hex($0))) }
            #expect(keypairs.map(\.address) == test.signer_addresses)
            var transaction = try SolanaTransaction(base64: test.unsigned_transaction)
            #expect(transaction.message.version == (test.version == "v0" ? .v0 : .legacy), "\(test.name)")
            #expect(transaction.message.accountKeys.count == test.account_key_count)
            #expect(transaction.message.instructions.count == test.instruction_count)
            #expect(transaction.message.addressTableLookups.count == test.lookup_count)
            #expect(!transaction.isFullySigned && transaction.missingSigners == test.signer_addresses)
            #expect(transaction.serialized == Self.bytes(test.unsigned_transaction), "re-serialization is exact")
            try transaction.sign(with: keypairs.reversed())  // order of keys does not matter
            #expect(transaction.isFullySigned)
            #expect(transaction.transactionID == test.signature, "\(test.name)")
            #if os(Linux)
            #expect(transaction.base64 == test.signed_transaction, "\(test.name)")
            #endif
            // From the bare message, with Solana CLI keypair files.
            var built = try SolanaTransaction(messageBase64: test.message)
            try built.sign(with: test.signer_keypair_json.map { try SolanaKeypair(keypairJSON: Array($0.utf8)) })
            #expect(built == transaction)
            // solders' signed transaction parses, and its signatures verify.
            let theirs = try SolanaTransaction(base64: test.signed_transaction)
            #expect(theirs.isFullySigned && theirs.transactionID == test.signature)
        }
    }

    /// Signing one of two signers leaves the other slot empty; adding the second completes it.
    @Test func partialSigningCompletesLater() throws {
        let test = try #require(try Self.cases().first { $0.signer_seeds.count == 2 })
        let keypairs = try test.signer_seeds.map { try SolanaKeypair(seed: SecretBytes(hex($0))) }
        var transaction = try SolanaTransaction(base64: test.unsigned_transaction)
        try transaction.sign(with: [keypairs[1]])
        #expect(transaction.missingSigners == [test.signer_addresses[0]])
        var resumed = try SolanaTransaction(base64: transaction.base64)
        try resumed.sign(with: [keypairs[0]])
        #expect(resumed.isFullySigned && resumed.transactionID == test.signature)
    }

    @Test func rejectsKeysThatAreNotSigners() throws {
        let test = try Self.cases()[0]
        var transaction = try SolanaTransaction(base64: test.unsigned_transaction)
        let stranger = try SolanaKeypair(seed: SecretBytes([UInt8](repeating: 9, count: 32)))
        #expect(throws: SolanaTransactionError.self) { try transaction.sign(with: [stranger]) }
        do { try transaction.sign(with: [stranger]) } catch {
            #expect(error.description.contains("is not a required signer") && error.description.contains(stranger.address))
        }
    }

    /// A signed transaction whose message was altered afterwards is refused.
    @Test func rejectsSignaturesThatDoNotVerify() throws {
        let test = try Self.cases()[0]
        var bytes = Self.bytes(test.signed_transaction)
        bytes[bytes.count - 1] ^= 1  // last byte of the last instruction's data
        #expect(throws: SolanaTransactionError.self) { try SolanaTransaction(serialized: bytes) }
    }

    @Test func rejectsMalformedTransactions() throws {
        let unsigned = Self.bytes(try Self.cases()[1].unsigned_transaction)  // legacy, two signers
        var wrongCount = unsigned
        wrongCount[0] = 1
        var noSigners = [UInt8(0)] + Array(unsigned[129...])
        noSigners[1] = 0  // header: zero required signatures
        var allReadonly = unsigned
        allReadonly[129 + 1] = 2
        var payerAsProgram = Self.bytes(try Self.cases()[0].unsigned_transaction)
        let legacyOne = payerAsProgram
        let instructionStart = 65 + 3 + 1 + 3 * 32 + 32 + 1
        payerAsProgram[instructionStart] = 0
        var programOutOfRange = legacyOne
        programOutOfRange[instructionStart] = 9
        var accountOutOfRange = legacyOne
        accountOutOfRange[instructionStart + 2] = 7
        var duplicateKeys = legacyOne
        duplicateKeys.replaceSubrange(65 + 3 + 1 + 32..<65 + 3 + 1 + 64, with: legacyOne[65 + 3 + 1..<65 + 3 + 1 + 32])
        var version1 = Self.bytes(try Self.cases()[2].unsigned_transaction)
        version1[65] = 0x81
        let cases: [(String, [UInt8])] = [
            ("truncated", []),
            ("truncated", Array(unsigned.dropLast())),
            ("truncated", Array(unsigned.prefix(100))),
            ("after its message", unsigned + [0]),
            ("carries 1 signatures but its message requires 2", Array(wrongCount[0..<65]) + Array(unsigned[129...])),
            ("requires no signatures", noSigners),
            ("fee payer must be writable", allReadonly),
            ("calls the fee payer as its program", payerAsProgram),
            ("program index 9", programOutOfRange),
            ("refers to account 7", accountOutOfRange),
            ("same account key twice", duplicateKeys),
            ("unsupported message version 1", version1),
            ("not minimally encoded", [0x81, 0x00]),
            ("exceeds 65535", [0xFF, 0xFF, 0x04]),
            ("at most 1232", [UInt8](repeating: 0, count: 1233)),
        ]
        for (expected, bytes) in cases {
            do {
                _ = try SolanaTransaction(serialized: bytes)
                Issue.record("accepted: \(expected)")
            } catch {
                #expect(error.description.contains(expected), "\(expected): \(error.description)")
            }
        }
        #expect(throws: SolanaTransactionError.self) { try SolanaTransaction(base64: "not base64!") }
        #expect(throws: SolanaTransactionError.self) { try SolanaTransaction(base64: "  ") }
        #expect(throws: SolanaTransactionError.self) { try SolanaTransaction(messageBase64: try Self.cases()[0].unsigned_transaction) }
    }

    @Test func rejectsBadKeypairs() throws {
        let valid = try Self.cases()[0].signer_keypair_json[0]
        var numbers = try JSONDecoder().decode([Int].self, from: Data(valid.utf8))
        numbers[40] ^= 1
        let mismatched = "[" + numbers.map(String.init).joined(separator: ",") + "]"
        for (expected, text) in [
            ("does not match", mismatched), ("64 numbers", "[1,2,3]"), ("not a JSON array", "[256" + String(repeating: ",1", count: 63) + "]"),
            ("not a JSON array", "{}"), ("not a JSON array", ""),
        ] {
            do {
                _ = try SolanaKeypair(keypairJSON: Array(text.utf8))
                Issue.record("accepted: \(expected)")
            } catch {
                #expect(error.description.contains(expected), "\(error.description)")
                #expect(!error.description.contains("[") , "no key material in \(error.description)")
            }
        }
        #expect(throws: SolanaTransactionError.self) { try SolanaKeypair(seed: SecretBytes([1, 2, 3])) }
    }

    /// Arbitrary bytes, and single-byte corruptions of a valid transaction, never crash the parser.
    @Test func arbitraryInputIsRejectedCleanly() async throws {
        let valid = Self.bytes(try Self.cases()[3].unsigned_transaction)
        await propertyCheck(count: 300, input: Gen.uint8().array(of: 0...300)) { bytes in
            _ = try? SolanaTransaction(serialized: bytes)
            _ = try? SolanaMessage(serialized: bytes)
        }
        await propertyCheck(count: 300, input: Gen.int(in: 0...(valid.count - 1)), Gen.uint8()) { position, value in
            var corrupted = valid
            corrupted[position] = value
            _ = try? SolanaTransaction(serialized: corrupted)
        }
    }

    /// Signatures made here verify with swift-crypto's verifier over the message bytes.
    @Test func randomKeysSignVerifiably() async throws {
        let message = try SolanaMessage(serialized: Self.bytes(try Self.cases()[0].message))
        await propertyCheck(count: 30, input: Gen.uint8().array(of: 32)) { seed throws in
            let keypair = try SolanaKeypair(seed: SecretBytes(seed))
            let signature = try keypair.sign(message.serialized)
            let verifier = try Curve25519.Signing.PublicKey(rawRepresentation: keypair.publicKey)
            #expect(verifier.isValidSignature(signature, for: message.serialized))
        }
    }
}
