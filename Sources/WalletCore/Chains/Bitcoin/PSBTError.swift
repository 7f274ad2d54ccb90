/// Why a PSBT was refused, or could not be signed or finalised.
public struct PSBTError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
