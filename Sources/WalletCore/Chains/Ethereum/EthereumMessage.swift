/// EIP-191 version 0x45 ("personal_sign"): signing arbitrary bytes so that the signature can
/// never be replayed as a transaction, whose signing payload never starts with 0x19.
public enum EthereumMessage {
    /// `"\x19Ethereum Signed Message:\n" + decimal byte length + message`.
    public static func prefixed(_ message: [UInt8]) -> [UInt8] {
        Array("\u{19}Ethereum Signed Message:\n\(message.count)".utf8) + message
    }

    /// Keccak-256 of the prefixed message: the digest that is signed.
    public static func hash(_ message: [UInt8]) -> [UInt8] {
        Keccak256.hash(prefixed(message))
    }

    /// Signs `message` (exactly these bytes) as personal_sign does; the result's
    /// ``EthereumSignature/rsv`` is the 65-byte `r || s || v` (v = 27 or 28).
    public static func personalSign(_ message: [UInt8], key: Secp256k1.PrivateKey) throws(EthereumSignatureError) -> EthereumSignature {
        try EthereumSignature.sign(digest: hash(message), with: key)
    }

    /// The EIP-55 address that signed `message` with `signature`.
    public static func recoverSigner(of message: [UInt8], signature: EthereumSignature) throws(EthereumSignatureError) -> String {
        try signature.recoverAddress(digest: hash(message))
    }
}
