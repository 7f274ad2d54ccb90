import ChainNodes
import Testing

/// eth_feeHistory's gasUsedRatio read as integer parts per million from the node's literal.
struct FeeHistoryRatioTests {
    @Test(arguments: [("0", 0), ("1", 1_000_000), ("0.5", 500_000), ("0.0000019", 1), ("1.2e-5", 12), ("2.5E-1", 250_000), ("1e0", 1_000_000),
                      ("0.999999999", 999_999), ("1000", 1_000_000_000)] as [(String, UInt32)])
    func literalsBecomePartsPerMillion(_ literal: String, _ expected: UInt32) {
        #expect(EthereumFeeHistory.partsPerMillion(literal) == expected)
    }

    @Test(arguments: ["-0.5", "", ".5", "1.", "abc", "1e999", "1000.1", "0x1"])
    func malformedOrOutOfRangeIsRefused(_ literal: String) {
        #expect(EthereumFeeHistory.partsPerMillion(literal) == nil)
    }
}
