import ArgumentParser
import CofferBase
import CofferCore
import CofferStorage
import Foundation
import Ledger
import Market

extension BenchCommand {
    struct MarketBench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "market",
            abstract: "Observations aggregated per second vs parsing them alone; a portfolio of 100,000 accounts valued vs reading their balances.",
            discussion: """
                Aggregation: --pairs pairs with --sources sources each, --ticks observations per source and pair (a deterministic \
                random walk), as one JSON Lines replay buffer per source in memory (not timed). The floor parses the buffers \
                into observations (ReplayFile, exact decimals); Coffer parses them and runs them through aggregation in time \
                order (MarketReplay: outlier rejection, quorum, weighted median, confidence, TWAP, 24 h median, breaker, \
                publication). Valuation: a fresh SQLite ledger with --accounts customer accounts over three assets, funded \
                (not timed); the floor is one bulk read of every account's balances (LedgerStore.balances(of:)); Coffer values \
                every account (the bulk read, then each balance × its price, half-even to cents) and then the whole \
                portfolio (MarketService.portfolio: per-asset sums valued once). Made by scripts/bench-market.
                """)

        @Option(help: "Pairs.") var pairs = 100
        @Option(help: "Sources per pair.") var sources = 7
        @Option(help: "Observations per source and pair.") var ticks = 1_000
        @Option(help: "Customer accounts valued.") var accounts = 100_000
        @Option(help: "Repetitions; medians are reported.") var runs = 3
        @Option(help: "Scratch directory, which must not exist yet; removed afterwards (default: a temporary one).") var dataDir: String?

        func run() async throws {
            guard runs > 0, pairs > 0, sources > 0, ticks > 0, accounts > 0 else { throw UsageError("every count must be positive") }
            let report = BenchReport(runs: runs)
            let cores = ProcessInfo.processInfo.activeProcessorCount
            let buffers = Self.recordings(pairs: pairs, sources: sources, ticks: ticks)
            let count = pairs * sources * ticks
            let settings = (0..<pairs).map { index in
                var settings = PairSettings()
                settings.quorum = 3
                settings.breakerBps = 1_000
                settings.breakerTwapBps = 500
                return MarketPair(pair: try! MarketPairName(parsing: "P\(index)/USD"), settings: settings, createdAt: 0)
            }
            report.line("coffer bench market: \(pairs) pairs × \(sources) sources × \(ticks) ticks = \(count) observations, median of \(runs) runs, \(cores) cores")
            var published = 0
            try report.compare("aggregation (parse + aggregate)", floorName: "parse alone", unit: "obs/s", floor: {
                let started = DispatchTime.now()
                var parsed = 0
                for (index, buffer) in buffers.enumerated() { parsed += try ReplayFile.observations(buffer, source: "s\(index)", weight: 1).count }
                guard parsed == count else { throw BenchFailure("parsed \(parsed) of \(count)") }
                return Double(count) / seconds(since: started)
            }, ours: {
                let started = DispatchTime.now()
                var observations: [MarketObservation] = []
                observations.reserveCapacity(count)
                for (index, buffer) in buffers.enumerated() { observations += try ReplayFile.observations(buffer, source: "s\(index)", weight: 1) }
                let outcome = MarketReplay.run(observations, pairs: settings)
                published = outcome.prices.count
                guard outcome.observations.count == count else { throw BenchFailure("aggregated \(outcome.observations.count) of \(count)") }
                return Double(count) / seconds(since: started)
            })
            report.line("  \(published) publications; the floor is ReplayFile parsing the same bytes (exact decimals, RFC 3339 times)")
            try await valuation(report)
        }

        /// Per source, a JSON Lines buffer of every pair's observations: a random walk around 1,000
        /// per pair, each source within 0.2 % of the others, one observation every 10 s.
        static func recordings(pairs: Int, sources: Int, ticks: Int) -> [[UInt8]] {
            var random = SystemRandomNumberGenerator()
            var levels = (0..<pairs).map { _ in UInt64(1_000_000) }  // milli-units
            var buffers = Array(repeating: [UInt8](), count: sources)
            let start: Int64 = 1_793_491_200
            for tick in 0..<ticks {
                let time = MarketTime.format(start + Int64(tick) * 10)
                for pair in 0..<pairs {
                    levels[pair] = max(500_000, levels[pair] + UInt64.random(in: 0...2_000, using: &random) - 1_000)
                    for source in 0..<sources {
                        let price = levels[pair] + UInt64.random(in: 0...2_000, using: &random)
                        let line = #"{"pair":"P\#(pair)/USD","price":"\#(price / 1_000).\#(String(format: "%03d", price % 1_000))","volume":"1.5","time":"\#(time)"}"# + "\n"
                        buffers[source] += Array(line.utf8)
                    }
                }
            }
            return buffers
        }

        /// 10^exponent (the benchmark's amounts fit).
        static func power10(_ exponent: Int) -> UInt128 { (0..<max(exponent, 0)).reduce(UInt128(1)) { value, _ in value * 10 } }

        /// Every account valued one by one, and the portfolio, next to the bulk balance read.
        func valuation(_ report: BenchReport) async throws {
            let scratch = URL(fileURLWithPath: dataDir ?? FileManager.default.temporaryDirectory.appendingPathComponent("coffer-bench-market-\(getpid())").path)
            guard !FileManager.default.fileExists(atPath: scratch.path) else { throw UsageError("\(scratch.path) exists already; give a new scratch directory") }
            try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: scratch) }
            let database = try CofferDatabase(directory: DataDirectory(explicit: scratch.path), migrations: CofferStores.sqliteMigrations)
            let stores = CofferStores(embedded: database)
            let services = CofferServices(stores: stores, vault: .locked(stores.vault, reason: "the benchmark needs no keys"), signers: [])
            let caller = try Caller.commandLine()
            let assets: [(code: String, decimals: UInt8, price: String)] = [("BTC", 8, "64123.45"), ("ETH", 18, "3210.987654321"), ("USDC", 6, "0.9998")]
            var prices: [AggregatePrice] = []
            for asset in assets {
                _ = try await services.ledger.createAsset(CreateAssetRequest(code: asset.code, decimals: asset.decimals, chain: nil, contract: nil), by: caller)
                _ = try await stores.ledger.createAccounts([Account(id: try LedgerID(validating: "treasury:\(asset.code)"), asset: asset.code)])
                let units = try MarketScale.units(try Price(parsing: asset.price, field: "price"), field: "price")
                prices.append(AggregatePrice(pair: "\(asset.code)/USD", price: units, confidence: 0, sources: 3, time: 1_793_491_200, twap: units,
                                             median24h: units, status: .ok, lowLiquidity: false, rejected: []))
            }
            try await stores.market.replaceReplay(sources: [], observations: [], prices: prices)
            for asset in assets {
                _ = try await stores.market.add(MarketPair(pair: try MarketPairName(parsing: "\(asset.code)/USD"), settings: PairSettings(), createdAt: 0))
            }
            let batch = LedgerEngine.maximumBatchSize
            for first in stride(from: 0, to: accounts, by: batch) {
                let range = first..<min(accounts, first + batch)
                let created = try await stores.ledger.createAccounts(try range.map { index in
                    Account(id: try LedgerID(validating: "c\(index):\(assets[index % 3].code)"), asset: assets[index % 3].code, owner: "c\(index)")
                })
                guard created.allSatisfy({ $0 == .created }) else { throw BenchFailure("accounts were not created") }
                let results = try await stores.ledger.submit(try range.map { index in
                    let asset = assets[index % 3]
                    return Transfer(id: try LedgerID(validating: "fund-\(index)"), debitAccountID: try LedgerID(validating: "treasury:\(asset.code)"),
                                    creditAccountID: try LedgerID(validating: "c\(index):\(asset.code)"),
                                    amount: UInt128(1 + index % 997) * Self.power10(Int(asset.decimals) - 2), asset: asset.code)
                })
                guard results.allSatisfy({ $0 == .created }) else { throw BenchFailure("funding transfers were not created") }
            }
            let units = Dictionary(uniqueKeysWithValues: zip(assets.map(\.code), prices.map { MarketScale.price($0.price!) }))
            let decimals = Dictionary(uniqueKeysWithValues: assets.map { ($0.code, Int($0.decimals)) })
            report.line("valuation: \(accounts) customer accounts over \(assets.count) assets, SQLite")
            try await report.compareAsync("every account valued (read + value each)", floorName: "bulk balance read", unit: "acct/s", floor: {
                let started = DispatchTime.now()
                let rows = try await stores.ledger.balances(of: LedgerAccountSelection(), at: .max)
                guard rows.count >= accounts else { throw BenchFailure("read \(rows.count) accounts") }
                return Double(rows.count) / seconds(since: started)
            }, ours: {
                let started = DispatchTime.now()
                let rows = try await stores.ledger.balances(of: LedgerAccountSelection(), at: .max)
                var total: UInt128 = 0
                for row in rows where !row.owner.isEmpty {
                    let held = row.balances.creditsPosted - row.balances.debitsPosted
                    total += try Valuation.value(amount: held, decimals: decimals[row.asset]!, price: units[row.asset]!, minorUnits: 2)
                }
                guard total > 0 else { throw BenchFailure("nothing valued") }
                return Double(rows.count) / seconds(since: started)
            })
            try await report.measureAsync("portfolio of every customer (MarketService.portfolio)", unit: "ms") {
                let started = DispatchTime.now()
                let portfolio = try await services.market.portfolio(customer: nil, currency: "USD", at: nil, locale: "en-US", by: caller)
                guard portfolio.complete, portfolio.assets.count == assets.count else { throw BenchFailure("portfolio incomplete") }
                return seconds(since: started) * 1_000
            }
        }
    }
}

extension BenchReport {
    /// `compare` for async measurements.
    func compareAsync(_ name: String, floorName: String, unit: String, floor: () async throws -> Double, ours: () async throws -> Double) async throws {
        var floors: [Double] = [], results: [Double] = []
        for _ in 0..<runs {
            floors.append(try await floor())
            results.append(try await ours())
        }
        var index = 0
        compare(name, floorName: floorName, unit: unit, floor: { floors[index] }, ours: { defer { index += 1 }; return results[index] })
    }

    /// `measure` for async measurements.
    func measureAsync(_ name: String, unit: String, _ body: () async throws -> Double) async throws {
        var samples: [Double] = []
        for _ in 0..<runs { samples.append(try await body()) }
        var index = 0
        measure(name, unit: unit) { defer { index += 1 }; return samples[index] }
    }
}
