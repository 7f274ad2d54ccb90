/// A test harness could not do its job (a node that does not start, an answer it cannot use).
public struct HarnessError: Error, CustomStringConvertible {
    public let description: String
    /// The process ended before it was ready (e.g. its port was taken meanwhile).
    let exitedEarly: Bool

    public init(_ description: String) {
        self.init(description, exitedEarly: false)
    }

    init(_ description: String, exitedEarly: Bool) {
        self.description = description
        self.exitedEarly = exitedEarly
    }
}
