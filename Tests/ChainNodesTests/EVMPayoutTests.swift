import ChainNodes
import CofferBase
import CofferTestSupport
import Testing
import WalletCore

extension EVMSharedChain.RPCNode {
    /// Payouts built by WalletCore with fees suggested from the node's `eth_feeHistory`,
    /// accepted and executed by a real EVM: the native coin and an ERC-20 token in one block.
    @Test func suggestedFeesPayANativeAndATokenPayout() async throws {
        let key = try Secp256k1.PrivateKey(EVMFixture.privateKey(ofAccount: 8))
        let sender = EthereumAddress.encode(key.publicKey).lowercased()
        let token = try await fixture.deployToken(name: "Payout Dollar", symbol: "PUSD", decimals: 6)
        _ = try await fixture.tokenTransfer(token: token, to: sender, amount: 1_000_000)
        try await fixture.mine()

        let history = try await node.feeHistory(blockCount: 4, rewardPercentiles: [50])
        let fees = try history.suggestedFees(cap: 1_000_000_000_000)
        let nextBaseFee = try #require(history.baseFeePerGas.last)
        #expect(fees.maxFeePerGas == 2 * nextBaseFee + fees.maxPriorityFeePerGas)
        #expect(throws: EthereumPayoutError.self) { try history.suggestedFees(cap: nextBaseFee - 1) }
        let chainID = try await node.chainID()
        let nonce = try await node.nonce(of: sender)
        let (payee, holder) = (EVMFixture.randomAddress(), EVMFixture.randomAddress())
        let native = try EthereumPayout(chainID: chainID, nonce: nonce, fees: fees, gasLimit: EthereumPayout.nativeTransferGas, recipient: payee, amount: 5_000)
        let call = try ERC20.transferCallData(to: try EthereumAddress.decode(holder), amount: 250_000)
        let gas = try await node.estimateGas(EthereumCall(from: sender, to: token, input: call))
        let tokenPayout = try EthereumPayout(chainID: chainID, nonce: nonce + 1, fees: fees, gasLimit: gas + gas / 5, recipient: holder,
                                             amount: 250_000, tokenContract: token)
        #expect(tokenPayout.transaction.data == call)
        var hashes: [String] = []
        for payout in [native, tokenPayout] { hashes.append(try await node.sendRawTransaction(try payout.transaction.signed(with: key).raw)) }
        try await fixture.mine()

        var receipts: [EthereumReceipt] = []
        for hash in hashes { receipts.append(try #require(try await node.receipt(hash: hash))) }
        #expect(receipts.allSatisfy(\.succeeded) && receipts[0].blockHash == receipts[1].blockHash)
        #expect(try #require(receipts[0].effectiveGasPrice) <= fees.maxFeePerGas)
        #expect(try await node.balance(of: payee) == 5_000)
        let log = try #require(receipts[1].logs.first)
        let transfer = try ERC20.decodeTransfer(topics: log.topics, data: "0x" + Hex.encode(log.data))
        #expect(transfer.from == sender && transfer.to == holder && transfer.value == EthereumQuantity(250_000))
    }
}
