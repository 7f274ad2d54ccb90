import CofferBase

/// BIP341 script trees: the Merkle root committed to by a taproot output key.
///
/// A tree is JSON-shaped, as in BIP341's wallet vectors: a leaf is
/// `{"script": hex, "leafVersion": n}`, a branch is a two-element array, no tree is null.
public enum TaprootScriptTree {
    public static func merkleRoot(of tree: JSONValue) throws(AddressError) -> [UInt8]? {
        if tree == .null { return nil }
        return try hash(tree)
    }

    /// `TapLeaf` hash of one script: tagged hash of leaf version, compact size, script.
    public static func leafHash(script: [UInt8], leafVersion: UInt8) -> [UInt8] {
        var data: [UInt8] = [leafVersion]
        data.appendVarBytes(script)
        return TaggedHash.sha256(tag: "TapLeaf", data)
    }

    /// `TapBranch` hash: the two children in lexicographic order.
    public static func branchHash(_ a: [UInt8], _ b: [UInt8]) -> [UInt8] {
        TaggedHash.sha256(tag: "TapBranch", a.lexicographicallyPrecedes(b) ? a + b : b + a)
    }

    private static func hash(_ node: JSONValue) throws(AddressError) -> [UInt8] {
        if case .array(let branch) = node {
            guard branch.count == 2 else { throw AddressError("a taproot script tree branch must have two children") }
            return branchHash(try hash(branch[0]), try hash(branch[1]))
        }
        guard case .string(let script)? = node["script"], case .number(let literal)? = node["leafVersion"],
              let version = UInt8(literal)
        else { throw AddressError("a taproot script leaf needs \"script\" (hex) and \"leafVersion\" (0-255)") }
        let bytes: [UInt8]
        do { bytes = try Hex.decode(script) } catch { throw AddressError("taproot leaf script: \(error)") }
        return leafHash(script: bytes, leafVersion: version)
    }
}
