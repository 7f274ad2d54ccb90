import CofferTestSupport
import CofferBase
import Crypto
import Foundation
import PropertyBased
import Testing
import Vault
import WalletCore

/// Signing requests as typed values: strict reading from JSON, a normal form that reads back to
/// itself, and a hash over its RFC 8785 canonical text that depends on what the request says and
/// on nothing else.
struct SigningRequestDocumentTests {
    static let alice = "0x1111111111111111111111111111111111111111"
    static let usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7"

    static let request = """
        {"id":"pay-1","intent":{"chain":"ethereum","wallet":"hot","destination":"\(alice)","asset":"ETH","amount":"1000","fee":"630000000000000"},
         "payload":{"type":"ethereum-tx","chain_id":1,"path":"m/44'/60'/0'/0/0","tx":{"type":2,"nonce":0,"max_priority_fee_per_gas":"1000000000","max_fee_per_gas":"30000000000","gas":21000,"to":"\(alice)","value":"1000","data":"0x","access_list":[]}}}
        """

    @Test func theStoredDocumentIsTheCanonicalTextAndTheHashCoversIt() throws {
        let document = try SigningRequestDocument(json: Array(Self.request.utf8))
        let expected = #"{"id":"pay-1","intent":{"amount":"1000","asset":"ETH","chain":"ethereum","destination":"0x1111111111111111111111111111111111111111","fee":"630000000000000","wallet":"hot"},"payload":{"chain_id":1,"path":"m/44'/60'/0'/0/0","tx":{"access_list":[],"data":"0x","gas":"21000","max_fee_per_gas":"30000000000","max_priority_fee_per_gas":"1000000000","nonce":"0","to":"0x1111111111111111111111111111111111111111","type":2,"value":"1000"},"type":"ethereum-tx"}}"#
        #expect(String(decoding: document.canonicalJSON, as: UTF8.self) == expected)
        #expect(document.hash == Array(SHA256.hash(data: Array(expected.utf8))))
        let stored = try SigningRequestDocument(json: document.canonicalJSON)
        #expect(stored.canonicalJSON == document.canonicalJSON && stored.hash == document.hash)
        // Another id and wallet (as the HTTP API scopes a tenant's request) is another request.
        let scoped = try document.with(id: "tenant:pay-1", wallet: "0b6c")
        #expect(scoped.id == "tenant:pay-1" && scoped.intent.wallet == "0b6c" && scoped.payload == document.payload && scoped.hash != document.hash)
    }

    static func payloads() throws -> [String] {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Vectors/generated")
        let psbt = try JSONValue(parsing: Array(try Data(contentsOf: fixtures.appendingPathComponent("bitcoin-psbt-embit.json"))))
        let solana = try JSONValue(parsing: Array(try Data(contentsOf: fixtures.appendingPathComponent("solana_transactions_solders.json"))))
        guard case .array(let psbtCases)? = psbt["cases"], case .string(let base64)? = psbtCases.first?["psbt"],
              case .array(let solanaCases)? = solana["cases"], case .string(let message)? = solanaCases.first?["message"],
              case .string(let signed)? = solanaCases.first?["signed_transaction"]
        else { throw PolicyError("fixtures missing") }
        return [
            #"{"type":"ethereum-tx","chain_id":1,"tx":{"type":0,"nonce":"0x1","gas_price":"20000000000","gas":21000,"to":null,"value":"0","data":"0x6001"}}"#,
            #"{"type":"ethereum-tx","chain_id":137,"path":"m/44h/60h/0h/0/7","tx":{"type":1,"nonce":9,"gas_price":"1","gas":60000,"to":"\#(usdt)","value":"0","data":"0xA9059CBB","access_list":[{"address":"\#(usdt)","storage_keys":["0x\#(String(repeating: "0", count: 63))1"]}]}}"#,
            #"{"type":"bitcoin-psbt","psbt":"\#(base64)"}"#,
            #"{"type":"bitcoin-psbt","network":"testnet","psbt":"\#(base64)"}"#,
            #"{"type":"tron-tx","raw_data_hex":"\#(TronPayloadTests.rawData.uppercased())","path":"m/44'/195'/0'/0/0"}"#,
            #"{"type":"solana-tx","message":"\#(message)"}"#,
            #"{"type":"solana-tx","transaction":"\#(signed)","path":"m/44'/501'/0'/0'"}"#,
        ]
    }

    /// Every payload type: its normal form reads back to the same value and the same text, as
    /// JSON and through Codable.
    @Test func everyPayloadTypeReadsBackToItself() throws {
        for text in try Self.payloads() {
            let payload = try SigningPayload(json: try JSONValue(parsing: text))
            let again = try SigningPayload(json: payload.json)
            #expect(again == payload, "\(text.prefix(60))")
            #expect(try CanonicalJSON.encode(again.json) == CanonicalJSON.encode(payload.json))
            let coded = try JSONDecoder().decode(SigningPayload.self, from: try JSONEncoder().encode(payload))
            #expect(coded == payload, "\(text.prefix(60))")
        }
        let document = try SigningRequestDocument(json: Array(Self.request.utf8))
        #expect(try JSONDecoder().decode(SigningRequestDocument.self, from: try JSONEncoder().encode(document)) == document)
        #expect(try JSONDecoder().decode(SigningIntent.self, from: Data(#"{"chain":"tron","wallet":"w","destination":"T","asset":"USDT","amount":"5","fee":"0","token_contract":"TR7"}"#.utf8)).tokenContract == "TR7")
    }

