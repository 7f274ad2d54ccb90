extension ERC20 {
    /// `transfer(address to, uint256 amount) returns (bool)`: selector `0xa9059cbb`.
    public static let transferFunction = ABIFunction(
        verified: "transfer", [ABIParameter("to", .address), ABIParameter("amount", .uint256)], outputs: [ABIParameter("", .bool)])

    /// The call data of `transfer(to, amount)`: the selector, the recipient as a 32-byte word and
    /// the amount as a 32-byte big-endian word (68 bytes). `to` is the 20-byte address.
    public static func transferCallData(to recipient: [UInt8], amount: UInt128) throws(ABIError) -> [UInt8] {
        try transferFunction.encodeCall([.address(recipient), .uint(EthereumQuantity(uint128: amount))])
    }
}
