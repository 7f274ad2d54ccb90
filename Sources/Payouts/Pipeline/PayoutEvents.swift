public import CofferBase
public import CofferStorage
import Chains

extension Payout {
    /// The payout as events and views show it (stored names; amounts as decimal strings).
    public var eventData: JSONValue {
        .object([
            ("id", .string(id)), ("status", .string(status.rawValue)), ("chain", .string(chain)), ("account", .string(account)),
            ("to", .string(destination)), ("asset", .string(asset)), ("token", token.isEmpty ? .null : .string(token)),
            ("amount", .string(String(amount))), ("fee_hold", .string(String(feeHold))), ("reason", reason.map { .string($0) } ?? .null),
            ("batch_id", batchID.map { .string($0) } ?? .null), ("txid", transactionID.map { .string($0) } ?? .null),
            ("fee", fee.map { .string(String($0)) } ?? .null), ("confirmations", .integer(confirmations)),
            ("block_height", blockHeight.map { .integer($0) } ?? .null), ("transfer_id", .string(transferID)),
        ])
    }
}

/// The `payout.*` events, appended in the transaction of the change they describe.
public enum PayoutEvents {
    /// One `payout.<status>` event per payout of `batch`, as they stand on `connection` now.
    public static func appendBatch(_ batch: String, at time: Int64, on connection: any SQLConnection) throws {
        let payouts = try PayoutStore.payouts(batch: batch, on: connection).map(\.payout)
        try append(payouts, at: time, on: connection)
    }

    public static func append(_ payouts: [Payout], at time: Int64, on connection: any SQLConnection) throws {
        try EventOutbox.append(payouts.map { (scope: $0.scope, type: "payout.\($0.status.rawValue)", subject: $0.id, data: $0.eventData) }, at: time, on: connection)
    }
}
