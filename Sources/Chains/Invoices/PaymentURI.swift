public import CofferBase

/// Payment URIs a wallet app opens to pay an invoice: BIP21 (`bitcoin:`, `litecoin:`) with the
/// amount in coins, and EIP-681 (`ethereum:`) with the amount in wei or token units and the
/// chain id, for a native payment or an ERC-20 `transfer`.
public enum PaymentURI {
    /// `<scheme>:<address>?amount=<coins>[&message=<memo>]`; the amount exact, without trailing zeros.
    public static func bip21(scheme: String, address: String, amount: UInt128, decimals: UInt8, memo: String?) -> String {
        var uri = "\(scheme):\(address)?amount=\(coins(amount, decimals: decimals))"
        if let memo, !memo.isEmpty { uri += "&message=\(percentEncoded(memo))" }
        return uri
    }

    /// `ethereum:<address>@<chain id>?value=<wei>`, or for a token
    /// `ethereum:<contract>@<chain id>/transfer?address=<address>&uint256=<units>`.
    public static func eip681(address: String, chainID: UInt64, amount: UInt128, token: String?) -> String {
        guard let token else { return "ethereum:\(address)@\(chainID)?value=\(amount)" }
        return "ethereum:\(token)@\(chainID)/transfer?address=\(address)&uint256=\(amount)"
    }

    /// `amount` smallest units as a decimal number of coins: 150000000 with 8 decimals is "1.5".
    static func coins(_ amount: UInt128, decimals: UInt8) -> String {
        var text = AmountText.display(amount, decimals: decimals)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }

    /// RFC 3986 percent-encoding of everything but unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF")
                out += "%\(hex[Int(byte >> 4)])\(hex[Int(byte & 0x0F)])"
            }
        }
        return out
    }
}
