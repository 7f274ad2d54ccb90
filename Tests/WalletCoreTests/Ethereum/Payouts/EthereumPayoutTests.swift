import Testing
import WalletCore

/// Payout transactions, byte-identical to eth-account: the native coin, and ERC-20
/// `transfer(address,uint256)` calls.
struct EthereumPayoutTests {
    static let recipient = "0x9E04351E32829874B5B5946b92C2C879A429f4c8"
    static let usdt = "0xdAC17F958D2ee523a2206206994597C13D831ec7"
    static let key = "dbaa42422d53889595797aeb1cfb60da58bdf33c37c5886c23615c51f540be33"

    /// The ERC-20 call data: selector a9059cbb (Keccak-256 of `transfer(address,uint256)`), the
    /// recipient and the amount as 32-byte words.
    @Test func erc20TransferCallData() throws {
        #expect(ERC20.transferFunction.selectorHex == "0xa9059cbb" && ERC20.transferFunction.signature == "transfer(address,uint256)")
        let data = try ERC20.transferCallData(to: hex("9e04351e32829874b5b5946b92c2c879a429f4c8"), amount: 250_000_000)
        #expect(Hex.encode(data) == "a9059cbb" + "0000000000000000000000009e04351e32829874b5b5946b92c2c879a429f4c8"
            + "000000000000000000000000000000000000000000000000000000000ee6b280")
        #expect(try ERC20.transferFunction.decodeCall(data) == [.address(hex("9e04351e32829874b5b5946b92c2c879a429f4c8")), .uint(EthereumQuantity(250_000_000))])
        let largest = try ERC20.transferCallData(to: [UInt8](repeating: 0x11, count: 20), amount: .max)
        #expect(Hex.encode(Array(largest.suffix(32))) == String(repeating: "0", count: 32) + String(repeating: "f", count: 32))
        #expect(throws: ABIError.self) { try ERC20.transferCallData(to: [1, 2, 3], amount: 1) }
    }

    /// The eth-account vector "type 2 plain transfer, mainnet", built as a payout.
    @Test func nativePayoutMatchesEthAccount() throws {
        let vector = try #require(try EthereumVectors.cases("transactions").first { $0["description"] == "type 2 plain transfer, mainnet" })
        let payout = try EthereumPayout(
            chainID: 1, nonce: 0, fees: try EIP1559Fees(maxPriorityFeePerGas: 1_000_000_000, maxFeePerGas: 30_000_000_000),
            gasLimit: EthereumPayout.nativeTransferGas, recipient: Self.recipient.lowercased(), amount: 1_000_000_000_000_000_000)
        let signed = try payout.transaction.signed(with: try EthereumVectors.key(vector))
        #expect("0x" + Hex.encode(signed.raw) == vector["raw"] && "0x" + Hex.encode(signed.hash) == vector["hash"])
        #expect(payout.transaction == (try EthereumTransaction(json: Array(try #require(vector["request"]).utf8), chainID: EthereumQuantity(1))))
        #expect(payout.destination == Self.recipient && payout.tokenContract == nil && payout.maximumFee == 630_000_000_000_000)
    }

    /// 250 USDT (6 decimals) as an ERC-20 transfer: raw and hash computed with eth-account 0.14.0
    /// and eth-abi (`Account.sign_transaction` of the same fields, `encode(["address","uint256"], ...)`).
    @Test func erc20PayoutMatchesEthAccount() throws {
        let payout = try EthereumPayout(
            chainID: 1, nonce: 7, fees: try EIP1559Fees(maxPriorityFeePerGas: 1_500_000_000, maxFeePerGas: 40_000_000_000),
            gasLimit: 65_000, recipient: Self.recipient, amount: 250_000_000, tokenContract: Self.usdt.lowercased())
        let transaction = payout.transaction
        #expect(transaction.type == 2 && transaction.value == .zero && transaction.to == hex("dac17f958d2ee523a2206206994597c13d831ec7"))
        #expect(transaction.data == (try ERC20.transferCallData(to: hex("9e04351e32829874b5b5946b92c2c879a429f4c8"), amount: 250_000_000)))
        let signed = try transaction.signed(with: try Secp256k1.PrivateKey(hex(Self.key)))
        #expect(Hex.encode(signed.raw) == "02f8b001078459682f008509502f900082fde894dac17f958d2ee523a2206206994597c13d831ec780b844a9059cbb0000000000000000000000009e04351e32829874b5b5946b92c2c879a429f4c8000000000000000000000000000000000000000000000000000000000ee6b280c001a06cca6fbdd78f220978a73042ac055a25cf905d9135f0a00f67119b8227a60294a065a97b170550c0c9749b7468b5d0d4d3b01808fa033f36862a3bea2006a61def")
        #expect(Hex.encode(signed.hash) == "6b3a6b83d2911ebebca60452969eb4799858c5536c74a76101897add1b621132")
        #expect(signed.from == "0x44aedcf2569880F2B61874Fe1018cB3ACf99885F")
        #expect(payout.tokenContract == Self.usdt && payout.destination == Self.recipient && payout.maximumFee == 2_600_000_000_000_000)
    }

    @Test(arguments: [
        (UInt64(0), recipient, nil as String?, "chain id 0 must be in 1...9007199254740992"),
        ((1 << 53) + 1, recipient, nil, "chain id 9007199254740993"),
        (1, "0x9e04351E32829874B5B5946b92C2C879A429f4c8", nil, "recipient: ethereum address has a wrong EIP-55 checksum"),
        (1, "0x0000000000000000000000000000000000000000", nil, "recipient is the zero address"),
        (1, recipient, "0xdac17f958d2ee523a2206206994597c13d831e", "token contract: ethereum address must have 40 hex digits"),
        (1, recipient, "0x0000000000000000000000000000000000000000", "token contract is the zero address"),
    ])
    func unusablePayoutsAreRefused(chainID: UInt64, recipient: String, token: String?, message: String) throws {
        let fees = try EIP1559Fees(maxPriorityFeePerGas: 1, maxFeePerGas: 2)
        #expect {
            try EthereumPayout(chainID: chainID, nonce: 0, fees: fees, gasLimit: 21_000, recipient: recipient, amount: 1, tokenContract: token)
        } throws: { error in
            (error as? EthereumPayoutError)?.kind == .invalidPayout && "\(error)".hasPrefix(message)
        }
    }
}
