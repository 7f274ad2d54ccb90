import Foundation
import Testing

/// `coffer ledger transfer` killed with SIGKILL at random moments under load and restarted each
/// time, as a client retries: no acknowledged transfer is lost, none is applied twice, no linked
/// chain is applied in part, balances are the sum of what was generated, and `verify` passes.
struct LedgerCrashTests {
    @Test func sqlite() throws {
        var crashRun = try LedgerCrashRun(.sqlite)
        try crashRun.run()
    }

    @Test(LedgerTestBackend.postgresEnabled) func postgres() throws {
        var crashRun = try LedgerCrashRun(.postgres)
        try crashRun.run()
    }
}

/// One crash test on one backend. A result line the writer printed before it was killed is an
/// acknowledgement: the client may forget that transfer. After each kill the writer is restarted
/// with the next input starting at the chain of the first unacknowledged transfer, so transfers
/// committed but not yet printed when the kill landed are resubmitted and must come back `exists`.
struct LedgerCrashRun {
    static let minimumKills = 20
    static let targetKills = 25
    /// After this long the run stops at the minimum, so a busy machine still ends in about a minute.
    static let killBudget: Duration = .seconds(25)
    static let batchSize = 8_000

    /// When the kill lands.
    enum KillTiming: String, CaseIterable {
        /// At a random moment of the predicted run: reading input, committing, printing or between batches.
        case anywhere
        /// Around the predicted end of the first commit: just before COMMIT, or after it before the
        /// results are printed (the window where a transfer is durable but unacknowledged).
        case aroundFirstCommit
        /// Within 20 ms of the first result line: while printing a batch or committing the next.
        case afterFirstResult
    }

    let backend: LedgerTestBackend
    var workload = LedgerWorkload(accounts: ["hot-a", "hot-b", "hot-c", "hot-d", "hot-e"], idPrefix: "k")
    var random = SystemRandomNumberGenerator()
    /// The workload, flattened, and for each transfer the index where its unit (chain) starts and ends.
    var transfers: [GeneratedTransfer] = []
    var unitStart: [Int] = []
    var unitEnd: [Int] = []
    var acknowledged: Set<String> = []
    /// The first transfer not yet acknowledged.
    var next = 0
    var kills: [KillTiming: Int] = [:]
    var killsBeforeAnyResult = 0
    var runs = 0
    /// Learned from runs that printed. The first result comes after start-up, reading and checking
    /// every line, and committing the first batch: about `startup + perTransfer * (lines + firstBatch) / 2`.
    var startup: Duration = .zero
    var perTransfer: Duration?

    init(_ kind: LedgerTestBackend.Kind) throws {
        backend = try LedgerTestBackend.fresh(kind)
    }

    mutating func run() throws {
        defer { try? backend.remove() }
        let clock = ContinuousClock(), began = clock.now
        try workload.createAccounts(on: backend)
        startup = try clock.measure { try backend.run(["balance", workload.accounts[0]]) }

        var killCount: Int { kills.values.reduce(0, +) }
        while killCount < Self.targetKills && !(killCount >= Self.minimumKills && clock.now - began > Self.killBudget) && runs < 400 {
            try writerRun()
        }
        #expect(killCount >= Self.minimumKills, "only \(killCount) kills landed in \(runs) runs")
        let killing = clock.now - began

        let committedUnacknowledged = try finalCheck()
        print("LedgerCrashTests.\(backend.kind): \(killCount) kills in \(runs) runs (\(kills.map { "\($0.key.rawValue) \($0.value)" }.sorted().joined(separator: ", ")); "
            + "\(killsBeforeAnyResult) before any result), \(transfers.count) transfers, \(acknowledged.count) acknowledged, "
            + "\(committedUnacknowledged) committed but unacknowledged at a kill; kills \(killing), total \(clock.now - began)")
    }

