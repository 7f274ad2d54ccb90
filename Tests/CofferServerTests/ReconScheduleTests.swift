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
}
