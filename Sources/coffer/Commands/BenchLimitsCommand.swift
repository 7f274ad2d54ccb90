import ArgumentParser
import CofferBase
import CofferCore
import CofferStorage
import Foundation
import Ledger
import Synchronization

extension BenchCommand {
    struct LimitsBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "limits",
            abstract: "Check-and-reserve per second (limit check in the ledger commit) vs the ledger's own pending transfers on the same store.",
            discussion: """
                One SQLite set-up database (not timed): asset USD, --customers customers of the verified tier, each owning \
                one account, and verified-tier limits in USD on every window (per transaction, daily, weekly, monthly, \
                payouts per hour and per day) high enough that every request passes, so each check reads the customer's \
                whole window and records its entry. Every run measures two phases, each on its own fresh copy of that \
                database (a VACUUM INTO snapshot), in an order that alternates from run to run, from --submitters \
                concurrent callers in this process: the floor, --count single pending transfers from the customers' \
                accounts submitted to the ledger store (LedgerStore.submit, one transfer per call, group commit as always); \
                and Coffer, --count CustomerService.reserve calls (the request checked, the customer, account and limits \
                read, the pending transfer and the limit entry in one commit with the check inside it). Reports both \
                rates, the median of the per-run ratios, and how many entries each check read at the end. With \
                --postgres URL the same runs go to PostgreSQL: the set-up database is a template on that server and \
                each phase runs on its own database made from it (CREATE DATABASE … TEMPLATE), dropped afterwards. \
                Made by scripts/bench-limits.
                """)

        @Option(help: "Reservations (and floor transfers) per run.") var count = 20_000
        @Option(help: "Customers the requests are spread over (round robin).") var customers = 1_000
        @Option(help: "Concurrent callers.") var submitters = 32
        @Option(help: "Repetitions; medians are reported.") var runs = 9
        @Option(help: "Scratch directory, which must not exist yet; removed afterwards (default: a temporary one).") var dataDir: String?
        @Option(help: "Measure PostgreSQL instead: a server URL (postgres://USER@HOST:PORT/DB) where scratch databases may be created and dropped.")
        var postgres: String?

        func run() async throws {
            guard runs > 0, count > 0, customers > 0, submitters > 0 else { throw UsageError("--runs, --count, --customers and --submitters must be positive") }
            let scratch = URL(fileURLWithPath: dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-limits-\(getpid())").path)
            guard !FileManager.default.fileExists(atPath: scratch.path) else { throw UsageError("\(scratch.path) exists already; give a new scratch directory") }
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }

            let report = BenchReport(runs: runs)
            let template: LimitsBenchTemplate
            if let postgres {
                template = try await .postgres(server: postgres, customers: customers)
            } else {
                template = .sqlite(snapshot: try await Self.setUp(customers: customers, in: scratch.appendingPathComponent("template")), scratch: scratch)
            }
            do {
                try await measure(on: template, report: report)
            } catch {
                await template.remove()
                throw error
            }
            await template.remove()
        }

        /// The runs, each a floor phase and a Coffer phase on fresh copies of `template`.
        func measure(on template: LimitsBenchTemplate, report: BenchReport) async throws {
            report.line("coffer bench limits: \(count) requests over \(customers) customers from \(submitters) concurrent callers, \(template.name), median of \(runs) runs, \(ProcessInfo.processInfo.activeProcessorCount) cores")
            report.line("each phase on its own copy of one set-up database: floor (LedgerStore.submit of one pending transfer per call) and Coffer (CustomerService.reserve: limits checked inside the commit), their order alternating; ratio = median of per-run Coffer / floor")
            var floors: [Double] = [], ours: [Double] = [], ratios: [Double] = []
            for run in 0..<runs {
                var floorRate = 0.0, ourRate = 0.0
                for coffer in run % 2 == 0 ? [false, true] : [true, false] {
                    let rate = try await template.withCopy(named: "run-\(run)-\(coffer ? "coffer" : "floor")") { stores in
                        let seconds: Double
                        if coffer {
                            let services = CofferServices(stores: stores, vault: .locked(stores.vault, reason: "the benchmark needs no keys"), signers: [])
                            let caller = try Caller.commandLine()
                            seconds = try await Self.concurrently(count, submitters) { index in
                                let owner = "c\(index % customers)"
                                let view = try await services.customers.reserve(
                                    ReserveRequest(id: "res-\(index)", customer: owner, account: owner + ":usd", asset: "USD", amount: "100"), by: caller)
                                guard view.result == "reserved" else { throw BenchFailure("reservation \(index) was \(view.result)") }
                            }
                        } else {
                            seconds = try await Self.concurrently(count, submitters) { index in
                                let owner = "c\(index % customers)"
                                let transfer = Transfer(id: try LedgerID(validating: "floor-\(index)"), debitAccountID: try LedgerID(validating: owner + ":usd"),
                                                        creditAccountID: try LedgerID(validating: "outgoing:USD"), amount: 100, asset: "USD", flags: .pending,
                                                        reference: "limit-reservation")
                                guard try await stores.ledger.submit([transfer]).first == .created else { throw BenchFailure("floor transfer \(index) was not created") }
                            }
                        }
                        guard case .intact = try await stores.ledger.verify() else { throw BenchFailure("the ledger does not verify after run \(run + 1)") }
                        return Double(count) / seconds
                    }
                    if coffer { ourRate = rate } else { floorRate = rate }
                }
                floors.append(floorRate)
                ours.append(ourRate)
                ratios.append(ourRate / floorRate)
                report.line(String(format: "run %d: floor %.0f/s, Coffer %.0f/s, ratio %.3f", run + 1, floorRate, ourRate, ourRate / floorRate))
            }
            let median = { (values: [Double]) in values.sorted()[values.count / 2] }
            report.line(String(format: "check-and-reserve %10.0f /s   floor (ledger pending transfers) %8.0f /s   ratio %.3f   (ratios %.3f-%.3f)",
                               median(ours), median(floors), median(ratios), ratios.min()!, ratios.max()!))
            report.line("last check of each customer read \(count / customers - 1) earlier entries of its window")
        }

        /// Makes the set-up database in `directory` and returns the path of its snapshot (`VACUUM
        /// INTO`: one file, no write-ahead log), which every phase copies.
        static func setUp(customers: Int, in directory: URL) async throws -> String {
            let database = try CofferDatabase(directory: DataDirectory(explicit: directory.path), migrations: CofferStores.sqliteMigrations)
            let stores = CofferStores(embedded: database)
            let services = CofferServices(stores: stores, vault: .locked(stores.vault, reason: "the benchmark needs no keys"), signers: [])
            try await Self.prepare(services, customers: customers, by: try Caller.commandLine())
            let snapshot = directory.deletingLastPathComponent().appendingPathComponent("template.sqlite").path
            try await BenchSnapshot.write(database, to: snapshot)
            return snapshot
        }

        /// Asset, tier limits, customers and their accounts.
        static func prepare(_ services: CofferServices, customers: Int, by caller: Caller) async throws {
            _ = try await services.ledger.createAsset(CreateAssetRequest(code: "USD", decimals: 2, chain: nil, contract: nil), by: caller)
            let high = "1000000000000000000"
            _ = try await services.customers.setLimits(SetLimitsRequest(tier: "verified", asset: "USD", perTx: high, daily: high, weekly: high, monthly: high,
                                                                        payoutsPerHour: "1000000", payoutsPerDay: "1000000"), by: caller)
            _ = try await services.ledger.createAccount(CreateAccountRequest(id: "outgoing:USD", asset: "USD", flags: nil, owner: nil, code: nil, metadata: nil), by: caller)
            for index in 0..<customers {
                _ = try await services.customers.create(CreateCustomerRequest(id: "c\(index)", tier: "verified"), by: caller)
                _ = try await services.ledger.createAccount(
                    CreateAccountRequest(id: "c\(index):usd", asset: "USD", flags: nil, owner: "c\(index)", code: nil, metadata: nil), by: caller)
            }
        }

        /// Runs `body(0..<count)` from `submitters` concurrent tasks; the seconds it took.
        static func concurrently(_ count: Int, _ submitters: Int, _ body: @escaping @Sendable (Int) async throws -> Void) async throws -> Double {
            let next = BenchCounter()
            let started = DispatchTime.now()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<submitters {
                    group.addTask {
                        while true {
                            let index = next.take()
                            guard index < count else { return }
                            try await body(index)
                        }
                    }
                }
                try await group.waitForAll()
            }
            return seconds(since: started)
        }
    }
}

/// The next index for concurrent workers.
final class BenchCounter: Sendable {
    private let value = Atomic<Int>(0)

    func take() -> Int { value.add(1, ordering: .relaxed).oldValue }
}

struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
