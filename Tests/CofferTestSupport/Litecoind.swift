public import ChainNodes
public import CofferBase
import Foundation
import Synchronization

/// A Litecoin Core 0.21 node (Debian's `litecoind`, a Bitcoin Core 0.21 fork) in regtest for one
/// test: its own data directory and loopback RPC port, cookie authentication, a transaction index,
/// MWEB kept off, no peers, a legacy wallet named `coffer` holding matured coinbase coins.
///
/// Use `Litecoind.with { node in ... }`: the node is stopped (RPC `stop`, SIGKILL after a grace
/// period) and its directory removed however the body ends. Mining, sending, reorganising and
/// double-spending helpers drive it through the node's RPC; amounts are litoshi.
public final class Litecoind: @unchecked Sendable {
    /// `http://127.0.0.1:<port>/`.
    public let rpcURL: String
    public let rpcPort: Int
    /// The cookie file the node writes at start (`<data directory>/regtest/.cookie`).
    public let cookiePath: String
    public let dataDirectory: String
    /// A client for tests' own calls: cookie authentication, a few quick retries.
    public let client: JSONRPCClient
    // Process is not Sendable; it is only asked whether it runs and for its id, and waited for.
    private let process: Process
    private let stopped = Mutex(false)

    /// The executable: `COFFER_LITECOIND`, else Debian's.
    public static let executable = ProcessInfo.processInfo.environment["COFFER_LITECOIND"] ?? "/usr/bin/litecoind"

    /// Blocks mined at start so the wallet's first coinbase outputs are spendable (100 to mature,
    /// a margin so a reorganisation of the last few blocks cannot make a spent coin immature).
    public static let maturingBlocks = 110

    private init(process: Process, dataDirectory: String, rpcPort: Int) throws {
        self.process = process
        self.dataDirectory = dataDirectory
        self.rpcPort = rpcPort
        rpcURL = "http://127.0.0.1:\(rpcPort)/"
        cookiePath = dataDirectory + "/regtest/.cookie"
        client = try JSONRPCClient(
            url: rpcURL, dialect: .bitcoin, credentials: .cookieFile(path: cookiePath), timeout: .seconds(60),
            retry: RetryPolicy(attempts: 3, initialDelay: .milliseconds(50), maximumDelay: .milliseconds(500)))
    }

    deinit {
        // The last resort when `stop` was not reached: no node outlives its test.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// Starts a node, runs `body` with it, and stops it whatever happens.
    public static func with<T>(extraArguments: [String] = [], _ body: (Litecoind) async throws -> T) async throws -> T {
        let node = try await start(extraArguments: extraArguments)
        do {
            let result = try await body(node)
            await node.stop()
            return result
        } catch {
            await node.stop()
            throw error
        }
    }

    /// Starts a node, waits until its RPC answers, creates the wallet and matures coins. Call `stop()`.
    public static func start(extraArguments: [String] = []) async throws -> Litecoind {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw HarnessError("\(executable) is missing: install Debian's litecoind (scripts/setup-system litecoind)")
        }
        // A port found free can be taken before the node binds it: then the node exits at once
        // and another pair of ports is tried.
        var attempt = 1
        while true {
            let node = try launch(extraArguments: extraArguments)
            do {
                try await node.waitUntilReady()
                _ = try await node.cli("createwallet", [.string("coffer")])
                _ = try await node.mine(maturingBlocks)
                return node
            } catch let error as HarnessError where error.exitedEarly && attempt < 3 {
                await node.stop()
                attempt += 1
            } catch {
                await node.stop()
                throw error
            }
        }
    }

