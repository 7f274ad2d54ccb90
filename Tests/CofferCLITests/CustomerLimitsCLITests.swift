import Customers
import Foundation
import Testing

/// Customers, tiers and limits through the binary, as an operator scripts them (issue 16's CLI
/// contract): concurrent reservations from many processes against one daily limit on SQLite and
/// PostgreSQL, rolling windows moved with --at, commit and release, KYC, TOTP step-up, cases with
/// temporary raises, risk holds, and the AML scan and report.
@Suite(.serialized) struct CustomerLimitsCLITests {
    static func json(_ text: some StringProtocol) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// A fresh store with asset USD (2 decimals), customer alice (verified) owning alice:usd,
    /// funded with 100,000.00 from bank, and a verified-tier daily limit of `daily`.
    struct Setup {
        let backend: LedgerTestBackend
        let directory: URL
        var environment: [String: String]

        init(_ kind: LedgerTestBackend.Kind, daily: String = "1000") throws {
            backend = try LedgerTestBackend.fresh(kind)
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-customers-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let passphrase = directory.appendingPathComponent("passphrase").path
            try Data("correct horse battery staple\n".utf8).write(to: URL(fileURLWithPath: passphrase))
            environment = ["COFFER_VAULT_PASSPHRASE_FILE": passphrase, "COFFER_INSECURE_TEST_KDF": "1"]
            try run(["ledger", "asset", "create", "--code", "USD", "--decimals", "2"])
            try run(["ledger", "account", "create", "--id", "bank", "--asset", "USD"])
            try run(["customer", "create", "--id", "alice", "--tier", "verified"])
            try run(["ledger", "account", "create", "--id", "alice:usd", "--asset", "USD", "--owner", "alice", "--flags", "debits-must-not-exceed-credits"])
            try run(["ledger", "transfer"], stdin: #"{"id":"fund","debit":"bank","credit":"alice:usd","amount":"10000000","asset":"USD"}"# + "\n")
            try run(["limit", "set", "--tier", "verified", "--asset", "USD", "--daily", daily])
        }

        func arguments(_ arguments: [String]) -> [String] { arguments + backend.storageArguments }

        @discardableResult
        func run(_ arguments: [String], stdin: String? = nil, status: Int32 = 0, sourceLocation: SourceLocation = #_sourceLocation) throws -> CofferProcess.Result {
            let result = try CofferProcess.run(self.arguments(arguments), stdin: stdin, environment: environment)
            #expect(result.status == status, "\(arguments): \(result.stderr)", sourceLocation: sourceLocation)
            return result
        }

        func object(_ arguments: [String], sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
            json(try run(arguments, sourceLocation: sourceLocation).stdout)
        }

        func reserve(_ id: String, _ amount: String, extra: [String] = []) throws -> [String: Any] {
            try object(["limit", "check-and-reserve", "--customer", "alice", "--account", "alice:usd", "--asset", "USD", "--amount", amount, "--id", id] + extra)
        }

        func remove() {
            try? backend.remove()
            try? FileManager.default.removeItem(at: directory)
        }
    }

    // MARK: Atomic enforcement

    @Test func sixtyFourProcessesAgainstOneDailyLimitOnSQLite() throws {
        try Self.concurrentReservations(on: .sqlite)
    }

    @Test(LedgerTestBackend.postgresEnabled) func sixtyFourProcessesAgainstOneDailyLimitOnPostgreSQL() throws {
        try Self.concurrentReservations(on: .postgres)
    }

