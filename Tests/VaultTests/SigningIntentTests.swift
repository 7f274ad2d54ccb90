import CofferBase
import Crypto
import Foundation
import Testing
import Vault
import WalletCore

/// The intent's two forms: one payment (`destination`, `amount`) and a batch (`outputs`), read
/// strictly, written canonically, and seen alike through `payments` and `total`.
struct SigningIntentTests {
    static let alice = "0x1111111111111111111111111111111111111111"
    static let bob = "0x2222222222222222222222222222222222222222"
    static let tron = #""payload":{"type":"tron-tx","raw_data_hex":"\#(TronPayloadTests.rawData)"}"#

    static func intent(_ text: String) throws(PolicyError) -> SigningIntent {
        do { return try SigningIntent(json: try JSONValue(parsing: text)) } catch let error as PolicyError { throw error } catch {
            throw PolicyError("\(error)")
        }
    }

    @Test func aBatchReadsWritesAndHashesCanonically() throws {
        let text = """
            {"chain":"bitcoin","wallet":"main","fee":"1500","asset":"BTC",
             "outputs":[{"amount":"100000","destination":"bc1qa"},{"destination":"bc1qb","amount":"0"},{"destination":"bc1qa","amount":"100000"}]}
            """
        let intent = try Self.intent(text)
        #expect(intent.isBatch && intent.destination == nil && intent.amount == nil && intent.total == 200_000)
        #expect(intent.outputs == [.init(destination: "bc1qa", amount: 100_000), .init(destination: "bc1qb", amount: 0), .init(destination: "bc1qa", amount: 100_000)])
        #expect(intent.payments == intent.outputs)
        #expect(intent == (try SigningIntent(chain: "bitcoin", wallet: "main", outputs: intent.payments, asset: "BTC", fee: 1_500)))
        let canonical = #"{"asset":"BTC","chain":"bitcoin","fee":"1500","outputs":[{"amount":"100000","destination":"bc1qa"},{"amount":"0","destination":"bc1qb"},{"amount":"100000","destination":"bc1qa"}],"wallet":"main"}"#
        #expect(String(decoding: try CanonicalJSON.encode(intent.json), as: UTF8.self) == canonical)
        #expect(try SigningIntent(json: intent.json) == intent)
        #expect(try JSONDecoder().decode(SigningIntent.self, from: try JSONEncoder().encode(intent)) == intent)
        // A batch of one is a batch, not the single form: another request, another hash.
        let one = try SigningIntent(chain: "ethereum", wallet: "hot", outputs: [.init(destination: Self.alice, amount: 5)], asset: "ETH", fee: 1)
        let single = SigningIntent(chain: "ethereum", wallet: "hot", destination: Self.alice, asset: "ETH", amount: 5, fee: 1)
        #expect(one.payments == single.payments && one.total == single.total && one != single)
        #expect(try CanonicalJSON.encode(one.json) != CanonicalJSON.encode(single.json))
        #expect(single.destination == Self.alice && single.amount == 5 && single.outputs == nil && !single.isBatch)
    }

    /// The single form's canonical text is what it was before batches existed: its hash, which
    /// approvers sign, is unchanged.
    @Test func theSinglePaymentFormIsUnchanged() throws {
        let single = SigningIntent(chain: "ethereum", wallet: "hot", destination: Self.alice, asset: "USDT", amount: 1_000, fee: 7, tokenContract: "0xT")
        let canonical = #"{"amount":"1000","asset":"USDT","chain":"ethereum","destination":"0x1111111111111111111111111111111111111111","fee":"7","token_contract":"0xT","wallet":"hot"}"#
        #expect(String(decoding: try CanonicalJSON.encode(single.json), as: UTF8.self) == canonical)
        let document = try SigningRequestDocument(json: Array(SigningRequestDocumentTests.request.utf8))
        #expect(document.hashHex == Hex.encode(Array(SHA256.hash(data: document.canonicalJSON))))
        #expect(String(decoding: document.canonicalJSON, as: UTF8.self).contains(#""intent":{"amount":"1000","asset":"ETH","chain":"ethereum","destination""#))
    }

