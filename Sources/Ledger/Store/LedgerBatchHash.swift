import CofferBase
import Crypto

/// The tamper-evidence chain: each batch's hash is SHA-256 over the previous batch's hash, the
/// batch number and a canonical, length-prefixed encoding of its transfers and pending outcomes.
public enum LedgerBatchHash {
    /// The previous hash of the first batch.
    public static let genesis = [UInt8](repeating: 0, count: 32)

    public static func compute(previous: [UInt8], seq: Int64, transfers: [CommittedTransfer], outcomes: [PendingOutcome]) -> [UInt8] {
        var hasher = SHA256()
        var encoder = CanonicalEncoder()
        encoder.output.reserveCapacity(64 + transfers.count * 256 + outcomes.count * 96)
        encoder.bytes(Array("coffer-ledger-batch-v1".utf8))
        encoder.bytes(previous)
        encoder.integer(UInt64(bitPattern: seq))
        encoder.integer(UInt64(transfers.count))
        for transfer in transfers {
            let request = transfer.request
            encoder.text(transfer.id.value)
            encoder.text(transfer.debitAccountID.value)
            encoder.text(transfer.creditAccountID.value)
            encoder.text(transfer.asset)
            encoder.amount(transfer.amount)
            encoder.text(request.debitAccountID?.value ?? "\u{0}")
            encoder.text(request.creditAccountID?.value ?? "\u{0}")
            encoder.text(request.asset ?? "\u{0}")
            encoder.amount(request.amount)
            encoder.integer(UInt64(request.flags.rawValue))
            encoder.text(request.pendingID?.value ?? "\u{0}")
            encoder.integer(UInt64(request.timeout))
            encoder.integer(UInt64(request.code))
            encoder.text(request.reference)
            encoder.text(request.metadata)
            encoder.integer(transfer.timestamp)
        }
        encoder.integer(UInt64(outcomes.count))
        for outcome in outcomes {
            encoder.text(outcome.pendingID.value)
            encoder.text(outcome.kind.rawValue)
            encoder.text(outcome.transferID?.value ?? "\u{0}")
            encoder.integer(outcome.timestamp)
        }
        hasher.update(data: encoder.output)
        return Array(hasher.finalize())
    }
}

/// Length-prefixed big-endian fields, so no two different field lists encode alike.
struct CanonicalEncoder {
    var output: [UInt8] = []

    mutating func integer(_ value: UInt64) {
        withUnsafeBytes(of: value.bigEndian) { output.append(contentsOf: $0) }
    }

    mutating func bytes(_ value: [UInt8]) {
        integer(UInt64(value.count))
        output.append(contentsOf: value)
    }

    /// The UTF-8 bytes, copied straight from the string's storage (appending `value.utf8` byte by
    /// byte, or through `Array(value.utf8)`, was 40% of hashing a batch of 8,000 transfers).
    mutating func text(_ value: String) {
        let utf8 = value.utf8
        integer(UInt64(utf8.count))
        if utf8.withContiguousStorageIfAvailable({ output.append(contentsOf: $0) }) == nil { output.append(contentsOf: utf8) }
    }

    /// An amount as its decimal text, like `text(String(value))` without building the String.
    mutating func amount(_ value: UInt128) {
        AmountText.withDigits(of: value) { digits in bytes(digits) }
    }

    private mutating func bytes(_ value: UnsafeBufferPointer<UInt8>) {
        integer(UInt64(value.count))
        output.append(contentsOf: value)
    }
}
