import CofferBase
import Foundation
import Testing
@testable import CofferCore

/// Scheduled reconciliations as `coffer serve` makes them (`ReconSchedulerService` calls
/// `runDue`): after each import, and daily at a time, each run once even when two servers on
/// one database look at the same moment.
struct ReconScheduleTests {
    @Test(arguments: ServerBackend.all)
    func schedulesRunOnceAcrossServers(_ backend: ServerBackend) async throws {
        try await backend.withServices { all in
            let first = all[0].recon, second = all[all.count - 1].recon
            let caller = try Caller.commandLine()
            _ = try await first.addMapping(AddReconMappingRequest(name: "m", mapping: #"{"amount":"cents","asset":{"fixed":"USD"},"time":"at","time_format":"unix"}"#),
                                           by: caller)
            _ = try await first.setRules(SetReconRulesRequest(rules: #"[{"name":"exact","match":{"reference":"exact","amount":"exact"}}]"#), by: caller)
            let onImport = try await first.addSchedule(kind: "on_import", at: nil, statement: nil, account: nil, by: caller)
            let daily = try await first.addSchedule(kind: "daily", at: "00:00", statement: nil, account: nil, by: caller)
            #expect(onImport.kind == "on_import" && daily.at == "00:00")
            await #expect(throws: ServiceError.self) { _ = try await first.addSchedule(kind: "daily", at: "24:00", statement: nil, account: nil, by: caller) }
            await #expect(throws: ServiceError.self) { _ = try await first.addSchedule(kind: "hourly", at: nil, statement: nil, account: nil, by: caller) }

            _ = try await first.importStatement(ImportStatementRequest(mapping: "m", name: "s1", content: Array("cents,at\n100,1700000000\n".utf8)), by: caller)
            let now = Int64(Date().timeIntervalSince1970) + 5
            // Both servers look at once: the import is reconciled once; the daily run is not due
            // (it was made after today's 00:00).
            async let a = first.runDue(now: now)
            async let b = second.runDue(now: now)
            let (ranA, ranB) = try await (a, b)
            #expect(ranA.runs.count + ranB.runs.count == 1 && ranA.failures.isEmpty && ranB.failures.isEmpty, "\(ranA) \(ranB)")
            #expect(try await first.runDue(now: now).runs.isEmpty)

            // Tomorrow after 00:00 the daily run reconciles the latest statement, once.
            let tomorrow = now - now % 86_400 + 86_400 + 60
            async let c = first.runDue(now: tomorrow)
            async let d = second.runDue(now: tomorrow)
            let (ranC, ranD) = try await (c, d)
            #expect(ranC.runs.count + ranD.runs.count == 1 && (ranC.runs + ranD.runs).first?.statement == "s1")
            let runs = try await first.runs(limit: 10, by: caller)
            #expect(runs.count == 2 && runs.allSatisfy { $0.trigger == "schedule" && $0.statement == "s1" && $0.exceptions == 1 }, "\(runs.map(\.trigger))")

            try await first.removeSchedule(daily.id, by: caller)
            #expect(try await first.schedules(by: caller).map(\.id) == [onImport.id])
            await #expect(throws: ServiceError.self) { try await first.removeSchedule(daily.id, by: caller) }
        }
    }

    /// A daily chain run: the scripted node's holdings against the custody account, made once
    /// across two servers at its time; a chain schedule with a statement, on import or on an
    /// unknown chain is refused.
    @Test(arguments: ServerBackend.all)
    func aDailyChainRunRunsOnceAcrossServers(_ backend: ServerBackend) async throws {
        let node = ScriptedChain()
        node.mine([])
        try await backend.withServices(sources: node.sources) { all in
            let first = all[0], second = all[all.count - 1]
            let caller = try Caller.commandLine()
            _ = try await first.chains.add(AddChainRequest(name: "ltc", network: "litecoin-regtest", rpcURL: "http://127.0.0.1:1/"), by: caller)
            let daily = try await first.recon.addSchedule(kind: "daily", at: "03:00", statement: nil, account: nil, chain: "ltc", by: caller)
            #expect(daily.chain == "ltc" && daily.statement == nil)
            for (kind, at, statement, chain) in [("daily", "03:00", "s1", "ltc"), ("on_import", nil, nil, "ltc"), ("daily", "03:00", nil, "nope")] {
                await #expect(throws: ServiceError.self) {
                    _ = try await first.recon.addSchedule(kind: kind, at: at, statement: statement, account: nil, chain: chain, by: caller)
                }
            }
            #expect(try await first.recon.schedules(by: caller).count == 1)

            let now = Int64(Date().timeIntervalSince1970)
            let tomorrow = now - now % 86_400 + 86_400 + 3 * 3_600 + 60
            async let a = first.recon.runDue(now: tomorrow)
            async let b = second.recon.runDue(now: tomorrow)
            let (ranA, ranB) = try await (a, b)
            let made = ranA.runs + ranB.runs
            #expect(made.count == 1 && ranA.failures.isEmpty && ranB.failures.isEmpty, "\(ranA) \(ranB)")
            #expect(made.first?.source == "chain" && made.first?.trigger == "schedule" && made.first?.balances.first?.status == "balanced")
            #expect(try await first.recon.runDue(now: tomorrow + 60).runs.isEmpty)
        }
    }
}
