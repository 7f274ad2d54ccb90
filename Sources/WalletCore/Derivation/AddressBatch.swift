import Foundation

/// Streams `count` addresses from `start` in index order, derived on every core, in constant memory.
public struct AddressBatch: Sendable {
    public let deriver: AddressDeriver
    public let start: UInt32
    public let count: UInt32
    public let format: AddressRecordFormat
    public let metadata: AddressMetadata
    /// Addresses per unit of work handed to a thread.
    public var chunkSize: Int = 512
    public var workers: Int = ProcessInfo.processInfo.activeProcessorCount

    /// Checks that every index of the range is a valid non-hardened index (below 2^31).
    public init(deriver: AddressDeriver, start: UInt32, count: UInt32, format: AddressRecordFormat, metadata: AddressMetadata) throws(DerivationError) {
        guard count > 0 else { throw DerivationError("count must be at least 1") }
        let last = UInt64(start) + UInt64(count) - 1
        guard last < UInt64(ChildIndex.hardenedOffset) else { throw DerivationError.indexOutOfRange(last) }
        self.deriver = deriver
        self.start = start
        self.count = count
        self.format = format
        self.metadata = metadata
    }

    /// Writes the header (CSV) and every record through `write`, in order. `progress` is called
    /// on the calling thread after each chunk with the number of records written so far.
    public func stream(write: ([UInt8]) throws -> Void, progress: (UInt32) -> Void = { _ in }) throws {
        let header = format.header(metadata: metadata)
        if !header.isEmpty { try write(header) }
        let chunkSize = UInt32(max(1, self.chunkSize))
        let chunkCount = Int((count + chunkSize - 1) / chunkSize)
        let batch = self
        var written: UInt32 = 0
        try OrderedParallelPipeline.run(chunkCount: chunkCount, workers: workers) { chunk in
            let first = batch.start + UInt32(chunk) * chunkSize
            let end = first + min(chunkSize, batch.count - UInt32(chunk) * chunkSize)
            var buffer = [UInt8]()
            buffer.reserveCapacity(Int(end - first) * 192)
            for record in try batch.deriver.derive(range: first..<end) {
                batch.format.append(record, metadata: batch.metadata, to: &buffer)
            }
            return buffer
        } consume: { output in
            try write(output)
            written += min(chunkSize, count - written)
            progress(written)
        }
    }
}