    /// 64 processes at once each reserve 37 against a daily limit of 1,000: exactly 27 (999, the
    /// most 37s that fit) are reserved, every other one is refused naming the daily limit, and the
    /// ledger holds exactly the reserved sum pending.
    static func concurrentReservations(on kind: LedgerTestBackend.Kind) throws {
        let setup = try Setup(kind)
        defer { setup.remove() }
        let processes = try (0..<64).map { index in
            try CofferChildProcess(setup.arguments(["limit", "check-and-reserve", "--customer", "alice", "--account", "alice:usd", "--asset", "USD",
                                                    "--amount", "37", "--id", "r\(index)"]), input: Data(), environment: setup.environment)
        }
        let outcomes = processes.map { $0.finish(within: .seconds(300)) }
        var reserved: [String] = []
        var refused: [String: Int] = [:]
        for (index, outcome) in outcomes.enumerated() {
            try #require(!outcome.killed && outcome.status == 0, "process \(index): \(outcome.stderr)")
            let answer = json(outcome.stdout)
            #expect(answer["id"] as? String == "r\(index)")
            switch answer["result"] as? String {
            case "reserved": reserved.append("r\(index)")
            case "limit_exceeded":
                refused[answer["limit"] as? String ?? "?", default: 0] += 1
                #expect(["1", "38"].contains(answer["remaining"] as? String ?? ""), "remaining \(answer)")
            default: Issue.record("unexpected answer \(outcome.stdout)")
            }
        }
        #expect(reserved.count == 27, "reserved \(reserved.count) × 37 against a daily limit of 1000")
        #expect(refused == ["daily": 37])
        let usage = try setup.object(["limit", "usage", "--customer", "alice", "--asset", "USD"])
        let daily = usage["daily"] as? [String: Any] ?? [:]
        #expect(daily["used"] as? String == "999" && daily["remaining"] as? String == "1" && daily["limit"] as? String == "1000", "\(usage)")
        let account = try setup.object(["ledger", "show-account", "alice:usd"])
        #expect(account["debits_pending"] as? String == "999", "\(account)")

        // A repeated request answers what was decided; release gives the amount back, commit keeps it.
        #expect(try setup.reserve(reserved[0], "37")["result"] as? String == "reserved")
        #expect(try setup.object(["limit", "release", "--id", reserved[0]])["result"] as? String == "voided")
        #expect(try setup.object(["limit", "commit", "--id", reserved[1]])["result"] as? String == "posted")
        #expect(try setup.reserve("after-release", "38")["result"] as? String == "reserved")
        try CofferProcess.expectRejected(setup.arguments(["limit", "release", "--id", reserved[1]]), mentioning: ["posted"], environment: setup.environment)
        let after = try setup.object(["limit", "usage", "--customer", "alice", "--asset", "USD"])
        #expect((after["daily"] as? [String: Any])?["used"] as? String == "1000", "\(after)")
        #expect(try setup.run(["ledger", "verify"]).status == 0)
    }

    // MARK: Windows, commit and release

    /// Every call is a new process, so each reads the windows from the store: at 1,700,000,000
    /// (2023, before the ledger's time) through the holds on alice's account; at 1,800,000,000
    /// (2027, after it) as entries marked `ahead` (see `LimitReservations`).
    @Test(arguments: [1_700_000_000, 1_800_000_000]) func rollingWindowsToTheSecond(start: Int) throws {
        let setup = try Setup(.sqlite)
        defer { setup.remove() }
        try setup.run(["limit", "set", "--tier", "verified", "--asset", "USD", "--per-tx", "700", "--weekly", "2100", "--payouts-per-hour", "3"])
        let at = { (offset: Int) in ["--at", ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: Double(start + offset)))] }
        #expect(try setup.reserve("w1", "600", extra: at(0))["result"] as? String == "reserved")
        #expect(try setup.reserve("w2", "400", extra: at(3_600))["result"] as? String == "reserved")
        let full = try setup.reserve("w3", "1", extra: at(7_200))
        #expect(full["result"] as? String == "limit_exceeded" && full["limit"] as? String == "daily" && full["remaining"] as? String == "0", "\(full)")
        let perTx = try setup.reserve("w3b", "701", extra: at(90_000))
        #expect(perTx["limit"] as? String == "per_tx", "\(perTx)")
        // One second before w1 leaves the 24-hour window it still counts; at 86,400 s it is gone.
        #expect(try setup.reserve("w4", "600", extra: at(86_399))["limit"] as? String == "daily")
        #expect(try setup.reserve("w4", "600", extra: at(86_400))["result"] as? String == "reserved")
        // A retry of w4 where its limits would now refuse it is answered with what it is, and counts once.
        #expect(try setup.reserve("w4", "600", extra: at(86_401))["result"] as? String == "reserved")
        let usage = try setup.object(["limit", "usage", "--customer", "alice", "--asset", "USD", "--at", at(86_400)[1]])
        #expect((usage["daily"] as? [String: Any])?["used"] as? String == "1000", "\(usage)")
        #expect((usage["weekly"] as? [String: Any])?["remaining"] as? String == "500", "\(usage)")
        // The week holds 1,600 of 2,100: 600 more exceed it even on a fresh day.
        #expect(try setup.reserve("w5", "600", extra: at(200_000))["limit"] as? String == "weekly")
        // Velocity: three reservations in an hour, the fourth is refused; released ones still count as started.
        for index in 0..<3 { #expect(try setup.reserve("v\(index)", "1", extra: at(200_000 + index))["result"] as? String == "reserved") }
        #expect(try setup.reserve("v3", "1", extra: at(200_010))["limit"] as? String == "payouts_per_hour")
        #expect(try setup.reserve("v3", "1", extra: at(203_600))["result"] as? String == "reserved")
    }

