import Testing
import WalletCore

/// The snake_case signing-request format: accepted forms, and one clear error per mistake.
@Suite("Ethereum transaction requests (JSON)")
struct EthereumTransactionJSONTests {
    static let to = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

    static func parse(_ json: String, chainID: UInt64 = 1) throws -> EthereumTransaction {
        try EthereumTransaction(json: Array(json.utf8), chainID: EthereumQuantity(chainID))
    }

    @Test func acceptedForms() throws {
        let transaction = try Self.parse(#"{"type":2,"nonce":"0x10","max_priority_fee_per_gas":1,"max_fee_per_gas":"2","gas":21000,"to":"\#(Self.to.lowercased())","value":"1000000000000000000000"}"#)
        #expect(transaction.type == 2)
        #expect(transaction.nonce == EthereumQuantity(16))
        #expect(transaction.data.isEmpty && transaction.accessList.isEmpty)
        #expect(transaction.value.description == "1000000000000000000000")
        #expect(transaction.to == (try EthereumAddress.decode(Self.to)))
        let creation = try Self.parse(#"{"type":0,"nonce":0,"gas_price":"1","gas":53000,"to":null,"value":"0","data":"0x6000"}"#)
        #expect(creation.to == nil && creation.data == [0x60, 0x00])
    }

    @Test("each mistake is one line naming the field", arguments: [
        (#"{"type":2,"nonce":0,"max_priority_fee_per_gas":"1","max_fee_per_gas":"2","gas":21000,"value":"0","fee":"1"}"#, "unknown field fee"),
        (#"{"type":0,"nonce":0,"gas_price":"1","gas":21000,"value":"0","access_list":[]}"#, "unknown field access_list"),
        (#"{"type":2,"nonce":0,"max_fee_per_gas":"2","gas":21000,"value":"0"}"#, "missing required field max_priority_fee_per_gas"),
        (#"{"nonce":0,"gas_price":"1","gas":21000,"value":"0"}"#, "missing required field type"),
        (#"{"type":3,"nonce":0,"gas_price":"1","gas":21000,"value":"0"}"#, "type must be 0, 1 or 2"),
        (#"{"type":0,"nonce":-1,"gas_price":"1","gas":21000,"value":"0"}"#, "nonce: -1 is negative"),
        (#"{"type":0,"nonce":0,"gas_price":"1.5","gas":21000,"value":"0"}"#, "gas_price: 1.5 is not a whole number"),
        (#"{"type":0,"nonce":0,"gas_price":"1","gas":2.1e4,"value":"0"}"#, "gas: 2.1e4 is not a whole number"),
        (#"{"type":0,"nonce":0,"gas_price":"1","gas":true,"value":"0"}"#, "gas must be a non-negative integer"),
        (#"{"type":0,"nonce":0,"gas_price":"1","gas":1,"value":"115792089237316195423570985008687907853269984665640564039457584007913129639936"}"#, "value: "),
        (#"{"type":0,"nonce":0,"gas_price":"1","gas":1,"value":"0","data":"0x6"}"#, "data: invalid hex"),
        (#"{"type":0,"nonce":0,"gas_price":"1","gas":1,"value":"0","data":"60"}"#, "data must be a 0x-prefixed hex string"),
        (#"{"type":0,"nonce":0,"gas_price":"1","gas":1,"value":"0","to":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"}"#, "to: ethereum address has a wrong EIP-55 checksum"),
        (#"{"type":0,"nonce":0,"gas_price":"1","gas":1,"value":"0","to":"0x1234"}"#, "to: ethereum address must have 40 hex digits"),
        (#"{"type":1,"nonce":0,"gas_price":"1","gas":1,"value":"0","access_list":[{"address":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","storage_keys":["0x01"]}]}"#, "access_list[0].storage_keys[0] must be 32 bytes"),
        (#"{"type":1,"nonce":0,"gas_price":"1","gas":1,"value":"0","access_list":[{"address":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"}]}"#, "missing required field access_list[0].storage_keys"),
        (#"{"type":1,"nonce":0,"gas_price":"1","gas":1,"value":"0","access_list":[{"address":"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed","storage_keys":[],"x":1}]}"#, "unknown field access_list[0].x"),
        (#"{"type":1,"nonce":0,"gas_price":"1","gas":1,"value":"0","access_list":{}}"#, "access_list must be an array"),
        (#"{"type":0,"nonce":0,"nonce":1,"gas_price":"1","gas":1,"value":"0"}"#, "duplicate key"),
        (#"[1]"#, "must be a JSON object"),
        (#"{"type":0,"#, "invalid JSON"),
    ])
    func refuses(json: String, fragment: String) {
        #expect {
            try Self.parse(json)
        } throws: { error in
            let message = "\(error)"
            return message.contains(fragment) && !message.contains("\n")
        }
    }
}
