import CofferTestSupport
import PropertyBased
import Testing
import WalletCore

/// Size estimates against transactions actually built, signed and finalised, and the
/// well-known sizes and dust thresholds.
struct BitcoinSizeEstimateTests {
    @Test func knownSizes() {
        // 1 p2wpkh input, 2 p2wpkh outputs: 42 + 273 + 2·124 = 563 WU.
        let p2wpkh = [UInt8](repeating: 0, count: 22)
        #expect(BitcoinSizeEstimate.weight(inputs: [.p2wpkh], outputScripts: [p2wpkh, p2wpkh]) == 563)
        #expect(BitcoinSizeEstimate.virtualSize(inputs: [.p2wpkh], outputScripts: [p2wpkh, p2wpkh]) == 141)
        // 1 p2tr key-path input, 1 p2tr output: the well-known 111 vbytes (exact: 444 WU).
        #expect(BitcoinSizeEstimate.weight(inputs: [.p2tr], outputScriptLengths: [34]) == 444)
        #expect(BitcoinSizeEstimate.inputWeight(.p2tr) == 230)
        #expect(BitcoinSizeEstimate.inputWeight(.p2shP2wpkh) == 365)
        // p2pkh only: no segwit marker, no empty witnesses.
        #expect(BitcoinSizeEstimate.inputWeight(.p2pkh, segwitTransaction: false) == 596)
        #expect(BitcoinSizeEstimate.weight(inputs: [.p2pkh], outputScriptLengths: [25]) == 40 + 596 + 136)
        #expect(BitcoinSizeEstimate.weight(inputs: [.p2pkh, .p2wpkh], outputScriptLengths: [25]) == 42 + 597 + 273 + 136)
        #expect(BitcoinSizeEstimate.virtualSize(weight: 4) == 1 && BitcoinSizeEstimate.virtualSize(weight: 5) == 2)
        // Counts above 252 take three bytes.
        #expect(BitcoinSizeEstimate.overheadWeight(inputCount: 253, outputCount: 1, segwit: true) == 4 * 12 + 2)
    }

    @Test func dustThresholdsAreBitcoinCores() throws {
        #expect(BitcoinSizeEstimate.dustThreshold(scriptPubKey: try PayoutTestWallet.outsider(.p2pkh)) == 546)
        #expect(BitcoinSizeEstimate.dustThreshold(scriptPubKey: try PayoutTestWallet.outsider(.p2shP2wpkh)) == 540)
        #expect(BitcoinSizeEstimate.dustThreshold(scriptPubKey: try PayoutTestWallet.outsider(.p2wpkh)) == 294)
        #expect(BitcoinSizeEstimate.dustThreshold(scriptPubKey: try PayoutTestWallet.outsider(.p2tr)) == 330)
        #expect(BitcoinSizeEstimate.dustThreshold(scriptPubKey: [0x6A, 0x01, 0x00]) == 0)
        #expect(BitcoinSizeEstimate.dustThreshold(scriptPubKey: try PayoutTestWallet.outsider(.p2wpkh), dustRelayFeeRate: BitcoinFeeRate(perKilovbyte: 1)) == 1)
    }

    @Test func feeRoundsUp() {
        let rate = BitcoinFeeRate(perKilovbyte: 1_500)
        #expect(rate.fee(virtualSize: 141) == 212)  // 211.5
        #expect(rate.fee(virtualSize: 0) == 0)
        #expect(BitcoinFeeRate.perVbyte(2).fee(virtualSize: 141) == 282)
        #expect(BitcoinFeeRate(perKilovbyte: .max).fee(virtualSize: .max) > UInt128(UInt64.max))
    }

    /// Random mixes of p2wpkh, p2sh-p2wpkh and p2tr inputs and of output scripts, signed and
    /// finalised: the estimate is never below the real virtual size, and at most one vbyte per
    /// input above it.
    @Test func estimateBoundsTheSignedSize() async {
        let outputScripts: [[UInt8]] = [
            try! PayoutTestWallet.outsider(.p2wpkh), try! PayoutTestWallet.outsider(.p2tr), try! PayoutTestWallet.outsider(.p2pkh),
            try! PayoutTestWallet.outsider(.p2shP2wpkh), [0x00, 0x20] + [UInt8](repeating: 5, count: 32), [0x6A, 0x04, 1, 2, 3, 4],
        ]
        let schemes: [BitcoinScheme] = [.p2wpkh, .p2shP2wpkh, .p2tr]
        await propertyCheck(count: 40, input: Gen.uint64()) { seed throws in
            var random = SplitMix64(state: seed)
            let inputs = try (0..<Int.random(in: 1...6, using: &random)).map { index in
                try PayoutTestWallet.coin(schemes.randomElement(using: &random)!, value: 100_000, index: UInt32(index), txByte: UInt8.random(in: 0...255, using: &random))
            }
            let payments = (0..<Int.random(in: 1...4, using: &random)).map { _ in
                BitcoinTransaction.Output(value: 1_000, scriptPubKey: outputScripts.randomElement(using: &random)!)
            }
            let built = try PSBTBuilder.build(inputs: inputs, payments: payments)
            let signed = try PayoutTestWallet.signAndFinalize(built.psbt)
            let actual = signed.virtualSize
            #expect(built.virtualSize >= actual, "seed \(seed)")
            #expect(built.virtualSize - actual <= UInt64(inputs.count), "seed \(seed): estimate \(built.virtualSize), actual \(actual)")
            #expect(BitcoinSizeEstimate.weight(inputs: inputs.map(\.scheme), outputScripts: payments.map(\.scriptPubKey)) >= signed.weight)
        }
    }
}
