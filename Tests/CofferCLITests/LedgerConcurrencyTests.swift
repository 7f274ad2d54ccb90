import Foundation
import Testing

/// Several `coffer ledger transfer` processes at once between the same few hot accounts, each
/// submitting its own transfers and every shared one (the same ids, the same fields): each transfer
/// is committed exactly once, balances are the sum of those acknowledged `created`, `verify` passes.
struct LedgerConcurrencyTests {
    static let processes = 4
    static let runsPerProcess = 4
    static let accounts = ["hot-a", "hot-b", "hot-c"]

    @Test func sqlite() throws {
        try Self.run(on: .sqlite)
    }

    @Test(LedgerTestBackend.postgresEnabled) func postgres() throws {
        try Self.run(on: .postgres)
    }

    static func run(on kind: LedgerTestBackend.Kind) throws {
        let backend = try LedgerTestBackend.fresh(kind)
        defer { try? backend.remove() }
        var random = SystemRandomNumberGenerator()
        var shared = LedgerWorkload(accounts: accounts, idPrefix: "shared-")
        shared.generate(units: 300, using: &random)
        let own = (0..<processes).map { index in
            var workload = LedgerWorkload(accounts: accounts, idPrefix: "p\(index)-")
            workload.generate(units: 150, using: &random)
            return workload
        }
        try shared.createAccounts(on: backend)

        // Each process's input: its own units and all shared ones, interleaved at random (each
        // list keeps its order, so a pending transfer precedes its post), cut into several runs.
        let runs = own.map { Self.runs(interleaving: shared.units, $0.units, into: runsPerProcess, using: &random) }
        let outcomes = try onSeparateThreads(processes) { index in
            try runs[index].map { units in
                let input = units.joined().map(\.line).joined(separator: "\n") + "\n"
                return try CofferChildProcess(backend.ledgerArguments(["transfer"]), input: Data(input.utf8)).finish(within: .seconds(120))
            }
        }

        var results: [String: [String]] = [:]
        var unexpected: [String] = [], partlyApplied: [String] = []
        for (processRuns, processOutcomes) in zip(runs, outcomes) {
            for (units, outcome) in zip(processRuns, processOutcomes) {
                let submitted = Array(units.joined())
                try #require(!outcome.killed, "a concurrent writer did not end within 120 s (deadlock?)")
                try #require(outcome.status == 0, "a concurrent writer failed: \(outcome.stderr)")
                try #require(outcome.lines.count == submitted.count, "printed \(outcome.lines.count) of \(submitted.count) results")
                var offset = 0
                for unit in units {
                    let unitResults = try outcome.lines[offset..<offset + unit.count].map(LedgerCrashRun.parseResult)
                    offset += unit.count
                    for (transfer, (id, result)) in zip(unit, unitResults) {
                        try #require(id == transfer.id, "result for \(id) where \(transfer.id) was submitted")
                        if !transfer.acceptableResults.contains(result) { unexpected.append("\(id): \(result)") }
                        results[id, default: []].append(result)
                    }
                    if !unit[0].isRefused && Set(unitResults.map(\.result)).count != 1 {
                        partlyApplied.append("\(unit.map(\.id)): \(unitResults.map(\.result))")
                    }
                }
            }
        }

        expectNone(unexpected, "unexpected results")
        expectNone(partlyApplied, "linked chains partly applied")

        let all = shared.transfers + own.flatMap(\.transfers)
        let notOnce = all.filter { !$0.isRefused }.compactMap { transfer -> String? in
            let submissions = transfer.id.hasPrefix("shared-") ? processes : 1
            let answers = results[transfer.id, default: []]
            return answers.count == submissions && answers.filter { $0 == "created" }.count == 1
                ? nil : "\(transfer.id) submitted \(submissions) times: \(answers)"
        }
        expectNone(notOnce, "transfers not created exactly once")
        let acknowledgedCreated = all.filter { results[$0.id]?.contains("created") == true }
        let mismatches = try ExpectedBalances(acknowledgedCreated).mismatches(on: backend, accounts: accounts + [LedgerWorkload.refusingAccount])
        #expect(mismatches.isEmpty, "balances differ from the sum of the created transfers:\n\(mismatches.joined(separator: "\n"))")
        let verify = try backend.run(["verify"])
        #expect(verify.status == 0, "verify: \(verify.stderr)")
        #expect(verify.stdout.contains("\"transfers\":\(acknowledgedCreated.count),"), "\(verify.stdout)")
    }

    /// `first` and `second` merged at random, each keeping its order, then cut at unit boundaries
    /// into `count` runs of about equal size.
    static func runs(
        interleaving first: [[GeneratedTransfer]], _ second: [[GeneratedTransfer]], into count: Int,
        using random: inout some RandomNumberGenerator
    ) -> [[[GeneratedTransfer]]] {
        var merged: [[GeneratedTransfer]] = []
        var (i, j) = (0, 0)
        while i < first.count || j < second.count {
            let takeFirst = j == second.count || (i < first.count && Int.random(in: 0..<(first.count - i + second.count - j), using: &random) < first.count - i)
            if takeFirst {
                merged.append(first[i])
                i += 1
            } else {
                merged.append(second[j])
                j += 1
            }
        }
        let perRun = (merged.count + count - 1) / count
        return stride(from: 0, to: merged.count, by: perRun).map { Array(merged[$0..<min($0 + perRun, merged.count)]) }
    }
}
