import CofferBase
import CofferTestSupport
import PropertyBased
import Testing
import WalletCore

/// Random types (tuples and arrays nested three deep) with random values, edge values included.
@Suite("ABI: round trips")
struct ABIPropertyTests {
    struct Case: Sendable, CustomStringConvertible {
        let types: [ABIType]
        let values: [ABIValue]
        let seed: UInt64
        var description: String { "seed \(seed): (\(types.map(\.description).joined(separator: ",")))" }
    }

    static let cases = Gen.uint64().map { seed in
        var generator = SplitMix64(state: seed)
        let types = (0..<Int.random(in: 0...4, using: &generator)).map { _ in randomType(&generator, depth: 0) }
        return Case(types: types, values: types.map { randomValue($0, &generator) }, seed: seed)
    }

    static func randomType(_ generator: inout SplitMix64, depth: Int) -> ABIType {
        let roll = Int.random(in: 0..<20, using: &generator)
        if depth < 3 && roll < 3 {
            return .tuple((0..<Int.random(in: 1...3, using: &generator)).map { _ in randomType(&generator, depth: depth + 1) })
        }
        if depth < 3 && roll < 7 {
            let element = randomType(&generator, depth: depth + 1)
            return Bool.random(using: &generator) ? .array(element, length: Int.random(in: 1...3, using: &generator)) : .dynamicArray(element)
        }
        switch Int.random(in: 0..<7, using: &generator) {
        case 0: return .uint(bits: 8 * Int.random(in: 1...32, using: &generator))
        case 1: return .int(bits: 8 * Int.random(in: 1...32, using: &generator))
        case 2: return .address
        case 3: return .bool
        case 4: return .fixedBytes(Int.random(in: 1...32, using: &generator))
        case 5: return .bytes
        default: return .string
        }
    }

    static func randomBytes(_ count: Int, _ generator: inout SplitMix64) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    static func randomValue(_ type: ABIType, _ generator: inout SplitMix64) -> ABIValue {
        switch type {
        case .uint(let bits):
            // All ones, zero, or random bytes; always within `bits`.
            let bytes = [[UInt8](repeating: 0xFF, count: bits / 8), [], randomBytes(Int.random(in: 0...(bits / 8), using: &generator), &generator)]
                .randomElement(using: &generator) ?? []
            return .uint((try? EthereumQuantity(bigEndian: bytes)) ?? .zero)
        case .int(let bits):
            var bytes = randomBytes(bits / 8, &generator)
            if Bool.random(using: &generator) { bytes[0] = Bool.random(using: &generator) ? 0x80 : 0x7F }  // near min or max
            let fill: UInt8 = bytes[0] & 0x80 == 0 ? 0 : 0xFF
            let word = [UInt8](repeating: fill, count: 32 - bits / 8) + bytes
            return .int(Int256(bitPattern: (try? EthereumQuantity(bigEndian: word)) ?? .zero))
        case .address: return .address(randomBytes(20, &generator))
        case .bool: return .bool(Bool.random(using: &generator))
        case .fixedBytes(let count): return .fixedBytes(randomBytes(count, &generator))
        case .bytes: return .bytes(randomBytes([0, 1, 31, 32, 33, 100].randomElement(using: &generator) ?? 0, &generator))
        case .string:
            let pieces = ["a", "Z", "0", " ", "é", "漢", "😀", "\u{0}", "\u{2028}"]
            return .string((0..<Int.random(in: 0...40, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined())
        case .array(let element, let length):
            return .array((0..<length).map { _ in randomValue(element, &generator) })
        case .dynamicArray(let element):
            return .array((0..<Int.random(in: 0...3, using: &generator)).map { _ in randomValue(element, &generator) })
        case .tuple(let components):
            return .tuple(components.map { randomValue($0, &generator) })
        }
    }

    @Test("decode(encode(values)) gives the values; one byte short is refused")
    func roundTrip() async {
        await propertyCheck(count: 400, input: Self.cases) { testCase throws in
            let encoded = try ABIEncoder.encode(testCase.values, as: testCase.types)
            #expect(encoded.count % 32 == 0)
            #expect(try ABIDecoder.decode(testCase.types, from: encoded) == testCase.values)
            if !encoded.isEmpty {
                #expect(throws: ABIError.self) { try ABIDecoder.decode(testCase.types, from: Array(encoded.dropLast())) }
            }
            // The JSON form reads back to the same values.
            for (value, type) in zip(testCase.values, testCase.types) {
                #expect(try ABIValue(json: value.json, as: type) == value)
            }
        }
    }

    @Test("decoding changed data never crashes, and what decodes encodes again")
    func mutations() async {
        await propertyCheck(count: 300, input: Self.cases, Gen.uint64()) { testCase, mutationSeed throws in
            var encoded = try ABIEncoder.encode(testCase.values, as: testCase.types)
            guard !encoded.isEmpty else { return }
            var generator = SplitMix64(state: mutationSeed)
            for _ in 0..<Int.random(in: 1...3, using: &generator) {
                encoded[Int.random(in: 0..<encoded.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
            }
            if let values = try? ABIDecoder.decode(testCase.types, from: encoded) {
                #expect(try ABIDecoder.decode(testCase.types, from: ABIEncoder.encode(values, as: testCase.types)) == values)
            }
        }
    }

    @Test("a function call and an event log round trip")
    func callsAndLogs() async {
        await propertyCheck(count: 200, input: Self.cases, Gen.uint64()) { testCase, indexSeed throws in
            let parameters = testCase.types.enumerated().map { ABIParameter("p\($0.offset)", $0.element) }
            let function = try ABIFunction(name: "f", inputs: parameters, outputs: parameters)
            let call = try function.encodeCall(testCase.values)
            #expect(Array(call.prefix(4)) == function.selector)
            #expect(try function.decodeCall(call) == testCase.values)
            #expect(try function.decodeOutput(function.encodeOutput(testCase.values)) == testCase.values)

            var generator = SplitMix64(state: indexSeed)
            var indexed = parameters
            for index in indexed.indices.shuffled(using: &generator).prefix(3) { indexed[index].indexed = Bool.random(using: &generator) }
            let event = try ABIEvent(name: "E", inputs: indexed)
            let log = try event.encodeLog(testCase.values)
            #expect(log.topics.count == event.topicCount)
            let decoded = try event.decodeLog(topics: log.topics, data: log.data)
            var topic = 1
            for (index, parameter) in indexed.enumerated() {
                if parameter.indexed {
                    let expected: ABIDecodedLog.Argument =
                        Self.isWord(parameter.type) ? .value(testCase.values[index]) : .hashed(log.topics[topic])
                    #expect(decoded.arguments[index] == expected)
                    #expect(try ABIEvent.topic(for: testCase.values[index], as: parameter.type) == log.topics[topic])
                    topic += 1
                } else {
                    #expect(decoded.arguments[index] == .value(testCase.values[index]))
                }
            }
        }
    }

    /// Types whose indexed values are their own topic.
    static func isWord(_ type: ABIType) -> Bool {
        switch type {
        case .uint, .int, .address, .bool, .fixedBytes: true
        default: false
        }
    }
}
