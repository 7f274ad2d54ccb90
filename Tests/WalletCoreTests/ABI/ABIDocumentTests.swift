import CofferBase
import Testing
import WalletCore

@Suite("ABI: contract ABI JSON")
struct ABIDocumentTests {
    static let json = #"""
    [
      {"type": "constructor", "inputs": [{"name": "owner", "type": "address"}], "stateMutability": "nonpayable"},
      {"type": "fallback", "stateMutability": "payable"},
      {"type": "receive", "stateMutability": "payable"},
      {"type": "function", "name": "transfer", "stateMutability": "nonpayable",
       "inputs": [{"name": "to", "type": "address", "internalType": "address"}, {"name": "amount", "type": "uint256"}],
       "outputs": [{"name": "", "type": "bool"}]},
      {"type": "function", "name": "submit", "stateMutability": "payable",
       "inputs": [{"name": "orders", "type": "tuple[]", "internalType": "struct Order[]", "components": [
          {"name": "maker", "type": "address"},
          {"name": "legs", "type": "tuple[2]", "components": [{"name": "token", "type": "address"}, {"name": "amount", "type": "uint128"}]},
          {"name": "memo", "type": "string"}]}],
       "outputs": []},
      {"type": "event", "name": "Transfer", "anonymous": false, "inputs": [
          {"name": "from", "type": "address", "indexed": true}, {"name": "to", "type": "address", "indexed": true},
          {"name": "value", "type": "uint256", "indexed": false}]},
      {"type": "event", "name": "Filled", "anonymous": false, "inputs": [
          {"name": "order", "type": "tuple", "indexed": true, "components": [{"name": "id", "type": "uint64"}, {"name": "tag", "type": "bytes"}]},
          {"name": "ids", "type": "uint256[]", "indexed": false}]},
      {"type": "error", "name": "InsufficientBalance", "inputs": [{"name": "available", "type": "uint256"}, {"name": "required", "type": "uint256"}]}
    ]
    """#

    @Test("functions, events and errors with tuple components")
    func parses() throws {
        let document = try ABIDocument(json: Self.json)
        #expect(document.functions.map(\.signature) == ["transfer(address,uint256)", "submit((address,(address,uint128)[2],string)[])"])
        #expect(document.functions[1].stateMutability == "payable")
        #expect(document.functions[1].inputs[0].components.map(\.name) == ["maker", "legs", "memo"])
        #expect(document.functions[1].inputs[0].components[1].components.map(\.name) == ["token", "amount"])
        #expect(document.events.map(\.signature) == ["Transfer(address,address,uint256)", "Filled((uint64,bytes),uint256[])"])
        #expect(document.events[0] == ERC20.transfer)
        #expect(document.errors.map(\.selectorHex) == [try ABIFunction(signature: "InsufficientBalance(uint256,uint256)").selectorHex])
        #expect(document.function(forCallData: hex("a9059cbb")) == document.functions[0])
        #expect(document.function(forCallData: hex("a905")) == nil)
        #expect(document.functions(named: "submit").count == 1 && document.events(named: "Filled").count == 1)

        let order = ABIValue.tuple([
            .address([UInt8](repeating: 0x11, count: 20)),
            .array([.tuple([.address([UInt8](repeating: 0x22, count: 20)), .uint(EthereumQuantity(5))]),
                    .tuple([.address([UInt8](repeating: 0x33, count: 20)), .uint(EthereumQuantity(uint128: UInt128.max))])]),
            .string("first"),
        ])
        let call = try document.functions[1].encodeCall([.array([order, order])])
        #expect(try document.function(forCallData: call)?.decodeCall(call) == [.array([order, order])])

        let filled = try document.events[1].encodeLog([.tuple([.uint(EthereumQuantity(9)), .bytes([0xAB])]), .array([])])
        let decoded = try #require(try document.eventSet.decode(topics: filled.topics, data: filled.data))
        #expect(decoded.event.name == "Filled" && decoded["order"] == .hashed(filled.topics[1]))
    }

    @Test("invalid ABI JSON is refused with the path of the problem", arguments: [
        ("{}", "an ABI is a JSON array"),
        ("[1]", "abi[0] must be an object"),
        ("[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"type\": \"uint\"}]}]", "abi[0].inputs[0].type \"uint\": uint is not canonical"),
        ("[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"name\": \"x\"}]}]", "abi[0].inputs[0].type must be a string"),
        ("[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"type\": \"tuple\"}]}]", "needs a non-empty components list"),
        ("[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"type\": \"tuplex\", \"components\": [{\"type\": \"bool\"}]}]}]", "\"tuplex\" is not an ABI type"),
        ("[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"type\": \"tuple[0]\", \"components\": [{\"type\": \"bool\"}]}]}]", "at least 1"),
        ("[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"type\": \"bool\", \"components\": [{\"type\": \"bool\"}]}]}]", "which is not a tuple"),
        ("[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"type\": \"bool\", \"indexed\": \"yes\"}]}]", "abi[0].inputs[0].indexed must be true or false"),
        ("[{\"type\": \"function\", \"name\": \"f\", \"inputs\": [{\"type\": \"bool\", \"indexed\": true}]}]", "abi[0]: f: parameter bool is indexed"),
        ("[{\"type\": \"function\", \"name\": \"1f\"}]", "abi[0]: \"1f\" is not a function name"),
        ("[{\"type\": \"event\", \"name\": \"E\", \"anonymous\": 1}]", "abi[0].anonymous must be true or false"),
        ("[{\"type\": \"event\", \"name\": \"E\", \"inputs\": [{\"type\": \"bool\", \"indexed\": true}, {\"type\": \"bool\", \"indexed\": true}, {\"type\": \"bool\", \"indexed\": true}, {\"type\": \"bool\", \"indexed\": true}]}]", "at most 3"),
        ("[{\"type\": \"modifier\"}]", "abi[0].type \"modifier\" is not"),
        ("[{\"type\": \"function\", \"name\": \"f\", \"inputs\": {}}]", "abi[0].inputs must be an array"),
        ("[", "ABI JSON:"),
    ])
    func refuses(json: String, fragment: String) {
        #expect {
            try ABIDocument(json: json)
        } throws: { error in
            let error = error as? ABIError
            return error?.code == "invalid-abi" && error?.description.contains(fragment) == true
        }
    }
}