    private static func launch(extraArguments: [String]) throws -> Litecoind {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-litecoind-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let rpcPort = try freeLoopbackPort()
        let p2pPort = try freeLoopbackPort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [
            "-regtest", "-datadir=\(directory)", "-server=1", "-daemon=0", "-printtoconsole=0",
            "-rpcport=\(rpcPort)", "-rpcbind=127.0.0.1", "-rpcallowip=127.0.0.1", "-port=\(p2pPort)",
            "-listen=0", "-connect=0", "-dnsseed=0", "-txindex=1", "-fallbackfee=0.0002",
            // MWEB activates itself at height 432 and then blocks plain mining: keep it off.
            "-vbparams=mweb:4102444800:4102444801",
            // Litecoin turns BIP125 replacement off by default; double-spend tests replace.
            "-mempoolreplacement=1",
        ] + extraArguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw HarnessError("cannot start \(executable): \(error)")
        }
        return try Litecoind(process: process, dataDirectory: directory, rpcPort: rpcPort)
    }

    /// Polls until the node answers RPC (its cookie written, warm-up over).
    private func waitUntilReady(timeout: Duration = .seconds(60)) async throws {
        let probe = try JSONRPCClient(url: rpcURL, dialect: .bitcoin, credentials: .cookieFile(path: cookiePath), timeout: .seconds(5), retry: .once)
        let deadline = ContinuousClock.now + timeout
        while true {
            guard process.isRunning else {
                throw HarnessError("litecoind exited with status \(process.terminationStatus) while starting: \(logTail())", exitedEarly: true)
            }
            if FileManager.default.fileExists(atPath: cookiePath), (try? await probe.call("getblockchaininfo")) != nil { return }
            guard ContinuousClock.now < deadline else { throw HarnessError("litecoind did not answer RPC within \(timeout): \(logTail())") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Stops the node (RPC `stop`, SIGKILL if it has not exited after `grace`) and removes its
    /// data directory. Safe to call more than once.
    public func stop(grace: Duration = .seconds(15)) async {
        let first = stopped.withLock { done in
            defer { done = true }
            return !done
        }
        guard first else { return }
        if process.isRunning, let stopper = try? JSONRPCClient(
            url: rpcURL, dialect: .bitcoin, credentials: .cookieFile(path: cookiePath), timeout: .seconds(5), retry: .once) {
            _ = try? await stopper.call("stop")
        }
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(50))
        }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    /// Whether the node process is still running.
    public var isRunning: Bool { process.isRunning }

    /// The end of the node's debug log, for failure messages.
    public func logTail(lines: Int = 15) -> String {
        guard let data = FileManager.default.contents(atPath: dataDirectory + "/regtest/debug.log") else { return "(no debug.log)" }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").suffix(lines).joined(separator: "\n")
    }

    // MARK: RPC helpers

    /// Calls `method` with positional `params` (wallet calls go to the one wallet loaded).
    public func cli(_ method: String, _ params: [JSONValue] = []) async throws -> JSONValue {
        try await client.call(method, params)
    }

    /// A Bitcoin Core client for this node, as Coffer would make one.
    public func rpcNode(timeout: Duration = .seconds(30), retry: RetryPolicy = RetryPolicy(attempts: 2, initialDelay: .milliseconds(50))) throws -> BitcoinRPCNode {
        try BitcoinRPCNode(url: rpcURL, credentials: .cookieFile(path: cookiePath), timeout: timeout, retry: retry)
    }

    public enum AddressType: String, Sendable, CaseIterable {
        case legacy, p2shSegwit = "p2sh-segwit", bech32
    }

    /// A new address of the wallet.
    public func newAddress(_ type: AddressType = .bech32) async throws -> String {
        try Self.string(try await cli("getnewaddress", [.string(""), .string(type.rawValue)]), "getnewaddress")
    }

    /// Mines `blocks` blocks paying `address` (by default a new wallet address each call: after
    /// `invalidateblock`, a block mined again to the same address in the same second would be
    /// the invalidated one). Returns their hashes.
    @discardableResult
    public func mine(_ blocks: Int, to address: String? = nil) async throws -> [String] {
        var target = address ?? ""
        if address == nil { target = try await newAddress(.legacy) }
        let hashes = try await cli("generatetoaddress", [.integer(blocks), .string(target)])
        guard case .array(let items) = hashes else { throw HarnessError("generatetoaddress answered \(hashes.text)") }
        return try items.map { try Self.string($0, "generatetoaddress") }
    }

    /// Pays `amount` litoshi to `address` from the wallet, BIP125-replaceable; returns the txid.
    public func send(to address: String, amount: UInt64) async throws -> String {
        // sendtoaddress address amount comment comment_to subtractfeefromamount replaceable
        let txid = try await cli("sendtoaddress", [.string(address), BitcoinAmount.literal(amount), .string(""), .string(""), .bool(false), .bool(true)])
        return try Self.string(txid, "sendtoaddress")
    }

    /// Marks a block invalid: the node reorganises to the best chain without it, and its
    /// transactions return to the mempool.
    public func invalidate(_ blockHash: String) async throws {
        _ = try await cli("invalidateblock", [.string(blockHash)])
    }

    /// Undoes `invalidate`.
    public func reconsider(_ blockHash: String) async throws {
        _ = try await cli("reconsiderblock", [.string(blockHash)])
    }

    /// A conflicting spend of `txid`'s inputs: all of them, to `address` (a new wallet address by
    /// default), paying `fee` litoshi, signed by the wallet and sent. When `txid` waits in the
    /// mempool it is replaced (BIP125: it must be replaceable and `fee` above its own); when it
    /// does not, the double spend is a plain payment that makes it invalid. Returns the new txid.
    public func doubleSpend(_ txid: String, to address: String? = nil, fee: UInt64 = 100_000, keys: [String]? = nil) async throws -> String {
        let original = try await cli("getrawtransaction", [.string(txid), .bool(true)])
        guard case .array(let inputs)? = original["vin"], !inputs.isEmpty else { throw HarnessError("\(txid) has no inputs to spend again") }
        var spent: [JSONValue] = []
        var total: UInt64 = 0
        for input in inputs {
            guard case .string(let previous)? = input["txid"], case .number(let literal)? = input["vout"], let index = Int(literal) else {
                throw HarnessError("cannot read an input of \(txid): \(input.text)")
            }
            let funding = try await cli("getrawtransaction", [.string(previous), .bool(true)])
            guard case .array(let outputs)? = funding["vout"], outputs.indices.contains(index),
                  case .number(let value)? = outputs[index]["value"], let units = BitcoinAmount.units(literal: value) else {
                throw HarnessError("cannot read output \(index) of \(previous)")
            }
            total += units
            spent.append(.object([("txid", .string(previous)), ("vout", .integer(index))]))
        }
        guard total > fee else { throw HarnessError("the inputs of \(txid) hold \(total) litoshi, not more than the fee \(fee)") }
        var target = address ?? ""
        if address == nil { target = try await newAddress(.bech32) }
        let unsigned = try await cli("createrawtransaction", [.array(spent), .array([.object([(target, BitcoinAmount.literal(total - fee))])])])
        // With `keys` (WIF) the inputs are someone else's (Coffer's): signed with those keys.
        let signed: JSONValue
        if let keys {
            signed = try await cli("signrawtransactionwithkey", [unsigned, .array(keys.map { .string($0) })])
        } else {
            signed = try await cli("signrawtransactionwithwallet", [unsigned])
        }
        guard signed["complete"] == .bool(true), let hex = signed["hex"] else { throw HarnessError("the wallet could not sign the double spend: \(signed.text)") }
        return try Self.string(try await cli("sendrawtransaction", [hex]), "sendrawtransaction")
    }

    /// What the node's wallet received at `address` with at least one confirmation: the total and
    /// the transactions that paid it.
    public func received(by address: String) async throws -> (amount: UInt64, transactions: [String]) {
        let answer = try await cli("listreceivedbyaddress", [.integer(1), .bool(false), .bool(true), .string(address)])
        guard case .array(let rows) = answer, let row = rows.first else { return (0, []) }
        guard case .number(let value)? = row["amount"], let units = BitcoinAmount.units(literal: value), case .array(let txids)? = row["txids"] else {
            throw HarnessError("listreceivedbyaddress \(address): \(row.text)")
        }
        return (units, txids.compactMap { if case .string(let id) = $0 { id } else { nil } })
    }

    /// A transaction's fee, from its inputs' values (the node needs -txindex, which the harness sets).
    public func fee(of txid: String) async throws -> UInt64 {
        let transaction = try await cli("getrawtransaction", [.string(txid), .bool(true)])
        guard case .array(let inputs)? = transaction["vin"], case .array(let outputs)? = transaction["vout"] else { throw HarnessError("cannot read \(txid)") }
        var total: UInt64 = 0
        for input in inputs {
            guard case .string(let previous)? = input["txid"], case .number(let literal)? = input["vout"], let index = Int(literal) else { throw HarnessError("input of \(txid)") }
            let funding = try await cli("getrawtransaction", [.string(previous), .bool(true)])
            guard case .array(let funded)? = funding["vout"], case .number(let value)? = funded[index]["value"], let units = BitcoinAmount.units(literal: value) else {
                throw HarnessError("output \(index) of \(previous)")
            }
            total += units
        }
        for output in outputs {
            guard case .number(let value)? = output["value"], let units = BitcoinAmount.units(literal: value) else { throw HarnessError("output of \(txid)") }
            total -= units
        }
        return total
    }

    private static func string(_ value: JSONValue, _ method: String) throws -> String {
        guard case .string(let text) = value else { throw HarnessError("\(method) answered \(value.text), not a string") }
        return text
    }
}
