public import CofferStorage
import Foundation

/// Sources, pairs, observations and published prices, over either database.
public struct MarketStore: Sendable {
    public let database: any SQLDatabase

    public init(database: any SQLDatabase) { self.database = database }

    // MARK: Sources

    /// Adds a source; false (nothing written) when one of that name exists.
    public func add(_ source: MarketSource) async throws -> Bool {
        try await database.write { connection in
            try connection.execute("""
                INSERT INTO market_sources (name, kind, location, weight, created_at, mapping, poll_interval, subscribe)
                VALUES (\(source.name), \(source.kind.rawValue), \(source.location), \(Int64(source.weight)), \(source.createdAt), \(source.mapping),
                        \(source.interval), \(source.subscribe))
                ON CONFLICT DO NOTHING
                """) == 1
        }
    }

    public func sources() async throws -> [MarketSource] {
        try await database.read { connection in
            try connection.query("SELECT name, kind, location, weight, created_at, mapping, poll_interval, subscribe FROM market_sources ORDER BY name") { row in
                let kind = try row.text(1)
                guard let parsed = MarketSource.Kind(rawValue: kind) else { throw StorageError.corrupt("market source kind \"\(kind.prefix(20))\" is unknown") }
                return MarketSource(name: try row.text(0), kind: parsed, location: try row.text(2), weight: UInt32(clamping: try row.int64(3)),
                                    createdAt: try row.int64(4), mapping: try row.optionalText(5), interval: try row.optionalInt64(6),
                                    subscribe: try row.optionalText(7))
            }
        }
    }

    // MARK: Pairs

    /// Adds a pair; false (nothing written) when it exists.
    public func add(_ pair: MarketPair) async throws -> Bool {
        let s = pair.settings
        return try await database.write { connection in
            try connection.execute("""
                INSERT INTO market_pairs (pair, quorum, max_age, deviation_bps, heartbeat, breaker_bps, breaker_window, twap_window, outlier_mads,
                    minimum_volume, created_at, breaker_twap_bps)
                VALUES (\(pair.pair.description), \(Int64(s.quorum)), \(s.maxAge), \(Int64(s.deviationBps)), \(s.heartbeat),
                    \(s.breakerBps.map(Int64.init)), \(s.breakerWindow), \(s.twapWindow), \(Int64(s.outlierMADs)), \(s.minimumVolume.map(MarketScale.text)), \(pair.createdAt),
                    \(s.breakerTwapBps.map(Int64.init)))
                ON CONFLICT DO NOTHING
                """) == 1
        }
    }

    public func pairs() async throws -> [MarketPair] {
        try await database.read { connection in
            try connection.query("""
                SELECT pair, quorum, max_age, deviation_bps, heartbeat, breaker_bps, breaker_window, twap_window, outlier_mads,
                    minimum_volume, created_at, breaker_twap_bps FROM market_pairs ORDER BY pair
                """) { row in
                var settings = PairSettings()
                settings.quorum = Int(try row.int64(1))
                settings.maxAge = try row.int64(2)
                settings.deviationBps = UInt32(clamping: try row.int64(3))
                settings.heartbeat = try row.int64(4)
                settings.breakerBps = try row.optionalInt64(5).map { UInt32(clamping: $0) }
                settings.breakerWindow = try row.int64(6)
                settings.breakerTwapBps = try row.optionalInt64(11).map { UInt32(clamping: $0) }
                settings.twapWindow = try row.int64(7)
                settings.outlierMADs = UInt32(clamping: try row.int64(8))
                settings.minimumVolume = try row.optionalText(9).map { try MarketScale.units(try Price(parsing: $0, field: "minimum volume"), field: "minimum volume") }
                return MarketPair(pair: try MarketPairName(parsing: try row.text(0)), settings: settings, createdAt: try row.int64(10))
            }
        }
    }

    // MARK: Replays

    /// Replaces what earlier replays stored (observations of `sources`, publications of origin
    /// `replay`) with these, in one transaction: a replay is a backfill that can be run again.
    public func replaceReplay(sources: [String], observations: [MarketObservation], prices: [AggregatePrice]) async throws {
        try await database.write { connection in
            for chunk in stride(from: 0, to: sources.count, by: 500) {
                let names = Array(sources[chunk..<min(chunk + 500, sources.count)])
                try connection.execute("DELETE FROM market_observations WHERE source IN \(list: names)")
            }
            try connection.execute("DELETE FROM market_prices WHERE origin = 'replay'")
            try Self.insert(observations, on: connection)
            try Self.insert(prices, origin: "replay", on: connection)
        }
    }

