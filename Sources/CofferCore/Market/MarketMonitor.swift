import CofferBase
import CofferStorage
import Foundation
import Ledger
import Logging
public import Market

/// The monitoring rules running live in `coffer serve`: every publication (from `MarketLive`)
/// and every posted ledger transfer goes through one `MonitorEngine`; what it raises is stored
/// (with webhook events, in one transaction) and logged. The engine's cool-downs survive a
/// restart (the recent alerts are remembered when it is built), and the ledger is read from a
/// stored cursor that moves in the transaction of the alerts it caused, so a transfer is judged
/// once even across restarts. Rule changes are picked up within ten seconds. A failure to
/// monitor is logged and retried on the next tick; it never holds up prices.
public actor MarketMonitor {
    let market: MarketService
    let logger: Logger
    private var engine: MonitorEngine?
    /// The rules in force (none while monitoring is off).
    private var rules: [MonitorRule] { engine?.rules ?? [] }
    private var rulesReadAt: Int64?
    private var currency = "USD"
    private var decimals: [String: UInt8] = [:]
    /// Transfers read per tick at most (the rest on the next tick).
    static let transferPage = 1_000

    public init(market: MarketService, logger: Logger = Logger(label: "coffer.market.monitor")) {
        self.market = market
        self.logger = logger
    }

    /// Publications, and the latest sources of every pair observed (published or not).
    public func observe(_ prices: [AggregatePrice], sources: [String: [SourceQuote]]) async {
        guard !prices.isEmpty || !sources.isEmpty else { return }
        do {
            guard var engine = try await currentEngine() else { return }
            var alerts: [MonitorAlert] = []
            for price in prices { alerts += engine.process(.price(PriceTick(price, sources: sources[price.pair] ?? []))) }
            for (pair, quotes) in sources where !prices.contains(where: { $0.pair == pair }) { engine.updateSources(of: pair, quotes) }
            self.engine = engine
            try await raise(alerts)
        } catch {
            logger.warning("market monitoring of prices failed", metadata: ["error": "\(String(describing: error).prefix(200))"])
        }
    }

    /// Once a second: windows and cool-downs move to `now`, stale sources are judged, and the
    /// ledger's newly posted transfers are read and judged.
    public func tick(now: Int64) async {
        do {
            guard var engine = try await currentEngine() else { return }
            let alerts = engine.tick(now: now)
            self.engine = engine
            try await raise(alerts)
            try await followLedger(now: now)
        } catch {
            logger.warning("market monitoring tick failed; retrying", metadata: ["error": "\(String(describing: error).prefix(200))"])
        }
    }

    /// The engine for the rules in force, rebuilt when they change (cool-downs restored from
    /// the stored alerts); nil when there are no rules.
    private func currentEngine() async throws -> MonitorEngine? {
        let now = market.clock()
        if let last = rulesReadAt, now >= last, now - last < 10 { return engine }
        rulesReadAt = now
        let current = try await market.monitorRules().rules
        currency = try await market.monitorCurrency()
        guard current != rules else { return engine }
        guard !current.isEmpty else {
            engine = nil
            return nil
        }
        var rebuilt = MonitorEngine(rules: current)
        for alert in try await market.store.latestLiveAlerts() {
            rebuilt.remember(rule: alert.rule, key: alert.key, severity: alert.severity, firedAt: alert.time)
        }
        engine = rebuilt
        return rebuilt
    }

    private func raise(_ alerts: [MonitorAlert], also: (@Sendable (any SQLConnection) throws -> Void)? = nil) async throws {
        guard !alerts.isEmpty || also != nil else { return }
        let recorded = try await market.record(alerts, rules: rules, origin: "live", also: also)
        let logged = Set(rules.filter { $0.routes.contains(.log) }.map(\.name))
        for stored in recorded where logged.contains(stored.alert.rule) {
            let level: Logger.Level =
                switch stored.alert.severity {
                case .info: .info
                case .warning: .warning
                case .critical: .critical
                }
            logger.log(level: level, "\(stored.alert.message)", metadata: [
                "alert": "\(stored.id)", "rule": "\(stored.alert.rule)", "key": "\(stored.alert.key)", "severity": "\(stored.alert.severity.rawValue)",
                "tenant": "\(stored.scope)",
            ])
        }
    }

    // MARK: Ledger

    static let cursorSetting = "ledger_cursor"

    /// Reads the transfers posted after the stored cursor (from now, the first time) and judges
    /// each from both of its accounts; the cursor moves with the alerts, in one transaction.
    private func followLedger(now: Int64) async throws {
        guard var engine, rules.contains(where: { $0.kind == .whale || $0.kind == .velocity }) else { return }
        let cursor: PageCursor
        if let text = try await market.store.monitorSetting(Self.cursorSetting), let stored = try? PageCursor(parsing: text) {
            cursor = stored
        } else {
            // The first time: from now on (history is not re-judged), remembered at once so a
            // transfer committed before the next tick is not skipped.
            cursor = PageCursor(position: UInt64(max(now, 0)) * 1_000_000_000)
            let text = cursor.description
            try await market.store.database.write { connection in try MarketStore.setMonitorSetting(Self.cursorSetting, text, on: connection) }
        }
        let page = try await market.ledger.store.transfers(TransferQuery(limit: Self.transferPage, cursor: cursor))
        guard let last = page.items.last else { return }
        var alerts: [MonitorAlert] = []
        for transfer in page.items where !transfer.flags.contains(.pending) && !transfer.flags.contains(.voidPending) {
            for tick in try await ticks(transfer) { alerts += engine.process(.transfer(tick)) }
        }
        self.engine = engine
        let next = PageCursor(position: last.timestamp, key: last.id.value).description
        try await raise(alerts) { connection in try MarketStore.setMonitorSetting(Self.cursorSetting, next, on: connection) }
    }

    /// A posted transfer as each of its two accounts saw it, with its value in the monitor's
    /// currency when a whale rule asks for values and a price exists.
    private func ticks(_ transfer: CommittedTransfer) async throws -> [TransferTick] {
        let seconds = Int64(transfer.timestamp / 1_000_000_000)
        let (tenant, asset) = Self.split(transfer.asset)
        var value: UInt128?
        if rules.contains(where: { if case .whale(_, _, .some) = $0.condition { true } else { false } }) {
            value = try await self.value(transfer.amount, of: transfer.asset, code: asset, at: seconds)
        }
        return [transfer.debitAccountID, transfer.creditAccountID].map { account in
            let (owner, local) = Self.split(account.value)
            return TransferTick(id: Self.split(transfer.id.value).local, tenant: owner.isEmpty ? tenant : owner, account: local, asset: asset,
                                amount: transfer.amount, value: value, time: seconds)
        }
    }

    /// `tenant/name` → (tenant, name); an operator's name has no tenant.
    static func split(_ stored: String) -> (tenant: String, local: String) {
        guard let slash = stored.firstIndex(of: "/") else { return ("", stored) }
        return (String(stored[..<slash]), String(stored[stored.index(after: slash)...]))
    }

    /// The amount's value at 18 decimals in the monitor's currency; nil without a price.
    private func value(_ amount: UInt128, of stored: String, code: String, at time: Int64) async throws -> UInt128? {
        if decimals[stored] == nil { decimals[stored] = try await market.ledger.store.asset(stored)?.decimals }
        guard let places = decimals[stored], let quote = try? await market.quote(asset: code, in: currency, at: time), let price = quote.price else {
            return nil
        }
        return try? Valuation.value(amount: amount, decimals: Int(places), price: MarketScale.price(price), minorUnits: 18)
    }
}
