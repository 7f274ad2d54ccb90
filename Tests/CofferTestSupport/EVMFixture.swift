public import ChainNodes
public import CofferBase
import Foundation
import Synchronization

/// A real EVM for one test or one suite: scripts/evm-fixture/server.py (eth-tester over py-evm)
/// started from .build/evm-venv on a free loopback port, driven through its JSON-RPC methods.
///
/// Use it scoped, so the process ends with the test, also when it fails:
/// `try await EVMFixture.run { fixture in ... }`. A fixture that cannot start (the venv is
/// missing, the server dies) throws with the reason: the EVM tests fail, they never skip.
/// The server also watches its standard input, a pipe this object holds: if the test runner
/// dies without stopping it, the pipe closes and the server exits by itself.
///
/// Mining is manual: transactions sent wait in the pending block until `mine`. Amounts are wei
/// (or token units) as `UInt128`.
public final class EVMFixture: Sendable {
    /// The chain id the fixture runs with.
    public let chainID: UInt64
    public let port: Int
    /// `http://127.0.0.1:PORT/`.
    public let url: String
    /// A client for the fixture's own methods (no retries: a failing fixture should fail fast).
    public let client: JSONRPCClient
    private let process: Process
    private let stopped = Mutex(false)
    private let standardInput: FileHandle
    private let errors: OutputBuffer

    private init(chainID: UInt64, port: Int, process: Process, standardInput: FileHandle, errors: OutputBuffer) throws {
        self.chainID = chainID
        self.port = port
        self.url = "http://127.0.0.1:\(port)/"
        self.client = try JSONRPCClient(url: url, dialect: .ethereum, timeout: .seconds(60), retry: .once)
        self.process = process
        self.standardInput = standardInput
        self.errors = errors
    }

    deinit { stop() }

    /// Starts a fixture, runs `body` with it and stops it, however `body` ends.
    public static func run<T>(chainID: UInt64 = 1337, _ body: (EVMFixture) async throws -> T) async throws -> T {
        let fixture = try await start(chainID: chainID)
        defer { fixture.stop() }
        return try await body(fixture)
    }

    /// The package's root, found from this file's place in it (Tests/CofferTestSupport/).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The venv's Python: COFFER_EVM_PYTHON if set, else .build/evm-venv/bin/python.
    static var python: String {
        ProcessInfo.processInfo.environment["COFFER_EVM_PYTHON"]
            ?? packageRoot.appendingPathComponent(".build/evm-venv/bin/python").path
    }