    @Test func resultsReadBackAndOldResultsAreRecognised() throws {
        let ethereum = SigningResult.ethereumTx(EthereumSigningResult(raw: [0x02, 0xF8], from: "0x2c7536E3605D9C16a7a3D7b1898e529396a65c23"))
        let tron = SigningResult.tronTx(TronSigningResult(txID: [UInt8](repeating: 0xAB, count: 32), signature: [UInt8](repeating: 1, count: 65)))
        for result in [ethereum, tron] {
            #expect(try SigningResult(json: result.json) == result)
            #expect(try JSONDecoder().decode(SigningResult.self, from: try JSONEncoder().encode(result)) == result)
        }
        // Stored before results had a "type".
        let legacy = try JSONValue(parsing: #"{"hash":"\#(Hex.encode([UInt8](repeating: 0xAB, count: 32)))","signature":"\#(Hex.encode([UInt8](repeating: 1, count: 65)))","txID":"\#(Hex.encode([UInt8](repeating: 0xAB, count: 32)))"}"#)
        #expect(try SigningResult(json: legacy) == tron)
        #expect(throws: PolicyError.self) { try SigningResult(json: try JSONValue(parsing: #"{"type":"tron-tx","txID":"00","signature":"00","hash":"ff"}"#)) }
    }

    /// Bad input is refused with an error naming the field.
    @Test(arguments: [
        (#""intent":{"chain":"ethereum","wallet":"hot","destination":"D","asset":"ETH","amount":"1"}"#, #"intent: "fee" is required"#),
        (#""intent":{"chain":"ethereum","wallet":"hot","destination":"D","asset":"ETH","amount":"1","fee":21000}"#, #"intent: "fee" must be a string, got a number"#),
        (#""intent":{"chain":"ethereum","wallet":"hot","destination":"D","asset":"ETH","amount":"1","fee":"0","memo":"x"}"#, #"intent: unknown field "memo""#),
        (#""intent":{"chain":"dogecoin","wallet":"hot","destination":"D","asset":"ETH","amount":"1","fee":"0"}"#, #"intent: unknown chain "dogecoin""#),
        (#""intent":{"chain":"ethereum","wallet":"hot","destination":"D","asset":"ETH","amount":"1.5","fee":"0"}"#, "intent amount \"1.5\" is not a whole number"),
        (#""intent":"all""#, "intent must be a JSON object, got a string"),
    ])
    func badIntentsAreRefusedNamingTheField(intent: String, message: String) {
        let text = #"{"id":"x",\#(intent),"payload":{"type":"tron-tx","raw_data_hex":"\#(TronPayloadTests.rawData)"}}"#
        #expect {
            try SigningRequestDocument(json: Array(text.utf8))
        } throws: { error in
            (error as? PolicyError)?.description.hasPrefix(message) == true
        }
    }

    @Test(arguments: [
        (#"{"type":"ethereum-tx","chain_id":"1","tx":{}}"#, #"payload: "chain_id" must be a whole number in 1...9007199254740992, got a string"#),
        (#"{"type":"ethereum-tx","chain_id":1,"tx":{"type":2,"nonce":0,"max_priority_fee_per_gas":1,"max_fee_per_gas":1,"gas":21000,"to":null,"value":1000000000000000000}}"#,
         "payload.tx.value: the number 1000000000000000000 is beyond ±2^53, where JSON readers disagree; send it as a decimal string (\"1000000000000000000\")"),
        (#"{"type":"ethereum-tx","chain_id":1,"tx":{"type":2,"nonce":0,"gas":21000,"value":"1"}}"#, "payload.tx: missing required field max_priority_fee_per_gas"),
        (#"{"type":"ethereum-tx","chain_id":1,"tx":[]}"#, #"payload: "tx" must be an object, got an array"#),
        (#"{"type":"ethereum-tx","chain_id":1,"path":"44/60","tx":{}}"#, #"payload: "path": derivation path "44/60" must start with "m""#),
        (#"{"type":"bitcoin-psbt","psbt":"cHNidP8=","fee":"1"}"#, #"payload: unknown field "fee""#),
        (#"{"type":"bitcoin-psbt","network":"dogecoin","psbt":"cHNidP8="}"#, #"payload: "network": unknown bitcoin network "dogecoin""#),
        (#"{"type":"tron-tx","raw_data_hex":"zz"}"#, #"payload: "raw_data_hex": "#),
        (#"{"type":"solana-tx","path":"m/44'/501'/0'/0'"}"#, #"payload: "transaction" or "message" is required"#),
        (#"{"type":"solana-tx","transaction":"AA==","message":"AA=="}"#, #"payload: give "transaction" or "message", not both"#),
        (#"{"type":"cosmos-tx"}"#, #"payload: type "cosmos-tx" is not supported"#),
        (#"{"chain_id":1}"#, #"payload: "type" is required"#),
    ])
    func badPayloadsAreRefusedNamingTheField(payload: String, message: String) {
        #expect {
            try SigningPayload(json: try JSONValue(parsing: payload))
        } throws: { error in
            (error as? PolicyError)?.description.hasPrefix(message) == true
        }
    }

    // MARK: the hash, over random spellings and random changes

    /// The same request in any member order, whitespace, escaping, number spelling or hex case
    /// has the same hash; changing any value it carries changes the hash.
    @Test func hashDependsOnTheValuesOnly() async throws {
        let base = try JSONValue(parsing: Self.request)
        let hash = try SigningRequestDocument(json: base).hash
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SplitMix64(state: seed)
            let respelled = Self.write(base, using: &random)
            #expect(try SigningRequestDocument(json: Array(respelled.utf8)).hash == hash, "\(respelled)")
            let (changed, what) = Self.change(base, using: &random)
            let other = try SigningRequestDocument(json: changed)
            #expect(other.hash != hash, "changing \(what) kept the hash")
            #expect(try SigningRequestDocument(json: Array(Self.write(changed, using: &random).utf8)).hash == other.hash)
        }
    }

    /// Leaves of the request that can change while it stays valid, with a new value for each.
    static func change(_ document: JSONValue, using random: inout SplitMix64) -> (JSONValue, String) {
        let number = String(UInt64.random(in: 1...UInt64(1 << 40), using: &random))
        let address = "0x" + Hex.encode((0..<20).map { _ in UInt8.random(in: 0...255, using: &random) })
        let changes: [([String], JSONValue)] = [
            (["id"], .string("pay-" + number)),
            (["intent", "wallet"], .string("w" + number)),
            (["intent", "destination"], .string(address)),
            (["intent", "asset"], .string("ETH2")),
            (["intent", "amount"], .string(number)),
            (["intent", "fee"], .string(number)),
            (["payload", "chain_id"], .number(number)),
            (["payload", "path"], .string("m/44'/60'/0'/0/\(number.prefix(6))")),
            (["payload", "tx", "nonce"], .number(number)),
            (["payload", "tx", "value"], .string(number + "1")),
            (["payload", "tx", "gas"], .string(number)),
            (["payload", "tx", "to"], .string(address)),
            (["payload", "tx", "data"], .string("0x" + Hex.encode(Array(number.utf8)))),
            (["payload", "tx", "max_fee_per_gas"], .string(String(30_000_000_000 + UInt64(number)!))),
            (["payload", "tx", "access_list"], .array([.object([("address", .string(address)), ("storage_keys", .array([]))])])),
        ]
        let (path, value) = changes.randomElement(using: &random)!
        return (replacing(path[...], in: document, with: value), path.joined(separator: "."))
    }

    static func replacing(_ path: ArraySlice<String>, in value: JSONValue, with new: JSONValue) -> JSONValue {
        guard let key = path.first, case .object(let members) = value else { return new }
        return .object(members.map { $0.key == key ? ($0.key, replacing(path.dropFirst(), in: $0.value, with: new)) : $0 })
    }

    /// JSON text with shuffled members, random whitespace and `\u` escapes, integers respelled
    /// (`21000.0`, `2.1e4`), hex digits in upper case and quantities in hex.
    static func write(_ value: JSONValue, using random: inout SplitMix64) -> String {
        func space() -> String { ["", " ", "\n  ", "\t", "\r\n"].randomElement(using: &random)! }
        func string(_ text: String, key: String?) -> String {
            var text = text
            if ["value", "gas", "nonce", "max_fee_per_gas", "max_priority_fee_per_gas"].contains(key), let quantity = UInt64(text), Bool.random(using: &random) {
                text = "0x" + String(quantity, radix: 16, uppercase: Bool.random(using: &random))
            } else if key == "to" || key == "data", Bool.random(using: &random) {
                text = "0x" + text.dropFirst(2).lowercased()
            }
            var out = "\""
            for scalar in text.unicodeScalars {
                if scalar == "\"" || scalar == "\\" || Int.random(in: 0..<6, using: &random) == 0 {
                    out += "\\u" + String(format: "%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
            return out + "\""
        }
        func write(_ value: JSONValue, key: String?) -> String {
            switch value {
            case .null: return "null"
            case .bool(let flag): return flag ? "true" : "false"
            case .number(let literal):
                return ([literal, literal + ".0", literal + "e0"] + (literal == "0" ? [] : [literal + "0e-1"])).randomElement(using: &random)!
            case .string(let text): return string(text, key: key)
            case .array(let elements): return "[" + elements.map { space() + write($0, key: nil) + space() }.joined(separator: ",") + "]"
            case .object(let members):
                return "{" + members.shuffled(using: &random).map { space() + string($0.key, key: nil) + ":" + space() + write($0.value, key: $0.key) }
                    .joined(separator: "," + space()) + space() + "}"
            }
        }
        return write(value, key: nil)
    }
}
