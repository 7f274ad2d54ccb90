import CofferTestSupport
import Foundation
import Testing

/// `coffer webhook ...` as operators run it: the real binary on a data directory, events raised by
/// real invoices, a receiver on loopback, and every delivery checked with the Python verifier that
/// docs/webhooks.md gives receivers (run as it is written there).
@Suite(.serialized) struct WebhookCLITests {
    static func json(_ text: some StringProtocol) -> [String: Any] {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    /// A raw HTTP request split into its header fields (lowercased names) and body bytes.
    static func parse(_ request: [UInt8]) -> (headers: [String: String], body: [UInt8]) {
        let separator = Array("\r\n\r\n".utf8)
        guard let end = request.indices.dropLast(3).first(where: { request[$0..<$0 + 4].elementsEqual(separator) }) else { return ([:], []) }
        var headers: [String: String] = [:]
        for line in String(decoding: request[..<end], as: UTF8.self).split(separator: "\r\n").dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2 { headers[parts[0].lowercased()] = parts[1] }
        }
        return (headers, Array(request[(end + 4)...]))
    }

    /// Runs docs/webhooks.md's `verify_coffer_signature` on a delivery; true when it accepts it.
    static func pythonVerifies(secret: String, body: [UInt8], header: String, directory: URL) throws -> Bool {
        let docs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../docs/webhooks.md").standardized
        let text = try String(contentsOf: docs, encoding: .utf8)
        let snippet = try #require(text.components(separatedBy: "```python\n").dropFirst().first?.components(separatedBy: "```").first)
        let bodyFile = directory.appendingPathComponent("body-\(UUID().uuidString)")
        try Data(body).write(to: bodyFile)
        let script = snippet + """

            import sys
            ok = verify_coffer_signature(sys.argv[1], open(sys.argv[2], "rb").read(), sys.argv[3])
            sys.exit(0 if ok else 1)
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, secret, bodyFile.path, header]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus <= 1, "the verifier crashed")
        return process.terminationStatus == 0
    }

    @Test func endpointsDeliveriesAndTheLogThroughTheBinary() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("coffer-webhooks-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let passphrase = directory.appendingPathComponent("passphrase").path
        try Data("correct horse battery staple\n".utf8).write(to: URL(fileURLWithPath: passphrase))
        let dataDir = directory.appendingPathComponent("data").path
        let environment = ["COFFER_DATA_DIR": dataDir, "COFFER_VAULT_PASSPHRASE_FILE": passphrase, "COFFER_INSECURE_TEST_KDF": "1"]
        func coffer(_ arguments: [String], stdin: String? = nil) throws -> CofferProcess.Result {
            let result = try CofferProcess.run(arguments, stdin: stdin, environment: environment)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
            return result
        }
        _ = try coffer(["vault", "init"])
        _ = try coffer(["wallet", "import", "--name", "hot", "--from", "mnemonic"], stdin: MnemonicCLITests.abandonAbout)
        _ = try coffer(["chain", "add", "--name", "ltc", "--network", "litecoin-regtest", "--rpc-url", "http://127.0.0.1:1"])
        _ = try coffer(["ledger", "account", "create", "--id", "shop", "--asset", "LTC"])
        let invoice = ["invoice", "create", "--chain", "ltc", "--wallet", "hot", "--account", "shop", "--amount", "1000"]
        _ = try coffer(invoice)  // before the endpoint: not delivered

        // The receiver is down for the first request, then answers 200.
        let receiver = try CannedHTTPServer { $0 == 0 ? (500, "down for maintenance") : (200, "ok") }
        defer { receiver.stop() }
        let added = Self.json(try coffer(["webhook", "add", "--url", receiver.url + "hook", "--events", "invoice.*, deposit.credited"]).stdout)
        let id = try #require(added["id"] as? String)
        let secret = try #require(added["secret"] as? String)
        #expect(secret.hasPrefix("whsec_") && added["events"] as? [String] == ["invoice.*", "deposit.credited"] && added["status"] as? String == "active")
        _ = try coffer(invoice)
        _ = try coffer(invoice)
        let sequences = try coffer(["events"]).stdoutLines.compactMap { Self.json($0)["sequence"] as? Int }
        #expect(sequences.count == 3)
        let policy = ["--retry-base-ms", "1", "--retry-cap-ms", "1"]

        let first = Self.json(try coffer(["webhook", "deliver", "--once"] + policy).stdout)
        #expect(first["endpoints"] as? Int == 1 && first["delivered"] as? Int == 0 && first["failed"] as? Int == 1, "\(first)")
        try await Task.sleep(for: .milliseconds(20))
        let second = Self.json(try coffer(["webhook", "deliver", "--once"] + policy).stdout)
        #expect(second["delivered"] as? Int == 2 && second["failed"] as? Int == 0, "\(second)")
        let third = Self.json(try coffer(["webhook", "deliver", "--once"] + policy).stdout)
        #expect(third["endpoints"] as? Int == 0, "nothing is due once every event was delivered: \(third)")

        // What arrived: the second event twice (500, then 200), then the third; each verifies.
        let requests = receiver.requests.map(Self.parse)
        #expect(requests.map { $0.headers["coffer-event-id"] } == ["evt_\(sequences[1])", "evt_\(sequences[1])", "evt_\(sequences[2])"])
        for request in requests {
            #expect(request.headers["content-type"] == "application/json" && request.headers["coffer-event-type"] == "invoice.created")
            let signature = try #require(request.headers["coffer-signature"])
            #expect(try Self.pythonVerifies(secret: secret, body: request.body, header: signature, directory: directory), "\(signature)")
            #expect(Self.json(String(decoding: request.body, as: UTF8.self))["sequence"] as? Int != nil)
        }
        let delivered = try #require(requests.last)
        var tampered = delivered.body
        tampered[tampered.count / 2] ^= 0x01
        #expect(try !Self.pythonVerifies(secret: secret, body: tampered, header: delivered.headers["coffer-signature"] ?? "", directory: directory))

        // The log, oldest first.
        let log = try coffer(["webhook", "deliveries", id]).stdoutLines.map(Self.json)
        #expect(log.map { $0["attempt"] as? Int } == [1, 2, 1])
        #expect(log.map { $0["status_code"] as? Int } == [500, 200, 200])
        #expect(log.map { $0["outcome"] as? String } == ["failed", "delivered", "delivered"])
        #expect(log.first?["response_excerpt"] as? String == "down for maintenance")
        let paged = try coffer(["webhook", "deliveries", id, "--limit", "2"]).stdoutLines
        #expect(paged.count == 3 && paged.last?.hasPrefix(#"{"next_cursor":"#) == true)

        // A redelivery; an event it never receives; a rotation; the state shown.
        let again = Self.json(try coffer(["webhook", "redeliver", id, "--event", String(sequences[1])]).stdout)
        #expect(again["outcome"] as? String == "delivered" && again["attempt"] is NSNull && again["event_id"] as? String == "evt_\(sequences[1])")
        try CofferProcess.expectRejected(["webhook", "redeliver", id, "--event", "99"], mentioning: ["[event-not-found]"], environment: environment)
        let rotated = Self.json(try coffer(["webhook", "rotate-secret", id]).stdout)
        let newSecret = try #require(rotated["secret"] as? String)
        #expect(newSecret != secret && rotated["previous_secret_expires_at"] is NSNull)
        _ = try coffer(invoice)
        _ = try coffer(["webhook", "deliver", "--once"] + policy)
        let latest = try #require(receiver.requests.last.map(Self.parse))
        #expect(try Self.pythonVerifies(secret: newSecret, body: latest.body, header: latest.headers["coffer-signature"] ?? "", directory: directory))
        #expect(try !Self.pythonVerifies(secret: secret, body: latest.body, header: latest.headers["coffer-signature"] ?? "", directory: directory))
        #expect(Self.json(try coffer(["webhook", "disable", id]).stdout)["status"] as? String == "disabled")
        #expect(Self.json(try coffer(["webhook", "enable", id]).stdout)["status"] as? String == "active")
        let listed = try coffer(["webhook", "list"]).stdoutLines.map(Self.json)
        #expect(listed.count == 1 && listed.first?["id"] as? String == id && listed.first?["last_event"] as? Int == sequences[2] + 1)
        #expect(listed.first?["secret"] == nil, "a listing never shows the secret")
        #expect(Self.json(try coffer(["webhook", "show", id]).stdout)["id"] as? String == id)

        // Refusals: one line, a stable code.
        for (arguments, code) in [
            (["webhook", "add", "--url", "ftp://example.com/x", "--events", "*"], "invalid-webhook-url"),
            (["webhook", "add", "--url", "https://user:pw@example.com/x", "--events", "*"], "invalid-webhook-url"),
            (["webhook", "add", "--url", "https://example.com/x", "--events", "deposit"], "invalid-request"),
            (["webhook", "add", "--url", "https://example.com/x", "--events", "deposit.*,,invoice.*"], "invalid-request"),
            (["webhook", "rotate-secret", id, "--keep-previous", "604801"], "invalid-request"),
            (["webhook", "show", "whk_nope"], "webhook-not-found"),
        ] {
            try CofferProcess.expectRejected(arguments, status: 1, mentioning: ["[\(code)]"], environment: environment)
        }
        var locked = environment
        locked["COFFER_VAULT_PASSPHRASE_FILE"] = nil
        try CofferProcess.expectRejected(["webhook", "add", "--url", "https://example.com/x", "--events", "*"], status: 1,
                                         mentioning: ["[vault-locked]"], environment: locked)
        #expect(try CofferProcess.run(["webhook", "list"], environment: locked).status == 0, "listing needs no passphrase")

        #expect(Self.json(try coffer(["webhook", "remove", id]).stdout)["id"] as? String == id)
        try CofferProcess.expectRejected(["webhook", "show", id], status: 1, mentioning: ["[webhook-not-found]"], environment: environment)
    }
}