    /// Starts the writer on the next slice of the workload, kills it at a random moment (unless it
    /// finishes first) and records what it acknowledged.
    mutating func writerRun() throws {
        let timing = perTransfer == nil ? .afterFirstResult : KillTiming.allCases.randomElement(using: &random)!
        let size = switch timing {
        case .anywhere: Int.random(in: 500...Self.batchSize, using: &random)
        case .aroundFirstCommit: Int.random(in: 200...Self.batchSize / 2, using: &random)
        // A third of the time more than a batch, so the kill may land in the second commit.
        case .afterFirstResult: Int.random(in: 1_000...Self.batchSize * 5 / 4, using: &random)
        }
        let start = unitStart.isEmpty ? 0 : unitStart[next]
        while transfers.count < start + size + 3 {
            workload.generate(units: 2_000, using: &random)
            transfers = workload.transfers
            (unitStart, unitEnd) = Self.unitBounds(workload.units)
        }
        let end = unitEnd[start + size - 1]
        let input = transfers[start..<end].map(\.line).joined(separator: "\n") + "\n"

        let writer = try CofferChildProcess(backend.ledgerArguments(["transfer"]), input: Data(input.utf8))
        let firstBatchWork = (end - start + min(end - start, Self.batchSize)) / 2
        let predictedFirst = startup + (perTransfer ?? .zero) * firstBatchWork
        switch timing {
        case .anywhere:
            let predictedWhole = startup + (perTransfer ?? .zero) * (end - start) * 3 / 2
            Thread.sleep(forTimeInterval: Self.randomDuration(upTo: predictedWhole, using: &random).timeInterval)
        case .aroundFirstCommit:
            Thread.sleep(forTimeInterval: (predictedFirst * Int.random(in: 75...110, using: &random) / 100).timeInterval)
        case .afterFirstResult:
            if writer.waitForOutput() {
                Thread.sleep(forTimeInterval: Self.randomDuration(upTo: .milliseconds(20), using: &random).timeInterval)
            }
        }
        writer.kill()
        let outcome = writer.finish()
        runs += 1

        if let first = writer.timeToFirstOutput, first > startup {
            let measured = (first - startup) / firstBatchWork
            perTransfer = perTransfer.map { ($0 * 3 + measured) / 4 } ?? measured
        }
        if outcome.killed {
            kills[timing, default: 0] += 1
            if outcome.lines.isEmpty { killsBeforeAnyResult += 1 }
        } else {
            // Finished before the kill: a restart after earlier kills must work like any run.
            try #require(outcome.status == 0, "writer failed after a kill: \(outcome.stderr)")
            try #require(outcome.lines.count == end - start, "printed \(outcome.lines.count) of \(end - start) results")
        }
        var unexpected: [String] = []
        for (offset, line) in outcome.lines.enumerated() {
            let transfer = transfers[start + offset]
            let (id, result) = try Self.parseResult(line)
            try #require(id == transfer.id, "result \(offset) of the run names \(id), expected \(transfer.id)")
            if !transfer.acceptableResults.contains(result) { unexpected.append("\(id): \(result)") }
            acknowledged.insert(id)
        }
        expectNone(unexpected, "unexpected results in a writer run (\(timing))")
        next = start + outcome.lines.count
    }

    /// Resubmits everything generated in one uninterrupted run and checks the ledger against it.
    /// Returns how many transfers were committed but not acknowledged when a kill landed.
    func finalCheck() throws -> Int {
        let input = transfers.map(\.line).joined(separator: "\n") + "\n"
        let outcome = try CofferChildProcess(backend.ledgerArguments(["transfer"]), input: Data(input.utf8)).finish(within: .seconds(180))
        try #require(!outcome.killed, "the final run did not end within 180 s")
        try #require(outcome.status == 0, "final run: \(outcome.stderr)")
        try #require(outcome.lines.count == transfers.count, "final run printed \(outcome.lines.count) of \(transfers.count) results")
        let results = try outcome.lines.map { try Self.parseResult($0).result }

        var committedUnacknowledged = 0
        var unexpected: [String] = [], lost: [String] = [], partlyApplied: [String] = []
        var start = 0
        for unit in workload.units {
            let unitResults = Array(results[start..<start + unit.count])
            defer { start += unit.count }
            for (transfer, result) in zip(unit, unitResults) {
                if !transfer.acceptableResults.contains(result) { unexpected.append("\(transfer.id): \(result)") }
                if acknowledged.contains(transfer.id) && !transfer.isRefused && result != "exists" { lost.append("\(transfer.id): \(result)") }
                if !acknowledged.contains(transfer.id) && result == "exists" { committedUnacknowledged += 1 }
            }
            if !unit[0].isRefused && Set(unitResults).count != 1 {
                partlyApplied.append("\(unit.map(\.id)): \(unitResults)")
            }
        }
        expectNone(unexpected, "unexpected results in the final run")
        expectNone(lost, "acknowledged transfers not committed (the final run did not find them)")
        expectNone(partlyApplied, "linked chains partly applied")

        let expected = ExpectedBalances(transfers)
        let mismatches = try expected.mismatches(on: backend, accounts: workload.accounts + [LedgerWorkload.refusingAccount])
        #expect(mismatches.isEmpty, "balances differ from the sum of the generated transfers:\n\(mismatches.joined(separator: "\n"))")
        let verify = try backend.run(["verify"])
        let committed = transfers.filter { !$0.isRefused }.count
        #expect(verify.status == 0, "verify: \(verify.stderr)")
        #expect(verify.stdout.contains("\"transfers\":\(committed),"), "verify counts other than \(committed) transfers: \(verify.stdout)")
        return committedUnacknowledged
    }

    /// For each transfer index, where its unit starts and ends (exclusive).
    static func unitBounds(_ units: [[GeneratedTransfer]]) -> (starts: [Int], ends: [Int]) {
        var starts: [Int] = [], ends: [Int] = []
        var start = 0
        for unit in units {
            starts += Array(repeating: start, count: unit.count)
            ends += Array(repeating: start + unit.count, count: unit.count)
            start += unit.count
        }
        return (starts, ends)
    }

    /// `{"id":"…","result":"…"[,"message":"…"]}`.
    static func parseResult(_ line: Substring) throws -> (id: String, result: String) {
        let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        let id = try #require(object?["id"] as? String, "not a result line: \(line)")
        let result = try #require(object?["result"] as? String, "not a result line: \(line)")
        return (id, result)
    }

    static func randomDuration(upTo limit: Duration, using random: inout some RandomNumberGenerator) -> Duration {
        let nanoseconds = max(0, limit.components.seconds * 1_000_000_000 + limit.components.attoseconds / 1_000_000_000)
        return .nanoseconds(Int64.random(in: 0...nanoseconds, using: &random))
    }
}