    /// A tenant's accounts name their owner by its local name (`alice`, of customer
    /// `<tenant>/alice`): a fresh process reads the tenant customer's window through them, and
    /// the operator's own alice, with accounts of the same names, counts apart.
    @Test func aTenantCustomersWindowIsReadThroughItsAccounts() throws {
        let setup = try Setup(.sqlite)
        defer { setup.remove() }
        try setup.run(["vault", "init"])
        let line = try setup.run(["tenant", "create", "--name", "Acme"]).stdout
        let tenant = try #require(line.split(separator: "\"").dropFirst(3).first.map(String.init))
        @discardableResult
        func asTenant(_ arguments: [String], stdin: String? = nil) throws -> CofferProcess.Result {
            try setup.run(arguments + ["--tenant", tenant], stdin: stdin)
        }
        try asTenant(["ledger", "asset", "create", "--code", "USD", "--decimals", "2"])
        try asTenant(["ledger", "account", "create", "--id", "bank", "--asset", "USD"])
        try asTenant(["customer", "create", "--id", "alice", "--tier", "verified"])
        try asTenant(["ledger", "account", "create", "--id", "alice:usd", "--asset", "USD", "--owner", "alice", "--flags", "debits-must-not-exceed-credits"])
        try asTenant(["ledger", "transfer"], stdin: #"{"id":"fund","debit":"bank","credit":"alice:usd","amount":"10000000","asset":"USD"}"# + "\n")
        try asTenant(["limit", "set", "--tier", "verified", "--asset", "USD", "--daily", "500"])
        func reserve(_ id: String, _ amount: String, extra: [String] = []) throws -> [String: Any] {
            Self.json(try asTenant(["limit", "check-and-reserve", "--customer", "alice", "--account", "alice:usd", "--asset", "USD", "--amount", amount,
                                    "--id", id] + extra).stdout)
        }
        /// The risk reasons of a request with a device signal (a new device each time, so there is
        /// always a reason), refused or not.
        func reasons(_ id: String) throws -> [String] {
            let answer = try reserve(id, "1", extra: ["--device-id", "device-" + id])
            return ((answer["risk"] as? [String: Any])?["reasons"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        }
        #expect(try setup.reserve("operator-1", "900")["result"] as? String == "reserved")
        #expect(try reserve("t1", "300")["result"] as? String == "reserved")
        let refused = try reserve("t2", "300")
        #expect(refused["result"] as? String == "limit_exceeded" && refused["limit"] as? String == "daily" && refused["remaining"] as? String == "200",
                "\(refused)")
        #expect(try reserve("t3", "200")["result"] as? String == "reserved")
        let usage = Self.json(try asTenant(["limit", "usage", "--customer", "alice", "--asset", "USD"]).stdout)
        #expect((usage["daily"] as? [String: Any])?["used"] as? String == "500", "\(usage)")
        let operatorUsage = try setup.object(["limit", "usage", "--customer", "alice", "--asset", "USD"])
        #expect((operatorUsage["daily"] as? [String: Any])?["used"] as? String == "900", "\(operatorUsage)")
        // The amount-vs-history signal reads posted holds through the same accounts: none yet, then t1's.
        #expect(try reasons("t4").contains("no_history"))
        #expect(Self.json(try asTenant(["limit", "commit", "--id", "t1"]).stdout)["result"] as? String == "posted")
        let known = try reasons("t5")
        #expect(known.contains("new_device") && !known.contains("no_history"), "\(known)")
    }

    // MARK: KYC, tiers, audit

    @Test func kycTransitionsMoveTiersAndAreAudited() throws {
        let setup = try Setup(.sqlite)
        defer { setup.remove() }
        try setup.run(["vault", "init"])
        try setup.run(["customer", "create", "--id", "bob"])
        let created = try setup.object(["customer", "show", "bob"])
        #expect(created["tier"] as? String == "anonymous")
        try CofferProcess.expectRejected(setup.arguments(["customer", "kyc", "--id", "bob", "--state", "verified", "--reason", "skip"]),
                                         mentioning: ["pending"], environment: setup.environment)
        #expect(try setup.object(["customer", "kyc", "--id", "bob", "--state", "pending", "--reason", "documents received", "--document", "doc-17"])["tier"]
                as? String == "restricted")
        #expect(try setup.object(["customer", "kyc", "--id", "bob", "--state", "verified", "--reason", "passport checked"])["tier"] as? String == "verified")
        #expect(try setup.object(["customer", "kyc", "--id", "bob", "--state", "expired", "--reason", "passport expired"])["tier"] as? String == "restricted")
        let history = try setup.run(["customer", "kyc-history", "--id", "bob"]).stdoutLines.map { Self.json($0) }
        #expect(history.map { $0["to"] as? String } == ["pending", "verified", "expired"])
        #expect(history.first?["documents"] as? [String] == ["doc-17"])
        #expect(try setup.object(["customer", "tier", "--id", "bob", "--tier", "institutional", "--reason", "corporate account"])["tier"] as? String == "institutional")
        let audit = try setup.run(["audit", "export"]).stdout
        for action in ["customer.create", "customer.kyc", "customer.tier", "limits.set"] { #expect(audit.contains(action), "no \(action) in the audit log") }
        #expect(try setup.run(["audit", "verify"]).status == 0)
        // Bad input changes nothing.
        try CofferProcess.expectRejected(setup.arguments(["customer", "tier", "--id", "bob", "--tier", "platinum", "--reason", "x"]),
                                         mentioning: ["platinum"], environment: setup.environment)
        try CofferProcess.expectRejected(setup.arguments(["limit", "check-and-reserve", "--customer", "bob", "--account", "alice:usd", "--asset", "USD",
                                                          "--amount", "5", "--id", "x"]), mentioning: ["not owned"], environment: setup.environment)
        try CofferProcess.expectRejected(setup.arguments(["limit", "check-and-reserve", "--customer", "alice", "--account", "alice:usd", "--asset", "USD",
                                                          "--amount", "-5", "--id", "x"]), mentioning: ["amount"], environment: setup.environment)
        #expect(try setup.object(["customer", "show", "bob"])["tier"] as? String == "institutional")
    }

    // MARK: Step-up, risk, cases

    @Test func stepUpRiskHoldsAndTemporaryRaises() throws {
        let setup = try Setup(.sqlite)
        defer { setup.remove() }
        try setup.run(["vault", "init"])
        try setup.run(["limit", "set", "--tier", "verified", "--asset", "USD", "--step-up-above", "300"])
        let enrolment = try setup.object(["totp", "enroll", "--customer", "alice"])
        let uri = try #require(enrolment["uri"] as? String)
        #expect(uri.hasPrefix("otpauth://totp/Coffer:alice?secret="))
        #expect((enrolment["qr_svg"] as? String)?.hasPrefix("<svg") == true || (enrolment["qr_svg"] as? String)?.contains("<svg") == true)
        let encoded = try #require(enrolment["secret_base32"] as? String)
        let secret = try #require(Base32.decode(encoded))
        let totp = try TOTP(secret: secret)
        let now = Int64(Date().timeIntervalSince1970)
        let code = try #require(totp.code(at: now))
        #expect(try setup.run(["totp", "verify", "--customer", "alice", "--code", code]).status == 0)
        try setup.run(["totp", "verify", "--customer", "alice", "--code", code], status: 1)  // no reuse

        // Signals: a new device (20) and network (15), no history (10), 2 failed codes today (20,
        // the reuse above counts): 65 ≥ 50 halves the limits; and 400 is above the step-up amount.
        let signals = ["--device-id", "phone-1", "--ip-address", "203.0.113.9"]
        let asked = try setup.reserve("s1", "400", extra: signals)
        #expect(asked["result"] as? String == "step_up_required", "\(asked)")
        let reasons = ((asked["risk"] as? [String: Any])?["reasons"] as? [[String: Any]])?.compactMap { $0["code"] as? String } ?? []
        #expect(reasons.contains("new_device") && reasons.contains("amount_above_step_up_threshold"), "\(reasons)")
        #expect(try setup.reserve("s1", "400", extra: signals + ["--code", "000000"])["result"] as? String == "step_up_failed")
        let next = try #require(totp.code(at: now + 30))
        let stepped = try setup.reserve("s1", "400", extra: signals + ["--code", next])
        #expect(stepped["result"] as? String == "reserved", "\(stepped)")
        #expect((stepped["risk"] as? [String: Any])?["decision"] as? String == "lower_limits", "\(stepped)")
        // A password changed an hour ago, a new device and network and a large amount: held.
        let changed = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: -3_600))
        let held = try setup.reserve("s2", "300", extra: ["--device-id", "laptop-9", "--ip-address", "2001:db8:7::1", "--password-changed-at", changed,
                                                          "--destination", "0xabc"])
        #expect(held["result"] as? String == "held", "\(held)")

        // A temporary raise: daily 1,000 → 5,000 until tomorrow; then it lapses on its own.
        #expect(try setup.reserve("big", "900")["limit"] as? String == "daily")
        try setup.run(["case", "open", "--id", "c1", "--customer", "alice", "--kind", "limit_raise", "--asset", "USD", "--limit", "daily",
                       "--requested", "5000", "--statement", "paying a supplier"])
        let expires = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: 86_400))
        let decided = try setup.object(["case", "decide", "--id", "c1", "--decision", "approve", "--reason", "invoice seen", "--amount", "5000",
                                        "--expires-at", expires])
        #expect(decided["status"] as? String == "approved")
        #expect(try setup.reserve("big", "900")["result"] as? String == "reserved")
        let later = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: 86_400 + 60))
        #expect(try setup.reserve("big2", "900", extra: ["--at", later])["result"] as? String == "reserved")  // the day's window moved
        let lapsed = try setup.reserve("big3", "900", extra: ["--at", later])
        #expect(lapsed["limit"] as? String == "daily", "the raise lapsed, so 900 + 900 exceeds 1,000: \(lapsed)")
        try CofferProcess.expectRejected(setup.arguments(["case", "decide", "--id", "c1", "--decision", "reject", "--reason", "again"]),
                                         mentioning: ["approved"], environment: setup.environment)
    }

    // MARK: AML

    @Test func structuringFiresAndANearMissStaysSilent() throws {
        let setup = try Setup(.sqlite, daily: "100000000")
        defer { setup.remove() }
        try setup.run(["customer", "create", "--id", "carol"])
        try setup.run(["ledger", "account", "create", "--id", "carol:usd", "--asset", "USD", "--owner", "carol"])
        // alice: three payments of 9,500.00 (between 90% and 100% of 10,000): structuring.
        // carol: two of 9,500.00 and one of exactly 10,000.00 (reportable, not structuring): silent.
        let lines = [("a1", "alice:usd", "950000"), ("a2", "alice:usd", "950000"), ("a3", "alice:usd", "950000"),
                     ("c1", "carol:usd", "950000"), ("c2", "carol:usd", "950000"), ("c3", "carol:usd", "1000000")]
            .map { #"{"id":"\#($0.0)","debit":"bank","credit":"\#($0.1)","amount":"\#($0.2)","asset":"USD"}"# }
        try setup.run(["ledger", "transfer"], stdin: lines.joined(separator: "\n") + "\n")
        let alerts = try setup.run(["aml", "scan"]).stdoutLines.map { Self.json($0) }
        let structuring = alerts.filter { $0["rule"] as? String == "structuring" }
        #expect(structuring.count == 1 && structuring.first?["customer"] as? String == "alice", "\(alerts)")
        let evidence = (structuring.first?["evidence"] as? [[String: Any]])?.compactMap { $0["transfer"] as? String }
        #expect(evidence == ["a1", "a2", "a3"])
        // A second scan finds it again but not as new; the report has one row per flagged transfer.
        #expect(try setup.run(["aml", "scan"]).stdoutLines.map { Self.json($0)["new"] as? Bool } == alerts.map { _ in false })
        let from = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: -86_400))
        let to = ISO8601DateFormatter().string(from: Date(timeIntervalSinceNow: 60))
        let csv = try setup.run(["aml", "report", "--from", from, "--to", to, "--format", "csv"]).stdout
        let rows = csv.split(separator: "\r\n")
        #expect(rows.first?.hasPrefix("alert,rule,customer,asset,transfer,direction,amount") == true)
        #expect(rows.dropFirst().filter { $0.contains(",structuring,alice,USD,") }.count == 3, "\(csv)")
        let report = try JSONSerialization.jsonObject(with: Data(try setup.run(["aml", "report", "--from", from, "--to", to, "--format", "json"]).stdout.utf8))
        #expect((report as? [[String: Any]])?.filter { $0["rule"] as? String == "structuring" }.map { $0["amount_display"] as? String } == ["9500.00", "9500.00", "9500.00"])
        let key = try #require(structuring.first?["key"] as? String)
        #expect(try setup.object(["aml", "disposition", "--key", key, "--status", "reported", "--reason", "filed SAR 2026-12"])["status"] as? String == "reported")
        try CofferProcess.expectRejected(setup.arguments(["aml", "report", "--from", to, "--to", from, "--format", "csv"]), mentioning: ["before"], environment: setup.environment)
    }
}