    /// Stores live observations and the publications they caused (origin `live`), in one transaction.
    public func append(observations: [MarketObservation], prices: [AggregatePrice]) async throws {
        guard !observations.isEmpty || !prices.isEmpty else { return }
        try await database.write { connection in
            try Self.insert(observations, on: connection)
            try Self.insert(prices, origin: "live", on: connection)
        }
    }

    static func insert(_ observations: [MarketObservation], on connection: any SQLConnection) throws {
        for chunk in stride(from: 0, to: observations.count, by: 200) {
            var sql: SQL = "INSERT INTO market_observations (source, pair, price, volume, source_time, received_at) VALUES"
            for (index, o) in observations[chunk..<min(chunk + 200, observations.count)].enumerated() {
                sql = sql + (index == 0 ? " " : ", ") + """
                    (\(o.source), \(o.pair), \(MarketScale.text(o.price)), \(o.volume.map(MarketScale.text)), \(o.sourceTime), \(o.receivedAt))
                    """
            }
            try connection.execute(sql)
        }
    }

    static func insert(_ prices: [AggregatePrice], origin: String, on connection: any SQLConnection) throws {
        for chunk in stride(from: 0, to: prices.count, by: 200) {
            var sql: SQL = """
                INSERT INTO market_prices (pair, price, confidence, twap, median_24h, sources, status, low_liquidity, rejected, time, origin) VALUES
                """
            for (index, p) in prices[chunk..<min(chunk + 200, prices.count)].enumerated() {
                sql = sql + (index == 0 ? " " : ", ") + """
                    (\(p.pair), \(p.price.map(MarketScale.text)), \(p.confidence.map(MarketScale.text)), \(p.twap.map(MarketScale.text)),
                     \(p.median24h.map(MarketScale.text)), \(Int64(p.sources)), \(p.status.rawValue), \(p.lowLiquidity),
                     \(p.rejected.joined(separator: ",")), \(p.time), \(origin))
                    """
            }
            try connection.execute(sql)
        }
    }

    // MARK: Prices

    static let priceColumns = "seq, pair, price, confidence, twap, median_24h, sources, status, low_liquidity, rejected, time, origin"

    static func storedPrice(_ row: any SQLRow) throws -> StoredPrice {
        func units(_ column: Int, _ name: String) throws -> UInt128? {
            guard let text = try row.optionalText(column) else { return nil }
            do { return try MarketScale.units(try Price(parsing: text, field: name), field: name) } catch {
                throw StorageError.corrupt("market price \(name) \"\(text.prefix(40))\" is not a decimal")
            }
        }
        let status = try row.text(7)
        guard let parsed = PriceStatus(rawValue: status) else { throw StorageError.corrupt("market price status \"\(status.prefix(20))\" is unknown") }
        let rejected = try row.text(9)
        let aggregate = AggregatePrice(
            pair: try row.text(1), price: try units(2, "price"), confidence: try units(3, "confidence"), sources: Int(try row.int64(6)),
            time: try row.int64(10), twap: try units(4, "twap"), median24h: try units(5, "median_24h"), status: parsed,
            lowLiquidity: try row.int64(8) != 0, rejected: rejected.isEmpty ? [] : rejected.split(separator: ",").map(String.init))
        return StoredPrice(seq: try row.int64(0), aggregate: aggregate, origin: try row.text(11))
    }

    /// The pair's last publication at or before `at` (the latest when nil).
    public func price(_ pair: String, at: Int64?) async throws -> StoredPrice? {
        try await database.read { connection in
            try connection.queryOne("""
                SELECT \(raw: Self.priceColumns) FROM market_prices WHERE pair = \(pair) AND time <= \(at ?? Int64.max)
                ORDER BY time DESC, seq DESC LIMIT 1
                """, Self.storedPrice)
        }
    }

    /// The pair's publications in `from...to`, oldest first, at most `limit`.
    public func prices(_ pair: String, from: Int64, to: Int64, limit: Int) async throws -> [StoredPrice] {
        try await database.read { connection in
            try connection.query("""
                SELECT \(raw: Self.priceColumns) FROM market_prices WHERE pair = \(pair) AND time >= \(from) AND time <= \(to)
                ORDER BY time, seq LIMIT \(limit)
                """, Self.storedPrice)
        }
    }
}
