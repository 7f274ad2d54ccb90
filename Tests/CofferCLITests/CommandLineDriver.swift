import CofferBase
import Testing

/// A test's handle on one data directory, driven through the `coffer` binary: `ok` runs a
/// command that must succeed and returns its output, `objects` reads JSON Lines output.
protocol CommandLineDriver {
    /// The environment every command runs with (data directory, vault passphrase file, database).
    var environment: [String: String] { get }
}

extension CommandLineDriver {
    @discardableResult
    func ok(_ arguments: [String], stdin: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        let result = try CofferProcess.run(arguments, stdin: stdin, environment: environment)
        #expect(result.status == 0, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
        return result.stdout
    }

    func objects(_ arguments: [String]) throws -> [JSONValue] {
        try ok(arguments).split(separator: "\n").map { try JSONValue(parsing: String($0)) }
    }
}
