import CofferBase
import Foundation
import Ledger

/// The JSON Lines input of `coffer ledger transfer`: every line is checked before any is
/// submitted, so unusable input writes nothing.
enum TransferLines {
    static func parse(_ data: Data) throws -> [Ledger.Transfer] {
        var transfers: [Ledger.Transfer] = []
        var lineNumber = 0
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.last == UInt8(ascii: "\r") ? line.dropLast() : line
            if trimmed.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            do {
                transfers.append(try TransferJSON.decode(trimmed))
            } catch {
                throw LedgerError("line \(lineNumber): \(error.description); nothing was written")
            }
        }
        guard !transfers.isEmpty else { throw LedgerError("no transfers on standard input; send one JSON object per line") }
        return transfers
    }

    /// Splits into batches of at most 8,000, cutting after a transfer that closes a linked chain when one is near.
    static func batches(_ transfers: [Ledger.Transfer]) -> [[Ledger.Transfer]] {
        var batches: [[Ledger.Transfer]] = []
        var start = 0
        while start < transfers.count {
            var end = min(start + LedgerEngine.maximumBatchSize, transfers.count)
            if end < transfers.count, let cut = (start..<end).last(where: { !transfers[$0].flags.contains(.linked) }) {
                end = cut + 1
            }
            batches.append(Array(transfers[start..<end]))
            start = end
        }
        return batches
    }
}