    @Test(arguments: [
        (#""destination":"D","amount":"1","outputs":[{"destination":"D","amount":"1"}]"#,
         #"intent: give "outputs" (a batch) or "destination" and "amount" (one payment), not both; remove "destination""#),
        (#""amount":"1","outputs":[{"destination":"D","amount":"1"}]"#, #"intent: give "outputs" (a batch) or "destination" and "amount" (one payment), not both; remove "amount""#),
        ("", #"intent: "destination" and "amount" (one payment) or "outputs" (a batch) are required"#),
        (#""outputs":null"#, #"intent: "destination" and "amount" (one payment) or "outputs" (a batch) are required"#),
        (#""destination":"D""#, #"intent: "amount" is required"#),
        (#""outputs":[]"#, #"intent: "outputs" must list 1 to 10000 payments, got 0"#),
        (#""outputs":{"destination":"D","amount":"1"}"#, #"intent: "outputs" must be an array of {"destination","amount"} objects, got an object"#),
        (#""outputs":["D"]"#, "intent.outputs[0] must be a JSON object, got a string"),
        (#""outputs":[{"destination":"D","amount":"1"},{"destination":"E"}]"#, #"intent.outputs[1]: "amount" is required"#),
        (#""outputs":[{"destination":"D","amount":1}]"#, #"intent.outputs[0]: "amount" must be a string, got a number"#),
        (#""outputs":[{"destination":"D","amount":"1.5"}]"#, #"intent.outputs[0] amount "1.5" is not a whole number"#),
        (#""outputs":[{"destination":"D","amount":"1","memo":"x"}]"#, #"intent.outputs[0]: unknown field "memo"; allowed: amount, destination"#),
        (#""outputs":[{"destination":"D","amount":"1"}],"memo":"x""#, #"intent: unknown field "memo"; allowed: asset, chain, fee, outputs, token_contract, wallet"#),
        (#""outputs":[{"destination":"D","amount":"340282366920938463463374607431768211455"},{"destination":"E","amount":"1"}]"#,
         "intent: the outputs' amounts add up to more than 2^128-1"),
    ])
    func badBatchesAreRefusedNamingTheMember(members: String, message: String) {
        let text = #"{"chain":"bitcoin","wallet":"w","asset":"BTC","fee":"0"\#(members.isEmpty ? "" : ",")\#(members)}"#
        #expect {
            try Self.intent(text)
        } throws: { error in
            (error as? PolicyError)?.description.hasPrefix(message) == true
        }
        // The same inside a signing request.
        #expect {
            try SigningRequestDocument(json: Array(#"{"id":"x","intent":\#(text),\#(Self.tron)}"#.utf8))
        } throws: { error in
            (error as? PolicyError)?.description.hasPrefix(message) == true
        }
    }

    @Test func batchSizeIsBounded() throws {
        let output = #"{"destination":"D","amount":"1"}"#
        let most = try Self.intent(#"{"chain":"bitcoin","wallet":"w","asset":"BTC","fee":"0","outputs":[\#(Array(repeating: output, count: 10_000).joined(separator: ","))]}"#)
        #expect(most.payments.count == SigningIntent.maximumOutputs && most.total == 10_000)
        #expect(throws: PolicyError("intent: \"outputs\" must list 1 to 10000 payments, got 10001")) {
            try Self.intent(#"{"chain":"bitcoin","wallet":"w","asset":"BTC","fee":"0","outputs":[\#(Array(repeating: output, count: 10_001).joined(separator: ","))]}"#)
        }
        #expect(throws: PolicyError("intent: \"outputs\" must list 1 to 10000 payments, got 0")) {
            try SigningIntent(chain: "bitcoin", wallet: "w", outputs: [], asset: "BTC", fee: 0)
        }
        #expect(throws: PolicyError("intent: the outputs' amounts add up to more than 2^128-1")) {
            try SigningIntent(chain: "bitcoin", wallet: "w", outputs: [.init(destination: "a", amount: .max), .init(destination: "b", amount: 1)], asset: "BTC", fee: 0)
        }
        let largest = try SigningIntent(chain: "bitcoin", wallet: "w", outputs: [.init(destination: "a", amount: .max - 1), .init(destination: "b", amount: 1)], asset: "BTC", fee: 0)
        #expect(largest.total == .max)
    }

    /// Destinations are normalised per chain, as for a single payment.
    @Test func paymentsAreNormalisedPerChain() throws {
        let batch = try SigningIntent(chain: "ethereum", wallet: "w", outputs: [.init(destination: "0xABCDEF", amount: 1), .init(destination: Self.bob, amount: 2)], asset: "ETH", fee: 0)
        #expect(batch.normalizedPayments.map(\.destination) == ["0xabcdef", Self.bob])
        #expect(batch.payments.map(\.destination) == ["0xABCDEF", Self.bob])
    }
}
