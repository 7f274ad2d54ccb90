import PropertyBased
import Testing
import WalletCore

struct DerivationPathTests {
    @Test func parsesBothHardenedMarkers() throws {
        let path = try DerivationPath(parsing: "m/44'/60h/0H/0/5")
        #expect(path.components.map(\.rawValue) == [0x8000_002C, 0x8000_003C, 0x8000_0000, 0, 5])
        #expect(path.description == "m/44'/60'/0'/0/5")
        #expect(try DerivationPath(parsing: "m").components.isEmpty)
        #expect(try DerivationPath(parsing: "m/2147483647'").components == [ChildIndex(rawValue: 0xFFFF_FFFF)])
    }

    @Test(arguments: [
        ("", "empty"),
        ("44'/0'", "must start with \"m\""),
        ("m/", "component 1 is empty"),
        ("m//0", "component 1 is empty"),
        ("m/0/", "component 2 is empty"),
        ("m/abc", "not a number"),
        ("m/-1", "not a number"),
        ("m/1''", "not a number"),
        ("m/'", "not a number"),
        ("m/ 1", "not a number"),
        ("m/0x10", "not a number"),
        ("m/2147483648", "out of range"),
        ("m/2147483648'", "out of range"),
        ("m/99999999999999999999", "out of range"),
    ])
    func rejectsMalformedPaths(text: String, reason: String) {
        #expect {
            try DerivationPath(parsing: text)
        } throws: { error in
            (error as? DerivationPathError)?.description.contains(reason) == true
        }
    }

    @Test func formatThenParseIsIdentity() async {
        await propertyCheck(input: Gen.uint32().array(of: 0...12)) { raw in
            let path = DerivationPath(raw.map(ChildIndex.init(rawValue:)))
            #expect((try? DerivationPath(parsing: path.description)) == path)
        }
    }
}
