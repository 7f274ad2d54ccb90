/// What a TRON transaction pays: TRX (`TransferContract`) or a TRC-20 token
/// (`TriggerSmartContract` calling `transfer(address,uint256)`), decoded from `raw_data` so a
/// signing policy can compare it with the stated intent.
public struct TronTransfer: Sendable, Equatable {
    /// Base58Check "T..." address of the recipient.
    public let destination: String
    /// The token contract for TRC-20 transfers; nil for TRX.
    public let tokenContract: String?
    /// SUN for TRX; the token's smallest units for TRC-20 (big-endian, minimal bytes).
    public let amount: [UInt8]

    static let transferContract: UInt64 = 1
    static let triggerSmartContract: UInt64 = 31
    static let transferSelector: [UInt8] = [0xA9, 0x05, 0x9C, 0xBB]

    /// Decodes a transaction with exactly one contract; anything else is refused with the reason.
    public init(rawData: [UInt8]) throws(TronTransactionError) {
        let raw = try TronRawData(rawData)
        guard raw.contracts.count == 1 else {
            throw TronTransactionError("the transaction has \(raw.contracts.count) contracts; only single transfers can be checked")
        }
        var contract = ProtobufReader(raw.contracts[0])
        var type: UInt64?, parameter: [UInt8]?
        while !contract.isAtEnd {
            let (field, wireType) = try contract.readKey()
            switch (field, wireType) {
            case (1, 0): type = try contract.readVarint()
            case (2, 2): parameter = try contract.readLengthDelimited()
            default: try contract.skip(wireType: wireType, field: field)
            }
        }
        guard let type, let parameter else { throw TronTransactionError("the contract has no type or parameter") }
        var any = ProtobufReader(parameter)
        var value: [UInt8]?
        while !any.isAtEnd {
            let (field, wireType) = try any.readKey()
            if field == 2 && wireType == 2 { value = try any.readLengthDelimited() } else { try any.skip(wireType: wireType, field: field) }
        }
        guard let value else { throw TronTransactionError("the contract parameter has no value") }
        var fields: [UInt64: [UInt8]] = [:]
        var numbers: [UInt64: UInt64] = [:]
        var message = ProtobufReader(value)
        while !message.isAtEnd {
            let (field, wireType) = try message.readKey()
            switch wireType {
            case 2: fields[field] = try message.readLengthDelimited()
            case 0: numbers[field] = try message.readVarint()
            default: try message.skip(wireType: wireType, field: field)
            }
        }
        switch type {
        case Self.transferContract:
            guard let to = fields[2], to.count == 21, to[0] == TronAddress.prefix else {
                throw TronTransactionError("TransferContract has no valid to_address")
            }
            let sun = numbers[3] ?? 0
            destination = Base58.encodeCheck(to)
            tokenContract = nil
            amount = Array((0..<8).map { UInt8(truncatingIfNeeded: sun >> (56 - 8 * UInt64($0))) }.drop(while: { $0 == 0 }))
        case Self.triggerSmartContract:
            guard let contractAddress = fields[2], contractAddress.count == 21, contractAddress[0] == TronAddress.prefix else {
                throw TronTransactionError("TriggerSmartContract has no valid contract_address")
            }
            guard (numbers[3] ?? 0) == 0 else { throw TronTransactionError("a TRC-20 transfer must not also send TRX (call_value must be 0)") }
            let data = fields[4] ?? []
            guard data.count == 68, Array(data[0..<4]) == Self.transferSelector, data[4..<16].allSatisfy({ $0 == 0 }) else {
                throw TronTransactionError("the contract call is not a TRC-20 transfer(address,uint256)")
            }
            destination = Base58.encodeCheck([TronAddress.prefix] + data[16..<36])
            tokenContract = Base58.encodeCheck(contractAddress)
            amount = Array(data[36..<68].drop(while: { $0 == 0 }))
        default:
            throw TronTransactionError("contract type \(type) is not a transfer (TransferContract or TRC-20 TriggerSmartContract)")
        }
    }
}
