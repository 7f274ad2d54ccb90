import Wallets
@testable import Tenancy
import CofferCore
import CofferBase
import CofferStorage
import Foundation
import GRDB
import HTTPTypes
import Testing

@testable import CofferServer

/// `Idempotency-Key` on POST, per draft-ietf-httpapi-idempotency-key-header: the same key and
/// request replays; a different request is 422; one still running is 409; keys are per tenant
/// and survive at least 24 hours.
@Suite struct IdempotencyContractTests {
    static let account = #"{"id":"acct-i","asset":"USD","owner":"ivy"}"#

    func prepare(_ api: APIUnderTest) async throws -> TestTenant {
        let tenant = try await api.tenant("I")
        try #require(try await api.call(.post, "/v1/assets", as: tenant, body: #"{"code":"USD","decimals":2}"#).status == 201)
        return tenant
    }

    @Test(arguments: ServerBackend.all)
    func theSameKeyAndBodyReplaysTheFirstResponse(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let tenant = try await prepare(api)
            let first = try await api.call(.post, "/v1/accounts", as: tenant, body: Self.account, idempotencyKey: "k-1")
            #expect(first.status == 201 && first.headers[.idempotentReplayed] == nil)
            let again = try await api.call(.post, "/v1/accounts", as: tenant, body: Self.account, idempotencyKey: "k-1")
            #expect(again.status == 201 && again.text == first.text && again.headers[.idempotentReplayed] == "true")
            // Without the key the request runs again: the ledger answers "exists", so the 201 above was a replay.
            let rerun = try await api.call(.post, "/v1/accounts", as: tenant, body: Self.account)
            #expect(rerun.status == 200 && rerun.string("result") == "exists")
            // A refused request is replayed too: the same mistake gets the same answer, and still changes nothing.
            let bad = #"{"id":"acct-j","asset":"NOPE"}"#
            let refused = try await api.call(.post, "/v1/accounts", as: tenant, body: bad, idempotencyKey: "k-2")
            #expect(refused.problemSlug == "asset-not-found")
            let refusedAgain = try await api.call(.post, "/v1/accounts", as: tenant, body: bad, idempotencyKey: "k-2")
            #expect(refusedAgain.text == refused.text && refusedAgain.headers[.idempotentReplayed] == "true" && refusedAgain.status == 422)
        }
    }

    @Test(arguments: ServerBackend.all)
    func theSameKeyWithAnotherRequestIs422AndChangesNothing(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let tenant = try await prepare(api)
            #expect(try await api.call(.post, "/v1/accounts", as: tenant, body: Self.account, idempotencyKey: "k").status == 201)
            let before = try await LedgerFixture.snapshot(api, tenant, accounts: ["acct-i", "acct-other"], assets: ["USD", "EUR"])
            let otherBody = try await api.call(.post, "/v1/accounts", as: tenant, body: #"{"id":"acct-other","asset":"USD"}"#, idempotencyKey: "k")
            #expect(otherBody.status == 422 && otherBody.problemSlug == "idempotency-key-reused" && otherBody.isClientProblem)
            let otherPath = try await api.call(.post, "/v1/assets", as: tenant, body: #"{"code":"EUR","decimals":2}"#, idempotencyKey: "k")
            #expect(otherPath.problemSlug == "idempotency-key-reused")
            // Same bytes, other path: still another request.
            let samePathBytes = try await api.call(.post, "/v1/transfers", as: tenant, body: Self.account, idempotencyKey: "k")
            #expect(samePathBytes.problemSlug == "idempotency-key-reused")
            #expect(try await LedgerFixture.snapshot(api, tenant, accounts: ["acct-i", "acct-other"], assets: ["USD", "EUR"]) == before)
        }
    }

    /// A request holding the key is simulated deterministically by claiming it in the store
    /// exactly as the server does, then completing it.
    @Test(arguments: ServerBackend.all)
    func aKeyStillInProgressIs409ThenReplays(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let tenant = try await prepare(api)
            let body = Self.account
            let fingerprint = IdempotentPost.fingerprint(method: "POST", path: "/v1/accounts", body: Array(body.utf8))
            #expect(try await api.tenancy.beginIdempotent(tenantID: tenant.id, key: "busy", requestHash: fingerprint) == .proceed)
            let busy = try await api.call(.post, "/v1/accounts", as: tenant, body: body, idempotencyKey: "busy")
            #expect(busy.status == 409 && busy.problemSlug == "idempotency-key-in-use" && busy.isClientProblem)
            #expect(try await api.call(.get, "/v1/accounts/acct-i", as: tenant).status == 404, "a 409 runs nothing")
            // A different body with the busy key is still a mismatch, not a wait.
            #expect(try await api.call(.post, "/v1/accounts", as: tenant, body: #"{"id":"x","asset":"USD"}"#, idempotencyKey: "busy").status == 422)
            let stored = StoredResponse(status: 201, contentType: "application/json", body: Array(#"{"stored":true}"#.utf8))
            try await api.tenancy.completeIdempotent(tenantID: tenant.id, key: "busy", response: stored)
            let replay = try await api.call(.post, "/v1/accounts", as: tenant, body: body, idempotencyKey: "busy")
            #expect(replay.status == 201 && replay.text == #"{"stored":true}"# && replay.headers[.idempotentReplayed] == "true")
        }
    }

    /// A claim whose request died is taken over by the next identical request once it is older
    /// than the claim lifetime; a different request still gets 422.
    @Test(arguments: ServerBackend.all)
    func anAbandonedClaimIsTakenOverAfterItsLifetime(_ backend: ServerBackend) async throws {
        let clock = MovableClock()
        try await backend.withServices(clock: { clock.now }) { stacks in
            let services = stacks[0]
            let tenant = try await services.stores.tenancy.createTenant(name: "T")
            let hash = IdempotentPost.fingerprint(method: "POST", path: "/v1/accounts", body: Array("{}".utf8))
            let other = IdempotentPost.fingerprint(method: "POST", path: "/v1/accounts", body: Array("{ }".utf8))
            #expect(try await services.stores.tenancy.beginIdempotent(tenantID: tenant.id, key: "k", requestHash: hash) == .proceed)
            clock.advance(seconds: 60)
            #expect(try await services.stores.tenancy.beginIdempotent(tenantID: tenant.id, key: "k", requestHash: hash) == .inProgress)
            clock.advance(seconds: 61)
            #expect(try await services.stores.tenancy.beginIdempotent(tenantID: tenant.id, key: "k", requestHash: other) == .mismatch)
            #expect(try await services.stores.tenancy.beginIdempotent(tenantID: tenant.id, key: "k", requestHash: hash) == .proceed)
            #expect(try await services.stores.tenancy.beginIdempotent(tenantID: tenant.id, key: "k", requestHash: hash) == .inProgress, "the new claim is fresh")
        }
    }

    /// Many identical keyed transfers at once: exactly one runs (201); every other one is either
    /// told the key is in use (409) or gets that 201 replayed, and the ledger holds one transfer.
    @Test(arguments: ServerBackend.all)
    func concurrentRequestsWithOneKeyRunOnce(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let tenant = try await api.tenant("C")
            try await LedgerFixture.build(api, tenant, owner: "c", amount: "10")
            let body = #"{"id":"t-once","debit":"acct-a","credit":"acct-b","amount":"1","asset":"USD"}"#
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<8 { group.addTask { try await api.call(.post, "/v1/transfers", as: tenant, body: body, idempotencyKey: "once") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let ran = replies.filter { $0.status == 201 && $0.headers[.idempotentReplayed] == nil }
            #expect(ran.count == 1, "\(replies.map(\.status))")
            for reply in replies where reply.headers[.idempotentReplayed] != nil || reply.status != 201 {
                #expect((reply.status == 409 && reply.problemSlug == "idempotency-key-in-use")
                        || (reply.status == 201 && reply.headers[.idempotentReplayed] == "true" && reply.text == ran.first?.text), "\(reply.status): \(reply.text)")
            }
            let after = try await api.call(.post, "/v1/transfers", as: tenant, body: body, idempotencyKey: "once")
            #expect(after.status == 201 && after.headers[.idempotentReplayed] == "true")
            let transfers = try await api.call(.get, "/v1/transfers?account=acct-b", as: tenant).text
            #expect(transfers.components(separatedBy: "\"t-once\"").count == 2, "one transfer t-once")
        }
    }

    /// The embedded store keeps claims in the process (a claim needs no fsync): a claim whose
    /// process died is gone with it, and a restarted server takes the key at once; a completed
    /// response is durable and replayed after the restart. An unfinished record an older version
    /// committed as its claim still means "in progress" until it outlives the claim lifetime.
    @Test func aClaimOfADeadProcessIsTakenOverAndResponsesSurviveARestart() async throws {
        let clock = MovableClock()
        try await ServerBackend.sqlite.withServices(clock: { clock.now }) { stacks in
            let services = stacks[0]
            let store = try #require(services.stores.tenancy as? SQLiteTenancyStore)
            let tenant = try await store.createTenant(name: "R")
            let hash = IdempotentPost.fingerprint(method: "POST", path: "/v1/accounts", body: Array("{}".utf8))
            #expect(try await store.beginIdempotent(tenantID: tenant.id, key: "dies", requestHash: hash) == .proceed)
            #expect(try await store.beginIdempotent(tenantID: tenant.id, key: "done", requestHash: hash) == .proceed)
            let stored = StoredResponse(status: 201, contentType: "application/json", body: Array(#"{"done":true}"#.utf8))
            try await store.completeIdempotent(tenantID: tenant.id, key: "done", response: stored)
            #expect(store.claims.count == 1, "completing frees the claim")

            // The process "dies" with "dies" claimed: a new store on the same database is a restart.
            let restarted = SQLiteTenancyStore(database: store.database, clock: { clock.now })
            #expect(try await restarted.beginIdempotent(tenantID: tenant.id, key: "dies", requestHash: hash) == .proceed)
            #expect(try await restarted.beginIdempotent(tenantID: tenant.id, key: "done", requestHash: hash) == .replay(stored))
            let other = IdempotentPost.fingerprint(method: "POST", path: "/v1/accounts", body: Array("{ }".utf8))
            #expect(try await restarted.beginIdempotent(tenantID: tenant.id, key: "done", requestHash: other) == .mismatch)
            #expect(restarted.claims.count == 1, "a replay or mismatch holds nothing")

            // A claim committed by an older version, as it left it.
            let now = TenancyValidation.milliseconds(clock.now)
            try await store.database.pool.write { db in
                try db.execute(sql: "INSERT INTO idempotency_records (tenant_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)",
                               arguments: [tenant.id, "old", Data(hash), now])
            }
            #expect(try await restarted.beginIdempotent(tenantID: tenant.id, key: "old", requestHash: hash) == .inProgress)
            #expect(try await restarted.beginIdempotent(tenantID: tenant.id, key: "old", requestHash: other) == .mismatch)
            clock.advance(seconds: 121)
            #expect(try await restarted.beginIdempotent(tenantID: tenant.id, key: "old", requestHash: hash) == .proceed)
            try await restarted.completeIdempotent(tenantID: tenant.id, key: "old", response: stored)
            #expect(try await store.beginIdempotent(tenantID: tenant.id, key: "old", requestHash: hash) == .replay(stored))
            // Abandoning frees the key for the next identical request at once.
            try await restarted.abandonIdempotent(tenantID: tenant.id, key: "dies")
            #expect(try await restarted.beginIdempotent(tenantID: tenant.id, key: "dies", requestHash: hash) == .proceed)
        }
    }

    @Test(arguments: ServerBackend.all)
    func keysArePerTenantAndKeptAtLeast24Hours(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let first = try await prepare(api)
            let second = try await prepare(api)
            let one = try await api.call(.post, "/v1/accounts", as: first, body: Self.account, idempotencyKey: "same")
            let two = try await api.call(.post, "/v1/accounts", as: second, body: Self.account, idempotencyKey: "same")
            #expect(one.status == 201 && two.status == 201 && two.headers[.idempotentReplayed] == nil)
            // Another key of the same tenant shares the tenant's idempotency keys.
            let sibling = try await api.key(for: first, scopes: [.write])
            #expect(try await api.call(.post, "/v1/accounts", as: sibling, body: Self.account, idempotencyKey: "same").headers[.idempotentReplayed] == "true")
            // The hourly purge forgets only records older than 25 hours.
            #expect(try await api.tenancy.purgeIdempotent(before: Date().addingTimeInterval(-24 * 3600)) == 0)
            #expect(try await api.call(.post, "/v1/accounts", as: first, body: Self.account, idempotencyKey: "same").headers[.idempotentReplayed] == "true")
            #expect(try await api.tenancy.purgeIdempotent(before: Date().addingTimeInterval(60)) >= 2)
            let afterPurge = try await api.call(.post, "/v1/accounts", as: first, body: Self.account, idempotencyKey: "same")
            #expect(afterPurge.status == 200 && afterPurge.headers[.idempotentReplayed] == nil && afterPurge.string("result") == "exists")
        }
    }

    @Test(arguments: ServerBackend.all)
    func everyPostHonoursTheKey(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let tenant = try await api.tenant("P")
            try await LedgerFixture.build(api, tenant, owner: "p", amount: "10")
            let posts: [(String, String)] = [
                ("/v1/assets", #"{"code":"EUR","decimals":2}"#),
                ("/v1/accounts", #"{"id":"acct-c","asset":"USD"}"#),
                ("/v1/transfers", #"{"id":"t-2","debit":"acct-a","credit":"acct-c","amount":"3","asset":"USD"}"#),
                ("/v1/transfers/batch", #"{"transfers":[{"id":"t-3","debit":"acct-a","credit":"acct-c","amount":"1","asset":"USD"}]}"#),
                ("/v1/transfers/t-1/reverse", #"{"id":"undo-1"}"#),
                ("/v1/keys", #"{"scopes":["read"],"label":"replayed"}"#),
                ("/v1/keys/\(tenant.keyID)/revoke", ""),
            ]
            for (index, (uri, body)) in posts.enumerated() {
                let key = "post-\(index)"
                let first = try await api.call(.post, uri, as: uri.hasSuffix("/revoke") ? try await api.key(for: tenant, scopes: [.admin]) : tenant,
                                               body: body.isEmpty ? nil : body, idempotencyKey: key)
                #expect((200..<300).contains(first.status), "\(uri): \(first.text)")
                let admin = try await api.key(for: tenant, scopes: [.admin])
                let again = try await api.call(.post, uri, as: admin, body: body.isEmpty ? nil : body, idempotencyKey: key)
                if uri == "/v1/keys" {
                    // The key is shown once: the replay is the same answer with the key null, never the key again.
                    let secret = try #require(first.string("key"))
                    #expect(again.text == first.text.replacingOccurrences(of: "\"\(secret)\"", with: "null") && !again.text.contains(secret), "\(again.text)")
                    #expect(again.headers[.idempotentReplayed] == "true")
                } else {
                    #expect(again.text == first.text && again.headers[.idempotentReplayed] == "true", "\(uri)")
                }
                let changed = try await api.call(.post, uri, as: admin, body: body.isEmpty ? "{}" : body + " ", idempotencyKey: key)
                #expect(changed.problemSlug == "idempotency-key-reused", "\(uri): \(changed.text)")
            }
            // Only one key was created by the POST /v1/keys above, despite the replay.
            let keys = try await api.call(.get, "/v1/keys", as: try await api.key(for: tenant, scopes: [.admin])).text
            #expect(keys.components(separatedBy: "\"replayed\"").count == 2)
        }
    }

    @Test func malformedKeysAre400() async throws {
        try await withAPI(.sqlite) { api in
            let tenant = try await prepare(api)
            for key in ["", String(repeating: "k", count: 256), "has space", "tab\tkey"] {
                let reply = try await api.call(.post, "/v1/accounts", as: tenant, body: Self.account, idempotencyKey: key)
                #expect(reply.status == 400 && reply.isClientProblem, "\(key.prefix(10)): \(reply.text)")
            }
            #expect(try await api.call(.get, "/v1/accounts/acct-i", as: tenant).status == 404)
        }
    }
}

/// A clock tests move by hand.
final class MovableClock: @unchecked Sendable {
    private let lock = NSLock()
    private var value = Date(timeIntervalSince1970: 1_800_000_000)
    var now: Date { lock.withLock { value } }
    func advance(seconds: TimeInterval) { lock.withLock { value += seconds } }
}
