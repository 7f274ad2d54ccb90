import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import CofferTestSupport

/// `coffer serve` as operators run it: the real binary, a real port, the embedded database.
struct ServeCLITests {
    /// A free loopback port (the kernel's choice; released just before the server binds it).
    static func freePort() -> Int {
        let socketHandle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socketHandle) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketHandle, $0, length) }
        }
        _ = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketHandle, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func request(_ method: String, _ url: String, key: String? = nil, body: String? = nil) async throws -> (Int, String) {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.timeoutInterval = 20
        if let key { request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
    }

    /// A running `coffer serve` on a fresh data directory, with a tenant and a read/write key.
    struct Served {
        let dataDir: String
        let tenant: String
        let key: String
        let base: String
        let server: CofferChildProcess

        static func start() async throws -> Served {
            let dataDir = TemporaryPaths.make("coffer-serve").path
            let tenantLine = try CofferProcess.run(["tenant", "create", "--name", "Acme", "--data-dir", dataDir]).stdout
            let tenant = try #require(tenantLine.split(separator: "\"").dropFirst(3).first.map(String.init))
            let key = try CofferProcess.run(["apikey", "create", "--tenant", tenant, "--scopes", "read,write", "--data-dir", dataDir])
                .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            let port = ServeCLITests.freePort()
            let base = "http://127.0.0.1:\(port)"
            let server = try CofferChildProcess(["serve", "--data-dir", dataDir, "--port", String(port), "--rate-limit", "0"], input: Data())
            var up = false
            for _ in 0..<200 where !up {
                up = (try? await ServeCLITests.request("GET", "\(base)/health").0) == 200
                if !up { try await Task.sleep(for: .milliseconds(50)) }
            }
            try #require(up, "the server did not come up")
            return Served(dataDir: dataDir, tenant: tenant, key: key, base: base, server: server)
        }
    }

    @Test func sigtermLetsInFlightRequestsFinishAndLosesNoAcknowledgedTransfer() async throws {
        let served = try await Served.start()
        let (dataDir, tenant, key, base, server) = (served.dataDir, served.tenant, served.key, served.base, served.server)
        #expect(try await Self.request("POST", "\(base)/v1/assets", key: key, body: #"{"code":"USDT","decimals":6}"#).0 == 201)
        for id in ["a", "b"] {
            #expect(try await Self.request("POST", "\(base)/v1/accounts", key: key, body: #"{"id":"\#(id)","asset":"USDT"}"#).0 == 201)
        }
        // 400 transfers from 16 clients; SIGTERM lands while they run.
        let acknowledged = try await withThrowingTaskGroup(of: [String].self) { group in
            for client in 0..<16 {
                group.addTask {
                    var acked: [String] = []
                    for index in 0..<25 {
                        let id = "t\(client)-\(index)"
                        let body = #"{"id":"\#(id)","debit":"a","credit":"b","amount":"1","asset":"USDT"}"#
                        guard let (status, _) = try? await Self.request("POST", "\(base)/v1/transfers", key: key, body: body) else { break }
                        if status == 201 { acked.append(id) }
                    }
                    return acked
                }
            }
            group.addTask {
                try await Task.sleep(for: .milliseconds(300))
                server.send(SIGTERM)
                return []
            }
            var all: [String] = []
            for try await part in group { all += part }
            return all
        }
        let outcome = server.finish(within: .seconds(30))
        #expect(!outcome.killed && outcome.status == 0, "graceful stop: \(outcome.stderr.suffix(500))")
        // The lifecycle: a group starts its services together (their first log lines may come in
        // any order) and on SIGTERM stops them one by one in reverse, each finishing before the
        // next is told: the HTTP server stops taking requests (and drains those in flight) before
        // the background services and the database beneath them go.
        func services(_ event: String) -> [String] {
            outcome.stderr.split(separator: "\n").filter { $0.hasSuffix(event) || $0.contains(event + " ") }.compactMap { line in
                line.split(separator: " ").first(where: { $0.hasPrefix("service=") }).map { String($0.dropFirst("service=".count)) }
            }
        }
        #expect(services("service started").sorted() == ["application", "chain-sync", "http", "idempotency-purge", "market-feeds", "payouts", "pending-expiry",
                                                        "recon-scheduler", "webhook-delivery"],
                "\(outcome.stderr.suffix(2000))")
        #expect(services("service stopped") == ["http", "recon-scheduler", "market-feeds", "webhook-delivery", "payouts", "chain-sync", "idempotency-purge",
                                                "pending-expiry", "application"],
                "\(outcome.stderr.suffix(2000))")
        #expect(!acknowledged.isEmpty, "some transfers were acknowledged before the stop")
        // Every acknowledged transfer is in the ledger (the operator CLI sees the tenant's namespace).
        let listing = try CofferProcess.run(["ledger", "transfers", "--account", "\(tenant)/b", "--limit", "10000", "--data-dir", dataDir]).stdout
        for id in acknowledged { #expect(listing.contains("\"id\":\"\(tenant)/\(id)\""), "acknowledged \(id) is missing") }
        #expect(try CofferProcess.run(["ledger", "verify", "--data-dir", dataDir]).status == 0)
    }

    /// The server answers balance reads from memory while no commit changed the account; a
    /// transfer committed by another process (the operator's CLI on the same data directory) must
    /// show in the very next read, and so must the server's own.
    @Test func balanceReadsSeeTransfersCommittedByAnotherProcess() async throws {
        let served = try await Served.start()
        defer { served.server.send(SIGTERM); _ = served.server.finish(within: .seconds(30)) }
        let (base, key) = (served.base, served.key)
        #expect(try await Self.request("POST", "\(base)/v1/assets", key: key, body: #"{"code":"USDT","decimals":6}"#).0 == 201)
        for id in ["a", "b", "c"] {
            #expect(try await Self.request("POST", "\(base)/v1/accounts", key: key, body: #"{"id":"\#(id)","asset":"USDT"}"#).0 == 201)
        }
        func credits(_ id: String) async throws -> String? {
            let (status, body) = try await Self.request("GET", "\(base)/v1/accounts/\(id)", key: key)
            #expect(status == 200, "\(body)")
            let object = try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any]
            return object?["credits_posted"] as? String
        }
        var expected = (b: 0, c: 0)
        for round in 1...5 {
            // Twice, so the second read is the cached one.
            #expect(try await credits("b") == String(expected.b))
            #expect(try await credits("c") == String(expected.c))
            #expect(try await credits("b") == String(expected.b))
            let line = #"{"id":"\#(served.tenant)/cli-\#(round)","debit":"\#(served.tenant)/a","credit":"\#(served.tenant)/b","amount":"\#(round)","asset":"\#(served.tenant)/USDT"}"#
            let cli = try CofferProcess.run(["ledger", "transfer", "--data-dir", served.dataDir], stdin: line + "\n")
            #expect(cli.stdout.contains("\"created\""), "\(cli.stdout) \(cli.stderr)")
            expected.b += round
            #expect(try await credits("b") == String(expected.b), "round \(round): a transfer from another process is missing")
            #expect(try await credits("c") == String(expected.c))
            // The server's own commit changes the c it just read; b's cached value stays right.
            let body = #"{"id":"api-\#(round)","debit":"a","credit":"c","amount":"\#(round)","asset":"USDT"}"#
            #expect(try await Self.request("POST", "\(base)/v1/transfers", key: key, body: body).0 == 201)
            expected.c += round
            #expect(try await credits("c") == String(expected.c), "round \(round): the server's own transfer is missing")
            #expect(try await credits("b") == String(expected.b))
        }
    }
}
