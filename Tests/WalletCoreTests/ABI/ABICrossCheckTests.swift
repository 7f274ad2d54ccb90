import CofferBase
import Foundation
import Testing
import WalletCore

/// Cases from eth_abi (PyPI), written by scripts/crosscheck/abi_eth_abi.py and named by
/// `COFFER_ABI_CROSSCHECK` (scripts/crosscheck/run sets it; without it this test is skipped).
/// Each encoding eth_abi made must decode here to its values and encode back byte for byte. Of
/// the mutated encodings, those eth_abi refuses must be refused here, and those it accepts must
/// decode to the same values, or (only when a type is dynamic) be refused for one of the layout
/// rules eth_abi does not apply, which the summary counts.
@Suite("ABI cross-check with eth_abi")
struct ABICrossCheckTests {
    static let file = ProcessInfo.processInfo.environment["COFFER_ABI_CROSSCHECK"]

    @Test(
        "eth_abi's encodings decode to its values and encode back; its verdicts on mutated data agree",
        .enabled(if: file != nil, "COFFER_ABI_CROSSCHECK names no case file")
    )
    func crossCheck() throws {
        let path = try #require(Self.file)
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        var mismatches: [String] = []
        var encoded = 0
        var mutated = 0
        var stricter = 0
        for (index, line) in lines.enumerated() {
            let label = "\(path):\(index + 1)"
            let entry = try JSONValue(parsing: String(line))
            guard case .array(let typeTexts)? = entry["types"], case .string(let encodingText)? = entry["encoding"] else {
                mismatches.append("\(label): malformed case")
                continue
            }
            var types: [ABIType] = []
            for case .string(let text) in typeTexts { types.append(try ABIType(parsing: text)) }
            let encoding = hex(encodingText)
            var expected: [ABIValue]?
            if case .array(let items)? = entry["values"] {
                expected = try zip(items, types).map { try ABIValue(json: $0, as: $1) }
            }
            let decoded = Result { () throws(ABIError) in try ABIDecoder.decode(types, from: encoding) }
            if entry["mutated"] == .bool(true) {
                mutated += 1
                switch (expected, decoded) {
                case (nil, .success(let values)):
                    mismatches.append("\(label): eth_abi refused (\(entry["error"].map { "\($0)" } ?? "")) but coffer decoded \(values)")
                case (let values?, .success(let ours)) where ours != values:
                    mismatches.append("\(label): decoded \(ours), eth_abi \(values)")
                case (_?, .failure(let error)):
                    if types.contains(where: \.isDynamic) && (error.description.contains("overlaps the value before it")) {
                        stricter += 1
                    } else {
                        mismatches.append("\(label): eth_abi accepted, coffer refused: \(error)")
                    }
                default: break
                }
                continue
            }
            encoded += 1
            guard let values = expected else {
                mismatches.append("\(label): no values")
                continue
            }
            switch decoded {
            case .success(let ours) where ours != values: mismatches.append("\(label): decoded \(ours), eth_abi's values are \(values)")
            case .failure(let error): mismatches.append("\(label): coffer refused eth_abi's encoding: \(error)")
            default: break
            }
            do {
                let ours = try ABIEncoder.encode(values, as: types)
                if ours != encoding { mismatches.append("\(label): encoded 0x\(Hex.encode(ours)), eth_abi 0x\(Hex.encode(encoding))") }
            } catch {
                mismatches.append("\(label): coffer refused to encode eth_abi's values: \(error)")
            }
        }
        print("abi crosscheck: \(encoded) encoded and \(mutated) mutated cases, \(mismatches.count) mismatches, "
            + "\(stricter) mutated encodings refused here for overlapping values")
        for mismatch in mismatches.prefix(20) { Issue.record(Comment(rawValue: mismatch)) }
        #expect(encoded > 0 && mismatches.isEmpty)
    }
}
