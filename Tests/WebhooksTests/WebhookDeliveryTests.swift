import CofferBase
import CofferCore
import CofferTestSupport
import Foundation
import Logging
import ServiceLifecycle
import Tenancy
import Testing
import Vault
import WalletCore
import Webhooks

/// Delivery against a real receiver over HTTP on loopback, events appended through the real
/// outbox, on SQLite and PostgreSQL: order per endpoint, retries with backoff, the failing mark
/// and what lifts it, redelivery, tenants, rotation, and the lease between processes.
@Suite struct WebhookDeliveryTests {
    /// A receiver that answers 500 five times and then recovers receives every event in order,
    /// each accepted once: nothing is sent again after a 2xx, and no event overtakes another.
    @Test(arguments: TestEngine.all)
    func aReceiverThatFailsThenRecoversGetsEveryEventInOrderOnce(engine: TestEngine) async throws {
        let fixture = try await WebhookFixture.make(engine)
        let receiver = try await fixture.receiver { $0 < 5 ? 500 : 200 }
        defer { receiver.stop() }
        let service = fixture.service()
        let before = try await fixture.append([("", "deposit.seen", "ltc:00:0", #"{"status":"seen"}"#)])
        let created = try await service.add(AddWebhookRequest(url: receiver.url, events: ["deposit.*", "invoice.paid"]), by: fixture.operatorCaller)
        receiver.expect(secret: created.secret)
        #expect(created.secret?.hasPrefix("whsec_") == true && created.id.hasPrefix("whk_") && created.status == "active" && created.events == ["deposit.*", "invoice.paid"])
        let sequences = try await fixture.append([
            ("", "deposit.seen", "ltc:01:0", #"{"status":"seen","amount":"5"}"#),
            ("abcdefghijklmnopqrst", "invoice.created", "inv_1", #"{"status":"open"}"#),
            ("abcdefghijklmnopqrst", "deposit.credited", "abcdefghijklmnopqrst/ltc:02:0", #"{"account":"abcdefghijklmnopqrst/shop"}"#),
            ("", "invoice.paid", "inv_2", #"{"status":"paid"}"#),
            ("", "deposit.credited", "ltc:01:0", #"{"status":"credited"}"#),
        ])
        let expected = [sequences[0], sequences[2], sequences[3], sequences[4]]
        try await fixture.deliver(service, passes: 10)

        let requests = receiver.requests
        #expect(requests.map(\.sequence) == Array(repeating: sequences[0], count: 6) + expected.dropFirst(), "\(requests.map(\.sequence))")
        #expect(requests.allSatisfy { $0.verified }, "every signature verifies with the helper")
        #expect(receiver.accepted.map(\.sequence) == expected)
        #expect(!requests.contains { $0.sequence == before[0] }, "an event from before the endpoint existed was sent")
        #expect(requests.allSatisfy { $0.eventID == "evt_\($0.sequence)" })
        // The operator's endpoint receives a tenant's event as stored, naming the tenant.
        let tenantEvent = try #require(receiver.accepted.first { $0.sequence == sequences[2] })
        let body = try #require(try JSONSerialization.jsonObject(with: Data(tenantEvent.body)) as? [String: Any])
        #expect(body["tenant"] as? String == "abcdefghijklmnopqrst" && body["type"] as? String == "deposit.credited")
        #expect((body["data"] as? [String: Any])?["account"] as? String == "abcdefghijklmnopqrst/shop")

        // The log: every attempt, numbered per event, with what came back.
        var log: [WebhookDeliveryView] = []
        var page = PageRequest(limit: 4)
        while true {
            let next = try await service.deliveries(created.id, page: page, by: fixture.operatorCaller)
            log += next.items
            guard let cursor = next.nextCursor else { break }
            page = PageRequest(limit: 4, after: cursor)
        }
        #expect(log.map(\.attempt) == [1, 2, 3, 4, 5, 6, 1, 1, 1])
        #expect(log.map(\.statusCode) == [500, 500, 500, 500, 500, 200, 200, 200, 200])
        #expect(log.map(\.outcome) == Array(repeating: "failed", count: 5) + Array(repeating: "delivered", count: 4))
        #expect(log.first?.responseExcerpt == "busy retry later" && log.last?.responseExcerpt == "ok" && log.allSatisfy { $0.error == nil })
        #expect(log.map(\.id) == log.map(\.id).sorted() && Set(log.map(\.id)).count == 9)
        let view = try await service.webhook(created.id, by: fixture.operatorCaller)
        #expect(view.status == "active" && view.attempts == 0 && view.lastEvent >= sequences[4] && view.nextAttemptAt == nil)
    }

    /// After the last attempt allowed the endpoint is marked failing and nothing more is sent;
    /// redelivering the event it stopped at (once the receiver is back) or enabling it resumes
    /// delivery in order. A later event cannot be redelivered past it; an earlier one can be sent again.
    @Test(arguments: TestEngine.all)
    func failingEndpointsResumeOnRedeliveryOrEnable(engine: TestEngine) async throws {
        let fixture = try await WebhookFixture.make(engine)
        let up = Switch(false)
        let receiver = try await fixture.receiver { _ in up.isOn ? 204 : 503 }
        defer { receiver.stop() }
        let policy = try WebhookPolicy(retryBaseMilliseconds: 50, retryCapMilliseconds: 200, maximumAttempts: 3, timeoutMilliseconds: 20_000)
        let service = fixture.service(policy: policy)
        let caller = fixture.operatorCaller
        let created = try await service.add(AddWebhookRequest(url: receiver.url, events: ["*"]), by: caller)
        receiver.expect(secret: created.secret)
        let e = try await fixture.append((1...3).map { ("", "payout.sent", "p-\($0)", #"{"n":\#($0)}"#) })
        try await fixture.deliver(service, passes: 6)
        #expect(receiver.requests.map(\.sequence) == [e[0], e[0], e[0]])
        var view = try await service.webhook(created.id, by: caller)
        #expect(view.status == "failing" && view.attempts == 3 && view.failingSince != nil && view.lastEvent < e[0])

        // Not past the event it waits at; that one, any time: a failure changes nothing.
        await #expect(throws: WebhookError.self) { try await service.redeliver(created.id, RedeliverWebhookRequest(event: e[1]), by: caller) }
        do { _ = try await service.redeliver(created.id, RedeliverWebhookRequest(event: e[1]), by: caller) } catch let error as WebhookError {
            #expect(error.code == "out-of-order" && error.category == .conflict)
        }
        let failed = try await service.redeliver(created.id, RedeliverWebhookRequest(event: e[0]), by: caller)
        #expect(failed.outcome == "failed" && failed.attempt == nil && failed.statusCode == 503)
        #expect(try await service.webhook(created.id, by: caller).status == "failing")
        up.set(true)
        let resumed = try await service.redeliver(created.id, RedeliverWebhookRequest(event: e[0]), by: caller)
        #expect(resumed.outcome == "delivered" && resumed.statusCode == 204 && resumed.eventID == "evt_\(e[0])")
        view = try await service.webhook(created.id, by: caller)
        #expect(view.status == "active" && view.lastEvent == e[0] && view.failingSince == nil)
        try await fixture.deliver(service)
        #expect(receiver.accepted.map(\.sequence) == e)
        // An event it had: sent again, as it is (receivers deduplicate by id).
        _ = try await service.redeliver(created.id, RedeliverWebhookRequest(event: e[1]), by: caller)
        #expect(receiver.accepted.map(\.sequence) == e + [e[1]])
        #expect(receiver.accepted.last?.body == receiver.accepted[1].body)
        await #expect(throws: WebhookError.self) { try await service.redeliver(created.id, RedeliverWebhookRequest(event: e[2] + 100), by: caller) }

        // Failing again; enabling resumes with the event it stopped at.
        up.set(false)
        let e4 = try await fixture.append([("", "payout.failed", "p-4", "{}")])[0]
        try await fixture.deliver(service, passes: 5)
        #expect(try await service.webhook(created.id, by: caller).status == "failing")
        let sent = receiver.requests.count
        try await fixture.deliver(service, passes: 2)
        #expect(receiver.requests.count == sent, "a failing endpoint is left alone")
        up.set(true)
        #expect(try await service.setEnabled(created.id, true, by: caller).status == "active")
        try await fixture.deliver(service)
        #expect(receiver.accepted.last?.sequence == e4)

        // Disabled: its events wait for it.
        #expect(try await service.setEnabled(created.id, false, by: caller).status == "disabled")
        let e5 = try await fixture.append([("", "payout.sent", "p-5", "{}")])[0]
        try await fixture.deliver(service)
        #expect(receiver.accepted.last?.sequence == e4)
        _ = try await service.setEnabled(created.id, true, by: caller)
        try await fixture.deliver(service)
        #expect(receiver.accepted.last?.sequence == e5)
        #expect(receiver.requests.allSatisfy { $0.verified })
    }

    /// A rotation that keeps the old secret signs with both for a while; one that does not,
    /// with the new one only. A tampered body fails verification.
    @Test(arguments: TestEngine.all)
    func rotationAndTampering(engine: TestEngine) async throws {
        let fixture = try await WebhookFixture.make(engine)
        let clock = fixture.clock
        let receiver = try await fixture.receiver()
        defer { receiver.stop() }
        let service = fixture.service()
        let caller = fixture.operatorCaller
        let created = try await service.add(AddWebhookRequest(url: receiver.url, events: ["deposit.credited"]), by: caller)
        let old = try #require(created.secret)
        receiver.expect(secret: old)
        let rotated = try await service.rotateSecret(created.id, RotateWebhookSecretRequest(previousSecretExpiresIn: 3_600), by: caller)
        let new = try #require(rotated.secret)
        #expect(new != old && rotated.previousSecretExpiresAt != nil)
        #expect(try await service.webhook(created.id, by: caller).previousSecretExpiresAt == rotated.previousSecretExpiresAt)
        try await fixture.append([("", "deposit.credited", "a", #"{"amount":"1"}"#)])
        try await fixture.deliver(service)
        let both = try #require(receiver.accepted.last)
        #expect(both.verified && both.signature.components(separatedBy: "v1=").count == 3)
        try WebhookSignature.verify(header: both.signature, body: both.body, secret: new, now: clock.seconds)

        var tampered = both.body
        tampered[tampered.count - 3] ^= 0x01
        #expect(throws: WebhookError.self) { try WebhookSignature.verify(header: both.signature, body: tampered, secret: new, now: clock.seconds) }
        #expect(throws: WebhookError.self) { try WebhookSignature.verify(header: both.signature, body: both.body + [0x20], secret: old, now: clock.seconds) }

        // Dropped at once: the old secret no longer verifies, the new one does.
        let again = try await service.rotateSecret(created.id, RotateWebhookSecretRequest(), by: caller)
        #expect(again.previousSecretExpiresAt == nil)
        try await fixture.append([("", "deposit.credited", "b", #"{"amount":"2"}"#)])
        try await fixture.deliver(service)
        let single = try #require(receiver.accepted.last)
        #expect(!single.verified && single.signature.components(separatedBy: "v1=").count == 2)
        try WebhookSignature.verify(header: single.signature, body: single.body, secret: try #require(again.secret), now: clock.seconds)
        // The secret is stored sealed: the database alone does not hold it.
        let stored = try #require(try await fixture.stores.webhooks.endpoint(created.id))
        let secretBytes = try WebhookSecret(parsing: try #require(again.secret)).bytes.copyBytes()
        #expect(!stored.secret.indices.dropLast(31).contains { Array(stored.secret[$0..<$0 + 32]) == secretBytes })
    }

    /// A tenant's endpoint receives its own events only, with its names as it writes them; it
    /// sees and changes only its own endpoints; over an API key it may not target private addresses.
    @Test(arguments: TestEngine.all)
    func tenantsReceiveTheirOwnEventsOnly(engine: TestEngine) async throws {
        let fixture = try await WebhookFixture.make(engine)
        let receiver = try await fixture.receiver()
        defer { receiver.stop() }
        let (a, b) = ("aaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbb")
        let tenantA = try Caller.apiKey(tenantID: a, keyID: "k1", scopes: [.admin])
        let tenantB = try Caller.apiKey(tenantID: b, keyID: "k2", scopes: [.admin])
        let reader = try Caller.apiKey(tenantID: a, keyID: "k3", scopes: [.read])
        let strict = fixture.service()
        await #expect(throws: ServiceError(.forbidden, "private-webhook-url", """
            url: 127.0.0.1 is a loopback, private or link-local address; over HTTP endpoints must be public \
            (the operator can add it with `coffer webhook add`, or allow such URLs with the server setting webhook_allow_private_urls)
            """)) { try await strict.add(AddWebhookRequest(url: receiver.url, events: ["*"]), by: tenantA) }
        let service = fixture.service(allowPrivateURLs: true)
        await #expect(throws: ServiceError.self) { try await service.add(AddWebhookRequest(url: receiver.url, events: ["*"]), by: reader) }
        let mine = try await service.add(AddWebhookRequest(url: receiver.url, events: ["*"]), by: tenantA)
        receiver.expect(secret: mine.secret)
        let theirs = try await service.add(AddWebhookRequest(url: "https://example.com/hook", events: ["*"], enabled: false), by: tenantB)
        #expect(mine.tenant == a && theirs.status == "disabled")
        #expect(try await service.webhooks(by: tenantA).map(\.id) == [mine.id])
        #expect(try await service.webhooks(by: fixture.operatorCaller).map(\.id).sorted() == [mine.id, theirs.id].sorted())
        for attempt in [
            { _ = try await service.webhook(theirs.id, by: tenantA) }, { _ = try await service.remove(theirs.id, by: tenantA) },
            { _ = try await service.setEnabled(theirs.id, true, by: tenantA) },
            { _ = try await service.rotateSecret(theirs.id, RotateWebhookSecretRequest(), by: tenantA) },
            { _ = try await service.deliveries(theirs.id, page: PageRequest(), by: tenantA) },
        ] as [@Sendable () async throws -> Void] {
            await #expect(throws: WebhookError.endpointNotFound(theirs.id)) { try await attempt() }
        }
        await #expect(throws: ServiceError.self) { try await service.deliverDue(by: tenantA) }

        let sequences = try await fixture.append([
            (b, "deposit.credited", "\(b)/ltc:01:0", #"{"account":"\#(b)/shop"}"#),
            (a, "deposit.credited", "\(a)/ltc:02:0", #"{"account":"\#(a)/shop","chain":"\#(a)/ltc","asset":"\#(a)/LTC","amount":"7"}"#),
            ("", "invoice.paid", "inv_x", "{}"),
        ])
        try await fixture.deliver(service)
        #expect(receiver.accepted.map(\.sequence) == [sequences[1]])
        let delivered = try #require(receiver.accepted.first)
        let body = try #require(try JSONSerialization.jsonObject(with: Data(delivered.body)) as? [String: Any])
        #expect(body["subject"] as? String == "ltc:02:0" && body["tenant"] as? String == a)
        #expect(body["data"] as? NSDictionary == ["account": "shop", "chain": "ltc", "asset": "LTC", "amount": "7"] as NSDictionary)
        // Redelivery names only the tenant's own events.
        await #expect(throws: WebhookError.self) { try await service.redeliver(mine.id, RedeliverWebhookRequest(event: sequences[0]), by: tenantA) }
        #expect(try await service.remove(mine.id, by: tenantA).id == mine.id)
        #expect(try await service.webhooks(by: tenantA).isEmpty)
        #expect(try await fixture.storage.count("webhook_deliveries") == 0)
    }

    /// Two processes over one database never deliver one endpoint at once: the lease lets one
    /// deliver while the other passes it over, and every event arrives once, in order.
    @Test(arguments: TestEngine.all)
    func twoProcessesTakeTurnsOnAnEndpoint(engine: TestEngine) async throws {
        let fixture = try await WebhookFixture.make(engine)
        let other = try await fixture.reopened()
        let clock = fixture.clock
        let receiver = try await fixture.receiver(delay: .milliseconds(30))
        defer { receiver.stop() }
        // A generous timeout: CI runs this beside dozens of processes. A delivery that still fails
        // is passed again after its backoff (the clock moves below) rather than ending the round.
        let policy = try WebhookPolicy(retryBaseMilliseconds: 100, retryCapMilliseconds: 1_000, maximumAttempts: 10, timeoutMilliseconds: 20_000)
        let first = fixture.service(policy: policy)
        let second = WebhookService(store: other.stores.webhooks, vault: other.vault, events: OutboxWebhookEvents(store: other.stores.chains),
                                    options: WebhookOptions(policy: policy), clock: { clock.now })
        let created = try await first.add(AddWebhookRequest(url: receiver.url, events: ["*"]), by: fixture.operatorCaller)
        receiver.expect(secret: created.secret)
        var expected: [Int64] = []
        for round in 0..<4 {
            expected += try await fixture.append((0..<5).map { ("", "deposit.seen", "r\(round)-\($0)", "{}") })
            var delivered = 0, passes = 0
            while delivered < 5 && passes < 5 {
                async let one = first.deliverDue(by: fixture.operatorCaller)
                async let two = second.deliverDue(by: other.operatorCaller)
                let (x, y) = try await (one, two)
                delivered += x.delivered + y.delivered
                passes += 1
                clock.advance(milliseconds: policy.retryCapMilliseconds + 1)
            }
            #expect(delivered == 5, "round \(round): \(delivered) delivered in \(passes) passes")
        }
        #expect(receiver.mostInFlight == 1)
        #expect(receiver.requests.map(\.sequence) == expected && receiver.requests.allSatisfy { $0.verified })
    }

    /// Secrets open only with the vault: while it is locked, endpoints cannot be made and the
    /// background service waits; with it open, the service delivers on its own.
    @Test func theBackgroundServiceDeliversWhileTheVaultIsOpen() async throws {
        let fixture = try await WebhookFixture.make(.sqlite)
        let receiver = try await WebhookReceiver.start()
        defer { receiver.stop() }
        let locked = fixture.service(vault: VaultAccess.locked(fixture.stores.vault, reason: "locked for the test"))
        await #expect(throws: ServiceError(.unavailable, "vault-locked", "locked for the test")) {
            try await locked.add(AddWebhookRequest(url: receiver.url, events: ["*"]), by: fixture.operatorCaller)
        }
        #expect(try await locked.backgroundDeliverer() == nil)
        // Real time here: the service runs as `coffer serve` runs it.
        let service = WebhookService(store: fixture.stores.webhooks, vault: fixture.vault, events: OutboxWebhookEvents(store: fixture.stores.chains))
        #expect(try await service.backgroundDeliverer() == nil, "no endpoint, no key yet")
        let created = try await service.add(AddWebhookRequest(url: receiver.url, events: ["invoice.*"]), by: fixture.operatorCaller)
        receiver.expect(secret: created.secret)
        #expect(try await locked.backgroundDeliverer() == nil)
        let running = Task {
            try await WebhookDeliveryService(webhooks: service, logger: Logger(label: "test"), poll: .milliseconds(20)).run()
        }
        defer { running.cancel() }
        let sequence = try await fixture.append([("", "invoice.paid", "inv_1", #"{"status":"paid"}"#)])[0]
        for _ in 0..<250 where receiver.accepted.isEmpty { try await Task.sleep(for: .milliseconds(20)) }
        #expect(receiver.accepted.map(\.sequence) == [sequence] && receiver.accepted.allSatisfy { $0.verified })
    }
}
