import Crypto

/// BIP340 tagged hashes: `SHA256(SHA256(tag) || SHA256(tag) || data)`, domain-separating
/// Schnorr and Taproot hashes from every other use of SHA-256.
public enum TaggedHash {
    public static func sha256<Bytes: Sequence>(tag: String, _ data: Bytes) -> [UInt8] where Bytes.Element == UInt8 {
        let tagHash = Array(SHA256.hash(data: Array(tag.utf8)))
        var hasher = SHA256()
        hasher.update(data: tagHash)
        hasher.update(data: tagHash)
        hasher.update(data: Array(data))
        return Array(hasher.finalize())
    }
}
