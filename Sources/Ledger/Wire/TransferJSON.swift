import CofferBase
import Foundation

/// A transfer as JSON, the same on the command line (one object per line of `coffer ledger
/// transfer`) and over HTTP (`POST /v1/transfers`): ids, amounts and asset as strings, flags as
/// names, `timeout` and `code` as whole numbers; unknown fields are refused.
public enum TransferJSON {
    public static let fields = Set(PlainTransferJSON.Field.allCases.map(\.rawValue))

    /// Decodes one transfer object, naming the first problem: malformed JSON, an unknown field, a
    /// wrong type, a malformed id, amount, asset code or flag.
    public static func decode(_ json: some ContiguousBytes) throws(LedgerError) -> Transfer {
        if let plain = json.withUnsafeBytes({ bytes in PlainTransferJSON.wire(bytes) }) { return try transfer(from: plain) }
        return try decodeWithoutFastPath(json.withUnsafeBytes { bytes in Array(bytes) })
    }

    /// `decode` without its fast path: the strict `JSONDecoding` reads every object.
    static func decodeWithoutFastPath(_ json: [UInt8]) throws(LedgerError) -> Transfer {
        try transfer(from: try wire(WireTransfer.self, from: json))
    }

    /// Decodes `{"transfers":[...]}`: 1 to `LedgerEngine.maximumBatchSize` objects, each read
    /// exactly as `decode` reads one; a problem names the item's index.
    public static func decodeBatch(_ json: some Collection<UInt8>) throws(LedgerError) -> [Transfer] {
        let batch = try wire(WireBatch.self, from: json)
        guard !batch.transfers.isEmpty, batch.transfers.count <= LedgerEngine.maximumBatchSize else {
            throw LedgerError("a batch holds 1 to \(LedgerEngine.maximumBatchSize) transfers; got \(batch.transfers.count)")
        }
        var transfers: [Transfer] = []
        transfers.reserveCapacity(batch.transfers.count)
        for (index, item) in batch.transfers.enumerated() {
            do {
                transfers.append(try transfer(from: try wire(WireTransfer.self, from: item)))
            } catch {
                throw LedgerError("transfers[\(index)]: \(error.description)")
            }
        }
        return transfers
    }

    /// Parses the JSON strictly (exact types, unknown fields refused), naming the field at fault.
    static func wire<T: Decodable>(_ type: T.Type, from json: some Collection<UInt8>) throws(LedgerError) -> T {
        do {
            return try JSONDecoding.decode(T.self, from: json)
        } catch {
            throw LedgerError(error.description)
        }
    }

    static func wire<T: Decodable>(_ type: T.Type, from value: JSONValue) throws(LedgerError) -> T {
        do {
            return try JSONDecoding.decode(T.self, from: value)
        } catch {
            throw LedgerError(error.description)
        }
    }

    private static func transfer(from wire: WireTransfer) throws(LedgerError) -> Transfer {
        guard let idText = wire.id else { throw LedgerError("id is missing") }
        // PostgreSQL cannot store U+0000 in text: refused on every store alike.
        for (name, text) in [("reference", wire.reference), ("metadata", wire.metadata)] where text?.utf8.contains(0) == true {
            throw LedgerError("\(name) contains a NUL character (U+0000)")
        }
        let id = try LedgerID(validating: idText, field: "id")
        let debit = try wire.debit.map { text throws(LedgerError) in try LedgerID(validating: text, field: "debit") }
        let credit = try wire.credit.map { text throws(LedgerError) in try LedgerID(validating: text, field: "credit") }
        let pendingID = try wire.pendingID.map { text throws(LedgerError) in try LedgerID(validating: text, field: "pending_id") }
        let amount = try wire.amount.map { text throws(LedgerError) in try LedgerError.checking { () throws(AmountError) in try AmountText.parse(text, field: "amount") } } ?? 0
        if let asset = wire.asset { try Asset.validate(code: asset) }
        var flags: TransferFlags = []
        for name in wire.flags ?? [] {
            guard let flag = TransferFlags.names.first(where: { $0.name == name }) else {
                throw LedgerError("unknown flag \"\(name.prefix(40))\"; flags are \(TransferFlags.names.map(\.name).joined(separator: ", "))")
            }
            flags.insert(flag.flag)
        }
        return Transfer(
            id: id, debitAccountID: debit, creditAccountID: credit, amount: amount, asset: wire.asset, flags: flags, pendingID: pendingID,
            timeout: wire.timeout ?? 0, code: wire.code ?? 0, reference: wire.reference ?? "", metadata: wire.metadata ?? "")
    }

    /// A batch as it arrives; its only field is `transfers`, each item read on its own so that
    /// a problem is named by the item's index.
    struct WireBatch: Decodable {
        let transfers: [JSONValue]
    }

    /// The fields as they arrive; the strict decoder refuses unknown keys and wrong types.
    struct WireTransfer: Decodable, Equatable {
        var id, debit, credit, amount, asset, pendingID, reference, metadata: String?
        var flags: [String]?
        var timeout: UInt32?
        var code: UInt16?

        /// No field yet (the fast path fills them).
        init() {}

        enum CodingKeys: String, CodingKey {
            case id, debit, credit, amount, asset, pendingID = "pending_id", reference, metadata, flags, timeout, code
        }
    }
}
