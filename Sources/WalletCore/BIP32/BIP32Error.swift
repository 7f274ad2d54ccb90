/// Why a BIP32 operation or an extended key was refused.
public struct BIP32Error: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }

    static func seedLength(_ count: Int) -> BIP32Error {
        BIP32Error("seed must be 16 to 64 bytes, got \(count)")
    }
    static let unusableSeed = BIP32Error("this seed yields an invalid master key (probability ~2^-127); use another seed")
    static let tooDeep = BIP32Error("cannot derive below depth 255")
    static func invalidChild(_ index: ChildIndex) -> BIP32Error {
        BIP32Error("child \(index) yields an invalid key (probability ~2^-127); use the next index")
    }
    static func hardenedFromPublic(_ index: ChildIndex) -> BIP32Error {
        BIP32Error("cannot derive hardened child \(index) from a public key; hardened steps need the private key")
    }
}