    /// Starts a fixture and waits until it listens (eth-tester and py-evm take several seconds
    /// to import; `timeout` allows for a busy machine). Stop it with `stop()`, or use `run`.
    public static func start(chainID: UInt64 = 1337, timeout: Duration = .seconds(180)) async throws -> EVMFixture {
        let python = Self.python
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw EVMFixtureError("the EVM fixture's Python \(python) is missing: run scripts/evm-fixture/setup (scripts/test does) to install eth-tester into .build/evm-venv")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [packageRoot.appendingPathComponent("scripts/evm-fixture/server.py").path,
                             "--port", "0", "--chain-id", String(chainID), "--watch-stdin"]
        let input = Pipe(), output = Pipe(), errorOutput = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errorOutput
        let printed = OutputBuffer(), errors = OutputBuffer()
        printed.collect(from: output.fileHandleForReading)
        errors.collect(from: errorOutput.fileHandleForReading)
        try process.run()
        try? input.fileHandleForReading.close()  // the child has its copy

        let deadline = ContinuousClock.now + timeout
        while true {
            if let line = printed.firstLine {
                guard let port = Int(line), port > 0 else {
                    Self.kill(process)
                    throw EVMFixtureError("the EVM fixture printed \"\(line)\" instead of its port; stderr: \(errors.text)")
                }
                return try EVMFixture(chainID: chainID, port: port, process: process, standardInput: input.fileHandleForWriting, errors: errors)
            }
            if !process.isRunning {
                throw EVMFixtureError("the EVM fixture exited with status \(process.terminationStatus) before listening; stderr: \(errors.text)")
            }
            if ContinuousClock.now > deadline {
                Self.kill(process)
                throw EVMFixtureError("the EVM fixture did not listen within \(timeout); stderr: \(errors.text)")
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Ends the server (SIGTERM, SIGKILL after 5 s) and waits for it. Harmless when stopped.
    public func stop() {
        guard stopped.withLock({ stopped in defer { stopped = true }; return !stopped }) else { return }
        try? standardInput.close()
        Self.kill(process)
    }

    /// Whether the server process still runs.
    public var isRunning: Bool { process.isRunning }

    /// What the server wrote to standard error so far (tracebacks of failed calls).
    public var standardError: String { errors.text }

    private static func kill(_ process: Process) {
        if process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(5)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { _ = Foundation.kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    // MARK: - The fixture's methods

    /// Calls any method of the fixture.
    @discardableResult
    public func call(_ method: String, _ params: [JSONValue] = []) async throws -> JSONValue {
        try await client.call(method, params)
    }

    /// The funded test accounts (lowercase 0x hex); each holds 1,000,000 ether at genesis.
    public func accounts() async throws -> [String] {
        guard case .array(let items) = try await call("eth_accounts") else { throw EVMFixtureError("eth_accounts is not an array") }
        return try items.map { item throws -> String in
            guard case .string(let account) = item else { throw EVMFixtureError("eth_accounts holds a non-string") }
            return account
        }
    }

    /// The private key of test account `index` (eth-tester's keys are 1, 2, 3, ... as 32 bytes).
    public static func privateKey(ofAccount index: Int) -> [UInt8] {
        precondition((0..<10).contains(index), "the fixture has test accounts 0...9")
        return [UInt8](repeating: 0, count: 31) + [UInt8(index + 1)]
    }

    /// Mines `blocks` blocks (the first takes every pending transaction); their hashes.
    @discardableResult
    public func mine(_ blocks: Int = 1) async throws -> [String] {
        try Self.strings(await call("evm_mine", [.integer(blocks)]), "evm_mine")
    }

    /// Remembers the chain as it is now; `revert(to:)` comes back to it.
    public func snapshot() async throws -> String {
        try Self.string(await call("evm_snapshot"), "evm_snapshot")
    }

    /// Drops every block after `snapshot` and the pending transactions; mining then makes a
    /// different chain from there (a reorganisation, as the node's clients see it).
    public func revert(to snapshot: String) async throws {
        guard try await call("evm_revert", [.string(snapshot)]) == .bool(true) else { throw EVMFixtureError("no snapshot \(snapshot)") }
    }

    /// Sends `value` wei from test account `account` to `address` (pending until mined); the
    /// transaction's hash. `gas` defaults to 21,000 (a plain transfer).
    public func send(to address: String, value: UInt128, from account: Int = 0, gas: UInt64? = nil) async throws -> String {
        var transaction: [(key: String, value: JSONValue)] = [("to", .string(address)), ("value", Self.quantity(value)), ("from", .integer(account))]
        if let gas { transaction.append(("gas", Self.quantity(UInt128(gas)))) }
        return try Self.string(await call("fixture_send", [.object(transaction)]), "fixture_send")
    }

    /// Compiles scripts/evm-fixture/Token.vy (an ERC-20) with Vyper, deploys it from test
    /// account 0 and mines that block; the token's address.
    public func deployToken(name: String = "Coffer Test Token", symbol: String = "CTT", decimals: UInt8 = 18) async throws -> String {
        let token: JSONValue = .object([("name", .string(name)), ("symbol", .string(symbol)), ("decimals", .integer(decimals))])
        return try Self.string(await call("fixture_deployToken", [token]), "fixture_deployToken")
    }

    /// Mints `amount` of `token` to `address` (by the deployer), or with `from` transfers it from
    /// that test account's balance; pending until mined. The transaction's hash.
    public func tokenTransfer(token: String, to address: String, amount: UInt128, from account: Int? = nil) async throws -> String {
        var transfer: [(key: String, value: JSONValue)] = [("token", .string(token)), ("to", .string(address)), ("amount", Self.quantity(amount))]
        if let account { transfer.append(("from", .integer(account))) }
        return try Self.string(await call("fixture_tokenTransfer", [.object(transfer)]), "fixture_tokenTransfer")
    }

    /// A fresh address nobody holds a key for (20 random bytes, lowercase hex): a recipient
    /// no other test pays, so tests can share one chain.
    public static func randomAddress() -> String {
        "0x" + (0..<20).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }

    private static func quantity(_ value: UInt128) -> JSONValue { .string("0x" + String(value, radix: 16)) }

    private static func string(_ value: JSONValue, _ method: String) throws -> String {
        guard case .string(let text) = value else { throw EVMFixtureError("\(method) answered \(value.text), not a string") }
        return text
    }

    private static func strings(_ value: JSONValue, _ method: String) throws -> [String] {
        guard case .array(let items) = value else { throw EVMFixtureError("\(method) answered \(value.text), not an array") }
        return try items.map { try string($0, method) }
    }
}

/// The fixture could not start or answered something unexpected.
public struct EVMFixtureError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Bytes a child process writes to a pipe, collected as they arrive.
private final class OutputBuffer: Sendable {
    private let bytes = Mutex<[UInt8]>([])

    func collect(from handle: FileHandle) {
        handle.readabilityHandler = { [self] handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                return
            }
            bytes.withLock { $0.append(contentsOf: chunk) }
        }
    }

    var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }

    /// The first complete line, once there is one.
    var firstLine: String? {
        bytes.withLock { bytes in
            bytes.firstIndex(of: UInt8(ascii: "\n")).map { String(decoding: bytes[..<$0], as: UTF8.self) }
        }
    }
}
