import CofferBase
import Foundation

/// A transfer as JSON, the same on the command line (one object per line of `coffer ledger
/// transfer`) and over HTTP (`POST /v1/transfers`): ids, amounts and asset as strings, flags as
/// names, `timeout` and `code` as whole numbers; unknown fields are refused.
public enum TransferJSON {
    public static let fields = Set(PlainTransferJSON.Field.allCases.map(\.rawValue))

    private static let decoder = JSONDecoder()

    /// Decodes one transfer object, naming the first problem: malformed JSON, an unknown field, a
    /// wrong type, a malformed id, amount, asset code or flag.
    public static func decode(_ json: some ContiguousBytes) throws(LedgerError) -> Transfer {
        if let plain = json.withUnsafeBytes({ bytes in PlainTransferJSON.wire(bytes) }) { return try transfer(from: plain) }
        return try decodeWithFoundation(json as? Data ?? json.withUnsafeBytes { bytes in Data(bytes) })
    }

    /// `decode` without its fast path: Foundation's `JSONDecoder` reads every object.
    static func decodeWithFoundation(_ json: Data) throws(LedgerError) -> Transfer {
        try transfer(from: try wire(WireTransfer.self, from: json))
    }

    /// Decodes `{"transfers":[...]}`: 1 to `LedgerEngine.maximumBatchSize` objects, each read
    /// exactly as `decode` reads one; a problem names the item's index.
    public static func decodeBatch(_ json: Data) throws(LedgerError) -> [Transfer] {
        let batch = try wire(WireBatch.self, from: json)
        guard !batch.transfers.isEmpty, batch.transfers.count <= LedgerEngine.maximumBatchSize else {
            throw LedgerError("a batch holds 1 to \(LedgerEngine.maximumBatchSize) transfers; got \(batch.transfers.count)")
        }
        var transfers: [Transfer] = []
        transfers.reserveCapacity(batch.transfers.count)
        for (index, item) in batch.transfers.enumerated() {
            do {
                transfers.append(try transfer(from: item))
            } catch {
                throw LedgerError("transfers[\(index)]: \(error.description)")
            }
        }
        return transfers
    }

    /// Parses the JSON, turning decoding failures into one line that names the field.
    static func wire<T: Decodable>(_ type: T.Type, from json: Data) throws(LedgerError) -> T {
        do {
            return try decoder.decode(T.self, from: json)
        } catch let error as LedgerError {
            throw error
        } catch DecodingError.typeMismatch(_, let context), DecodingError.dataCorrupted(let context),
                DecodingError.keyNotFound(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
            throw LedgerError("\(field.isEmpty ? "a field" : field) has the wrong type or range, or is missing, or the text is not a JSON object (ids and amounts are strings; timeout and code whole numbers)")
        } catch {
            throw LedgerError("not a transfer object: \(error)")
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

    /// A batch as it arrives; its only field is `transfers`.
    struct WireBatch: Decodable {
        let transfers: [WireTransfer]

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: WireTransfer.Key.self)
            if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { $0 != "transfers" }) {
                throw LedgerError("unknown field \"\(unknown.prefix(40))\"; the only field is transfers")
            }
            transfers = try container.decode([WireTransfer].self, forKey: WireTransfer.Key(stringValue: "transfers"))
        }
    }

    /// The fields as they arrive; unknown keys are refused.
    struct WireTransfer: Decodable, Equatable {
        var id, debit, credit, amount, asset, pendingID, reference, metadata: String?
        var flags: [String]?
        var timeout: UInt32?
        var code: UInt16?

        /// No field yet (the fast path fills them).
        init() {}

        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            if let unknown = container.allKeys.map(\.stringValue).sorted().first(where: { !TransferJSON.fields.contains($0) }) {
                throw LedgerError("unknown field \"\(unknown.prefix(40))\"; fields are \(TransferJSON.fields.sorted().joined(separator: ", "))")
            }
            func text(_ name: String) throws -> String? { try container.decodeIfPresent(String.self, forKey: Key(stringValue: name)) }
            id = try text("id")
            debit = try text("debit")
            credit = try text("credit")
            amount = try text("amount")
            asset = try text("asset")
            pendingID = try text("pending_id")
            reference = try text("reference")
            metadata = try text("metadata")
            flags = try container.decodeIfPresent([String].self, forKey: Key(stringValue: "flags"))
            timeout = try container.decodeIfPresent(UInt32.self, forKey: Key(stringValue: "timeout"))
            code = try container.decodeIfPresent(UInt16.self, forKey: Key(stringValue: "code"))
        }
    }
}
