import CofferBase

/// The Ethereum contract ABI: types, values, call data and event logs.
public enum ABIDomain: ErrorDomain {}

/// Why an ABI type, value or encoding was refused. Every message names what is wrong and where
/// (the JSON path, the value's path such as `value 1[2].0`, the byte position in the data).
public typealias ABIError = DomainError<ABIDomain>

extension ABIError {
    /// A type string, signature or ABI JSON document that cannot be used.
    public static func invalidABI(_ message: String) -> ABIError {
        ABIError(.invalidInput, "invalid-abi", message)
    }

    /// A value that does not fit the type it is encoded as.
    public static func invalidValue(_ message: String) -> ABIError {
        ABIError(.invalidInput, "invalid-abi-value", message)
    }

    /// Call data, return data or a log that does not decode strictly as the expected types.
    public static func invalidData(_ message: String) -> ABIError {
        ABIError(.invalidInput, "invalid-abi-data", message)
    }
}
