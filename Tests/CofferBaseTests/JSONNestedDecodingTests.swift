import CofferBase
import Testing

/// The strict decoder below the top level: arrays of objects inside arrays, optional 128-bit
/// amounts, and errors that name the exact member by its path however deep it is.
struct JSONNestedDecodingTests {
    struct Leg: Codable, Equatable {
        let account: String
        let amount: UInt128
        let fee: UInt128?
        let adjustment: Int128?
    }

    struct Batch: Codable, Equatable {
        let groups: [[Leg]]
        let limits: [UInt128]
        let holds: [Leg]?
    }

    static func decode(_ json: String) throws(JSONError) -> Batch {
        try JSONDecoding.decode(Batch.self, from: Array(json.utf8))
    }

    static let valid = #"{"groups":[[{"account":"a","amount":"1"},{"account":"b","amount":"340282366920938463463374607431768211455","fee":"0","adjustment":"-170141183460469231731687303715884105728"}],[],[{"account":"c","amount":"2","fee":null,"adjustment":null}]],"limits":["0","18446744073709551616"]}"#

    @Test func nestedArraysOfObjectsAndOptionalAmountsDecode() throws {
        let batch = try Self.decode(Self.valid)
        #expect(batch.groups.map(\.count) == [2, 0, 1])
        #expect(batch.groups[0][0] == Leg(account: "a", amount: 1, fee: nil, adjustment: nil))
        #expect(batch.groups[0][1] == Leg(account: "b", amount: UInt128.max, fee: 0, adjustment: Int128.min))
        #expect(batch.groups[2][0].fee == nil && batch.groups[2][0].adjustment == nil)
        #expect(batch.limits == [0, UInt128(UInt64.max) + 1])
        #expect(batch.holds == nil)
    }

    /// What the encoder writes (absent optionals as null, amounts as strings) decodes back to the same value.
    @Test func encodedNestedValuesDecodeBack() throws {
        let batch = Batch(
            groups: [[Leg(account: "x", amount: UInt128.max, fee: nil, adjustment: -1)], []], limits: [7],
            holds: [Leg(account: "h", amount: 5, fee: 1, adjustment: nil)])
        let text = try JSONEncoding.text(batch)
        #expect(text == #"{"groups":[[{"account":"x","amount":"340282366920938463463374607431768211455","fee":null,"adjustment":"-1"}],[]],"limits":["7"],"holds":[{"account":"h","amount":"5","fee":"1","adjustment":null}]}"#)
        #expect(try Self.decode(text) == batch)
    }

    @Test(arguments: [
        (#"{"groups":[[{"account":"a","amount":"1"}],[{"account":"b","amount":"2","memo":"x"}]],"limits":[]}"#, #"unknown field "groups[1][0].memo""#),
        (#"{"groups":[[{"account":"a","amount":"1"},{"account":"b","amount":2}]],"limits":[]}"#, "groups[0][1].amount must be a decimal string"),
        (#"{"groups":[[{"account":"a","amount":"1","fee":5}]],"limits":[]}"#, "groups[0][0].fee must be a decimal string"),
        (#"{"groups":[[{"account":"a","amount":"1","fee":"-5"}]],"limits":[]}"#, "groups[0][0].fee \"-5\" is not a whole number"),
        (#"{"groups":[[{"account":"a","amount":"1","fee":"1.5"}]],"limits":[]}"#, "groups[0][0].fee \"1.5\" is not a whole number"),
        (#"{"groups":[[{"account":"a","amount":"1","adjustment":"170141183460469231731687303715884105728"}]],"limits":[]}"#, "groups[0][0].adjustment \"170141183460469231731687303715884105728\" exceeds 2^127-1"),
        (#"{"groups":[[{"account":"a","amount":"340282366920938463463374607431768211456"}]],"limits":[]}"#, "exceeds 2^128-1"),
        (#"{"groups":[[{"amount":"1"}]],"limits":[]}"#, "groups[0][0].account is missing"),
        (#"{"groups":[[{"account":null,"amount":"1"}]],"limits":[]}"#, "groups[0][0].account must not be null"),
        (#"{"groups":[{"account":"a","amount":"1"}],"limits":[]}"#, "groups[0] must be an array, not an object"),
        (#"{"groups":[[["a"]]],"limits":[]}"#, "groups[0][0] must be an object, not an array"),
        (#"{"groups":[],"limits":["1",2]}"#, "limits[1] must be a decimal string"),
        (#"{"groups":[],"limits":["1",null]}"#, "limits[1] must not be null"),
        (#"{"groups":[],"limits":[],"holds":[{"account":"h","amount":"1","extra":true}]}"#, #"unknown field "holds[0].extra""#),
        (#"{"groups":[],"limits":[],"holds":{"account":"h","amount":"1"}}"#, "holds must be an array, not an object"),
    ])
    func refusesNamingTheNestedMember(json: String, message: String) {
        do {
            let batch = try Self.decode(json)
            Issue.record("accepted \(json) as \(batch)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.code == "invalid-request" && error.category == .invalidInput)
        }
    }

    /// An array whose elements are optional holds nulls: the encoder writes them and the decoder
    /// reads them back (a non-optional element that is null is refused, above).
    @Test func optionalElementsMayBeNull() throws {
        struct Gaps: Codable, Equatable {
            let amounts: [UInt128?]
            let names: [String?]
        }
        let gaps = Gaps(amounts: [1, nil, UInt128.max], names: [nil, "x"])
        let text = try JSONEncoding.text(gaps)
        #expect(text == #"{"amounts":["1",null,"340282366920938463463374607431768211455"],"names":[null,"x"]}"#)
        #expect(try JSONDecoding.decode(Gaps.self, from: Array(text.utf8)) == gaps)
    }
}
