import CofferBase

extension EthereumTransaction {
    /// Parses a signing request (snake_case JSON, big values as decimal strings):
    ///
    ///     {"type":2,"nonce":0,"max_priority_fee_per_gas":"1000000000","max_fee_per_gas":"30000000000",
    ///      "gas":21000,"to":"0x…","value":"1000000000000000000","data":"0x","access_list":[]}
    ///
    /// Type 0 and 1 use `gas_price` instead of the two fee fields; `to` absent or null creates a
    /// contract; `data` defaults to empty and `access_list` (types 1 and 2 only) to `[]`.
    /// Unknown fields, wrong types, negative or fractional numbers, bad hex and bad EIP-55
    /// checksums are refused with the field's name. The chain id comes from the caller, who
    /// knows which network it is signing for.
    public init(json text: [UInt8], chainID: EthereumQuantity) throws(EthereumTransactionError) {
        self = try EthereumTransactionError.converting(prefix: "transaction: ") {
            try EthereumTransaction(request: try JSONValue(parsing: text), chainID: chainID)
        }
    }

    private init(request: JSONValue, chainID: EthereumQuantity) throws {
        let fields = try JSONObjectReader(request, path: "")
        let typeValue = try fields.required("type").ethereumQuantity(field: "type")
        guard let type = typeValue.uint64, type <= 2 else {
            throw EthereumTransactionError("transaction: type must be 0, 1 or 2, got \(typeValue)")
        }
        let common: Set = ["type", "nonce", "gas", "to", "value", "data"]
        let fees: Fees
        switch type {
        case 0:
            try fields.rejectUnknown(allowed: common.union(["gas_price"]))
            fees = .legacy(gasPrice: try fields.required("gas_price").ethereumQuantity(field: "gas_price"))
        case 1:
            try fields.rejectUnknown(allowed: common.union(["gas_price", "access_list"]))
            fees = .accessList(gasPrice: try fields.required("gas_price").ethereumQuantity(field: "gas_price"))
        default:
            try fields.rejectUnknown(allowed: common.union(["max_priority_fee_per_gas", "max_fee_per_gas", "access_list"]))
            fees = .dynamic(
                maxPriorityFeePerGas: try fields.required("max_priority_fee_per_gas").ethereumQuantity(field: "max_priority_fee_per_gas"),
                maxFeePerGas: try fields.required("max_fee_per_gas").ethereumQuantity(field: "max_fee_per_gas"))
        }
        var to: [UInt8]?
        if let value = fields.optional("to"), value != .null { to = try value.ethereumAddress(field: "to") }
        let data = try fields.optional("data").map { value throws(JSONError) in try value.ethereumHexBytes(field: "data") } ?? []
        let accessList = try fields.optional("access_list").map(Self.accessList) ?? []
        try self.init(
            chainID: chainID, nonce: try fields.required("nonce").ethereumQuantity(field: "nonce"), fees: fees,
            gasLimit: try fields.required("gas").ethereumQuantity(field: "gas"), to: to,
            value: try fields.required("value").ethereumQuantity(field: "value"), data: data, accessList: accessList)
    }

    private static func accessList(_ value: JSONValue) throws -> [EthereumAccessListEntry] {
        guard case .array(let entries) = value else {
            throw JSONError("access_list must be an array, got \(value.kindName)")
        }
        return try entries.enumerated().map { index, entry in
            let entryFields = try JSONObjectReader(entry, path: "access_list[\(index)]")
            try entryFields.rejectUnknown(allowed: ["address", "storage_keys"])
            let address = try entryFields.required("address").ethereumAddress(field: entryFields.path(of: "address"))
            let keys = try entryFields.array("storage_keys").enumerated().map { keyIndex, key in
                try key.ethereumHexBytes(field: "\(entryFields.path(of: "storage_keys"))[\(keyIndex)]", count: 32)
            }
            return try EthereumAccessListEntry(address: address, storageKeys: keys)
        }
    }
}
