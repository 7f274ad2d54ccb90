import CofferBase
import PropertyBased
import Testing

struct JSONCodingTests {
    struct Inner: Codable, Equatable {
        let name: String
        let tags: [String]
    }

    struct Sample: Codable, Equatable {
        let id: String
        let amount: UInt128
        let delta: Int128
        let count: UInt32
        let flag: Bool
        let note: String?
        let inner: Inner
        let list: [Inner]
        let raw: JSONValue?

        enum CodingKeys: String, CodingKey {
            case id, amount, delta, count, flag, note, inner, list, raw
        }
    }

    static let sample = Sample(
        id: "t\"1\n", amount: UInt128.max, delta: -5, count: 7, flag: true, note: nil,
        inner: Inner(name: "ü", tags: []), list: [Inner(name: "a", tags: ["x", "y"]), Inner(name: "b", tags: [])],
        raw: .object([("k", .number("12")), ("z", .array([.null, .bool(false)]))]))

    @Test func encodesMembersInDeclarationOrderWithNullsAndAmountsAsStrings() throws {
        let text = try JSONEncoding.text(Self.sample)
        #expect(text == #"{"id":"t\"1\n","amount":"340282366920938463463374607431768211455","delta":"-5","count":7,"flag":true,"note":null,"inner":{"name":"ü","tags":[]},"list":[{"name":"a","tags":["x","y"]},{"name":"b","tags":[]}],"raw":{"k":12,"z":[null,false]}}"#)
    }

    @Test func decodesWhatItEncodes() throws {
        let bytes = try JSONEncoding.encode(Self.sample)
        #expect(try JSONDecoding.decode(Sample.self, from: bytes) == Self.sample)
    }

    @Test func refusesFloatingPoint() {
        struct Float: Encodable { let value: Double }
        #expect(throws: JSONEncodingError.self) { try JSONEncoding.encode(Float(value: 1.5)) }
    }

    @Test(arguments: [
        (#"{"id":"a","amount":"1","delta":"0","count":1,"flag":true,"inner":{"name":"n","tags":[]},"list":[],"extra":1}"#, #"unknown field "extra""#),
        (#"{"id":"a","amount":"1","delta":"0","count":1,"flag":true,"inner":{"name":"n","tags":[],"oops":2},"list":[]}"#, #"unknown field "inner.oops""#),
        (#"{"id":"a","amount":1,"delta":"0","count":1,"flag":true,"inner":{"name":"n","tags":[]},"list":[]}"#, "amount must be a decimal string"),
        (#"{"id":"a","amount":"01","delta":"0","count":1,"flag":true,"inner":{"name":"n","tags":[]},"list":[]}"#, "amount \"01\" has leading zeros"),
        (#"{"id":"a","amount":"1","delta":"0","count":1.5,"flag":true,"inner":{"name":"n","tags":[]},"list":[]}"#, "count must be a whole number"),
        (#"{"id":"a","amount":"1","delta":"0","count":-1,"flag":true,"inner":{"name":"n","tags":[]},"list":[]}"#, "count -1 is out of range"),
        (#"{"id":"a","amount":"1","delta":"0","count":1,"flag":"yes","inner":{"name":"n","tags":[]},"list":[]}"#, "flag must be true or false, not a string"),
        (#"{"id":"a","amount":"1","delta":"0","count":1,"flag":true,"inner":{"name":"n","tags":[3]},"list":[]}"#, "inner.tags[0] must be a string, not a number"),
        (#"{"amount":"1","delta":"0","count":1,"flag":true,"inner":{"name":"n","tags":[]},"list":[]}"#, "id is missing"),
        (#"{"id":null,"amount":"1","delta":"0","count":1,"flag":true,"inner":{"name":"n","tags":[]},"list":[]}"#, "id must not be null"),
        (#"{"id":"a","amount":"1","delta":"0","count":1,"flag":true,"inner":{"name":"n","tags":[]},"list":[{"name":"x","tags":[],"no":1}]}"#, #"unknown field "list[0].no""#),
        (#"[1]"#, "the document must be an object, not an array"),
        (#"{"id":"a\u0000","amount":"1","delta":"0","count":1,"flag":true,"inner":{"name":"n","tags":[]},"list":[]}"#, "id contains a NUL character"),
    ])
    func refusesWithTheFieldNamed(json: String, message: String) {
        do {
            _ = try JSONDecoding.decode(Sample.self, from: Array(json.utf8))
            Issue.record("accepted \(json)")
        } catch {
            #expect(error.description.contains(message), "\(error.description)")
            #expect(error.code == "invalid-request")
            #expect(error.category == .invalidInput)
        }
    }

    @Test func optionalMembersMayBeAbsentOrNull() throws {
        let decoded = try JSONDecoding.decode(Sample.self, from: Array(#"{"id":"a","amount":"1","delta":"-3","count":1,"flag":false,"note":null,"inner":{"name":"n","tags":[]},"list":[]}"#.utf8))
        #expect(decoded.note == nil && decoded.raw == nil && decoded.delta == -3)
    }

    /// Random objects survive encode → decode unchanged; the encoder's output is always valid JSON
    /// that the one parser reads back to the same bytes.
    /// Text of any scalar below the surrogates but NUL (which the decoder refuses in every string).
    static let text = Gen.unicodeScalar(in: "\u{1}"..."\u{D7FF}").map { Character($0) }.string(of: 0...12)

    @Test func roundTripsRandomValues() async {
        await propertyCheck(count: 300, input: Self.text, Gen.uint64(), Gen.int64()) { text, number, signed in
            let square: UInt128 = UInt128(number) * UInt128(number)
            let note: String? = number % 3 == 0 ? nil : text
            let inner = Inner(name: text, tags: [text, ""])
            let value = Sample(
                id: text, amount: square, delta: Int128(signed), count: UInt32(truncatingIfNeeded: number), flag: number % 2 == 0,
                note: note, inner: inner, list: [], raw: JSONValue.string(text))
            let bytes = try JSONEncoding.encode(value)
            #expect(try JSONDecoding.decode(Sample.self, from: bytes) == value)
            #expect(try JSONValue(parsing: bytes).bytes == bytes)
        }
    }
}
