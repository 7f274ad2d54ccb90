import Foundation
import Testing
import WalletCore

/// Specific malformed encodings each get a clear one-line error.
struct BitcoinStrictParsingTests {
    /// version 2, one input spending 11..11:0, one OP_RETURN output, lock time 0.
    static let legacy = hex("02000000011111111111111111111111111111111111111111111111111111111111111111000000000000000000010000000000000000016a00000000")

    static func expectError(_ bytes: [UInt8], containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try BitcoinTransaction(serialized: bytes)
            Issue.record("accepted", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
            #expect(!error.description.contains("\n"), sourceLocation: sourceLocation)
        }
    }

    @Test func transactionErrors() throws {
        let transaction = try BitcoinTransaction(serialized: Self.legacy)
        #expect(transaction.serialized() == Self.legacy)
        #expect(transaction.inputs[0].sequence == 0)
        Self.expectError(Self.legacy + [0x00], containing: "trailing")
        Self.expectError(Array(Self.legacy.dropLast()), containing: "truncated")
        // Non-canonical CompactSize for the input count (0xfd 0x01 0x00 instead of 0x01).
        Self.expectError(Array(Self.legacy[0..<4]) + [0xFD, 0x01, 0x00] + Array(Self.legacy[5...]), containing: "non-canonical")
        // Segwit marker with an unknown flag, and segwit form with no witness at all.
        Self.expectError(Array(Self.legacy[0..<4]) + [0x00, 0x02] + Array(Self.legacy[4...]), containing: "flag")
        Self.expectError(Array(Self.legacy[0..<4]) + [0x00, 0x01] + Array(Self.legacy[4..<(Self.legacy.count - 4)]) + [0x00, 0, 0, 0, 0], containing: "every witness is empty")
        // A forged huge output count cannot allocate.
        Self.expectError(Array(Self.legacy[0..<46]) + [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F], containing: "truncated")
    }

    static func psbt(global: [UInt8] = [], input: [UInt8] = [], trailing: [UInt8] = []) -> [UInt8] {
        PSBT.magic + [0x01, 0x00, UInt8(legacy.count)] + legacy + global + [0x00] + input + [0x00] + [0x00] + trailing
    }

    static func expectPSBTError(_ bytes: [UInt8], containing text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        do {
            _ = try PSBT(serialized: bytes)
            Issue.record("accepted", sourceLocation: sourceLocation)
        } catch {
            #expect(error.description.contains(text), "\(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func psbtErrors() throws {
        let minimal = try PSBT(serialized: Self.psbt())
        #expect(minimal.serialized == Self.psbt())
        #expect(try PSBT(unsignedTransaction: minimal.unsignedTransaction) == minimal)
        Self.expectPSBTError(Array(Self.psbt().dropFirst()), containing: "magic")
        Self.expectPSBTError(Self.psbt(trailing: [0x00]), containing: "unexpected bytes")
        Self.expectPSBTError(Self.psbt(global: [0x01, 0xFB, 0x04, 0x02, 0x00, 0x00, 0x00]), containing: "version 2 is not supported")
        Self.expectPSBTError(Self.psbt(global: [0x01, 0x02, 0x04, 0x02, 0x00, 0x00, 0x00]), containing: "version 2")
        Self.expectPSBTError(Self.psbt(input: [0x01, 0x0E, 0x20] + [UInt8](repeating: 1, count: 32)), containing: "PSBT version 2")
        Self.expectPSBTError(Self.psbt(input: [0x01, 0x03, 0x02, 0x01, 0x00]), containing: "PSBT_IN_SIGHASH_TYPE must be 4 bytes")
        Self.expectPSBTError(Self.psbt(input: [0x01, 0x17, 0x21, 0x02] + [UInt8](repeating: 1, count: 32)), containing: "PSBT_IN_TAP_INTERNAL_KEY must be 32 bytes")
        Self.expectPSBTError(Self.psbt(input: [0x01, 0x03, 0x04, 0x01, 0, 0, 0, 0x01, 0x03, 0x04, 0x01, 0, 0, 0]), containing: "duplicate key")
        Self.expectPSBTError(Array(Self.psbt().dropLast(2)), containing: "truncated")
        #expect(throws: PSBTError.self) { try PSBT(base64: "cHNidP8@") }
        // Unknown input types survive, and the sighash type reads back.
        let withUnknown = Self.psbt(input: [0x01, 0x03, 0x04, 0x83, 0, 0, 0, 0x02, 0xF0, 0x01, 0x01, 0x2A])
        let parsed = try PSBT(serialized: withUnknown)
        #expect(parsed.inputs[0].sighashType == .singleAnyoneCanPay)
        #expect(parsed.inputs[0].entries.last == PSBTKeyValue(keyType: 0xF0, keyData: [0x01], value: [0x2A]))
        #expect(parsed.serialized == withUnknown)
    }
}
