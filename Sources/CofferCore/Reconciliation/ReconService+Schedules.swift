public import CofferBase
import Foundation
public import Reconciliation
import Tenancy
import Ledger

/// A scheduled reconciliation.
public struct ReconScheduleView: Encodable, Sendable {
    public let id: String
    public let kind: String
    public let statement: String?
    public let account: String?
    /// `HH:MM` UTC for daily runs.
    public let at: String?
    /// The chain a daily chain run reconciles against its custody accounts.
    public let chain: String?
    public let lastRunAt: String

    enum CodingKeys: String, CodingKey {
        case id, kind, statement, account, at, chain
        case lastRunAt = "last_run_at"
    }

    init(_ schedule: ReconSchedule) {
        id = String(schedule.id)
        kind = schedule.kind.rawValue
        statement = schedule.statement
        account = schedule.account
        at = schedule.timeOfDay.map { String(format: "%02d:%02d", $0 / 3600, $0 % 3600 / 60) }
        chain = schedule.chain
        lastRunAt = ReconService.timeText(schedule.lastRunAt)
    }
}

/// Schedules: `coffer serve` reconciles on its own, daily at a time of day (a named statement,
/// the latest imported, or a chain against its custody accounts) or after every statement
/// import, with the rules in force then. Each
/// due run is claimed by compare-and-set, so several servers on one database run it once.
extension ReconService {
    public func addSchedule(kind: String, at: String?, statement: String?, account: String?, chain: String? = nil,
                            by caller: Caller) async throws -> ReconScheduleView {
        try caller.require(.write)
        guard let parsed = ReconSchedule.Kind(rawValue: kind) else { throw ServiceError.invalid("kind must be daily or on_import") }
        var timeOfDay: Int64?
        switch parsed {
        case .daily:
            let parts = (at ?? "").split(separator: ":")
            guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let hour = Int64(parts[0]), let minute = Int64(parts[1]),
                  (0...23).contains(hour), (0...59).contains(minute) else {
                throw ServiceError.invalid("at: a daily run needs a time of day HH:MM (UTC)")
            }
            timeOfDay = hour * 3600 + minute * 60
        case .onImport:
            guard at == nil, statement == nil, chain == nil else {
                throw ServiceError.invalid("an on_import run reconciles each imported statement: no at, no statement, no chain")
            }
        }
        if let chain {
            guard statement == nil, account == nil else { throw ServiceError.invalid("a chain run compares the chain's custody accounts: no statement, no account") }
            _ = try await chains.find(chain, by: caller)
        }
        if let statement { _ = try Self.name(statement, "statement") }
        if let account, !LedgerID.isValidLocal(account) { throw ServiceError.invalid("account \"\(account.prefix(70))\" is not an id") }
        return ReconScheduleView(try await store.addSchedule(scope: Self.scope(caller), kind: parsed, statement: statement, account: account,
                                                             timeOfDay: timeOfDay, chain: chain, at: clock()))
    }

    public func schedules(by caller: Caller) async throws -> [ReconScheduleView] {
        try caller.require(.read)
        return try await store.schedules(scope: Self.scope(caller)).map(ReconScheduleView.init)
    }

    public func removeSchedule(_ id: String, by caller: Caller) async throws {
        try caller.require(.write)
        guard let number = Int64(id), try await store.removeSchedule(scope: Self.scope(caller), id: number) else {
            throw ServiceError.notFound("no schedule \(id.prefix(30))", code: "schedule-not-found")
        }
    }

    /// The caller's runs, newest first.
    public func runs(limit: Int, by caller: Caller) async throws -> [ReconRunView] {
        try caller.require(.read)
        guard (1...1_000).contains(limit) else { throw ServiceError.invalid("limit must be from 1 to 1000") }
        return try await store.runs(scope: Self.scope(caller), before: nil, limit: limit).map(ReconRunView.init)
    }

    /// Runs every schedule due at `now` (seconds since 1970), each claimed first; returns the
    /// runs made and the failures (a run that fails, e.g. without rules, is reported, not retried
    /// until its next turn).
    public func runDue(now: Int64) async throws -> (runs: [ReconRunView], failures: [String]) {
        var runs: [ReconRunView] = [], failures: [String] = []
        for schedule in try await store.schedules(scope: nil) {
            let caller = Caller(tenant: schedule.scope.isEmpty ? nil : try TenantScope(schedule.scope), scopes: [.read, .write],
                                actor: "schedule:\(schedule.id)")
            var statements: [String] = []
            switch schedule.kind {
            case .daily:
                let midnight = now - now % 86_400
                var due = midnight + (schedule.timeOfDay ?? 0)
                if due > now { due -= 86_400 }
                guard schedule.lastRunAt < due, try await store.claim(schedule: schedule.id, from: schedule.lastRunAt, to: now) else { continue }
                if let chain = schedule.chain {
                    do {
                        runs.append(try await reconcileChain(ChainReconRequest(chain: chain), by: caller, trigger: "schedule"))
                    } catch {
                        failures.append("schedule \(schedule.id), chain \(chain): \(String(describing: error).prefix(200))")
                    }
                    continue
                }
                if let named = schedule.statement {
                    statements = [named]
                } else if let latest = try await store.latestStatement(scope: schedule.scope) {
                    statements = [latest]
                }
            case .onImport:
                let imported = try await store.statements(scope: schedule.scope, importedAfter: schedule.lastRunAt, before: now)
                guard let last = imported.last, try await store.claim(schedule: schedule.id, from: schedule.lastRunAt, to: last.importedAt) else { continue }
                statements = imported.map(\.name)
            }
            for statement in statements {
                do {
                    runs.append(try await run(RunReconRequest(statement: statement, account: schedule.account), by: caller, trigger: "schedule"))
                } catch {
                    failures.append("schedule \(schedule.id), statement \(statement): \(String(describing: error).prefix(200))")
                }
            }
        }
        return (runs, failures)
    }
}
