import CofferBase
import Foundation
import Testing
import WalletCore
import Webhooks

/// The pure parts: signatures and their verification, event filters, endpoint URLs, secrets at
/// rest and the backoff.
struct WebhookSignatureTests {
    let secret = WebhookSecret.generate()
    let body = Array(#"{"id":"evt_1","type":"deposit.credited"}"#.utf8)

    @Test func aSignedBodyVerifiesWithinTheTolerance() throws {
        let header = WebhookSignature.header(timestamp: 1_700_000_000, body: body, secrets: [secret])
        #expect(header.hasPrefix("t=1700000000,v1=") && header.count == "t=1700000000,v1=".count + 64)
        try WebhookSignature.verify(header: header, body: body, secret: secret.text, now: 1_700_000_000)
        try WebhookSignature.verify(header: header, body: body, secret: secret.text, now: 1_700_000_300)
        try WebhookSignature.verify(header: header, body: body, secret: secret.text, now: 1_699_999_700)
        #expect(throws: WebhookError(.unauthenticated, "signature-expired", "the signature's time t=1700000000 is more than 300 s from now (1700000301)")) {
            try WebhookSignature.verify(header: header, body: body, secret: secret.text, now: 1_700_000_301)
        }
        // Spaces after commas, unknown schemes and a second v1 are read as Stripe's receivers read them.
        try WebhookSignature.verify(header: header.replacingOccurrences(of: ",", with: ", ") + ",v0=abc", body: body, secret: secret, now: 1_700_000_000)
    }

    /// The known answer: HMAC-SHA256(key, "<t>.<body>") in hex, as Python's hmac module computes
    /// it for the same 32 bytes and message.
    @Test func theSignatureIsHMACSHA256OfTimestampDotBody() throws {
        let key = WebhookSecret(bytes: SecretBytes(Array(repeating: 0x0b, count: 32)))
        #expect(key.text == "whsec_CwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCwsLCws=")
        let header = WebhookSignature.header(timestamp: 1_700_000_000, body: Array("{}".utf8), secrets: [key])
        #expect(header == "t=1700000000,v1=943eb17e669b75864224700e3b506ef93d10a0596eef3b7626af941cf1734edc")
    }

    @Test func aTamperedBodyAnotherSecretOrABadHeaderFail() throws {
        let header = WebhookSignature.header(timestamp: 1_700_000_000, body: body, secrets: [secret])
        var tampered = body
        tampered[tampered.count - 2] ^= 0x01
        let mismatch = WebhookError(.unauthenticated, "signature-mismatch", "no v1 signature matches the body under this secret")
        #expect(throws: mismatch) { try WebhookSignature.verify(header: header, body: tampered, secret: secret.text, now: 1_700_000_000) }
        #expect(throws: mismatch) { try WebhookSignature.verify(header: header, body: body, secret: WebhookSecret.generate().text, now: 1_700_000_000) }
        // A changed timestamp breaks the signature too: t is signed.
        #expect(throws: mismatch) {
            try WebhookSignature.verify(header: header.replacingOccurrences(of: "t=1700000000", with: "t=1700000001"), body: body, secret: secret.text, now: 1_700_000_000)
        }
        for bad in ["", "t=1700000000", "v1=" + String(repeating: "0", count: 64), "t=x,v1=" + String(repeating: "0", count: 64),
                    "t=1,t=2,v1=" + String(repeating: "0", count: 64), "t=1,v1=00", "t=1,v1=" + String(repeating: "g", count: 64), "garbage"] {
            #expect(throws: WebhookError.self, "\(bad)") { try WebhookSignature.verify(header: bad, body: body, secret: secret.text, now: 1) }
            do { try WebhookSignature.verify(header: bad, body: body, secret: secret.text, now: 1) } catch { #expect(error.code == "signature-malformed", "\(bad)") }
        }
        #expect(throws: WebhookError.self) { try WebhookSignature.verify(header: header, body: body, secret: "whsec_short", now: 1_700_000_000) }
    }

    /// Right after a rotation that keeps the old secret, one v1 per secret: either verifies.
    @Test func twoSecretsTwoSignatures() throws {
        let old = WebhookSecret.generate()
        let header = WebhookSignature.header(timestamp: 5, body: body, secrets: [secret, old])
        #expect(header.split(separator: ",").count == 3)
        try WebhookSignature.verify(header: header, body: body, secret: secret.text, now: 5)
        try WebhookSignature.verify(header: header, body: body, secret: old.text, now: 5)
    }

    @Test func secretsRoundTripAsTextAndSealed() throws {
        #expect(try WebhookSecret(parsing: secret.text) == secret)
        #expect(secret.text.hasPrefix("whsec_") && secret.text.count == 6 + 44)
        let key = WebhookSecretKey(SecretBytes(Array(repeating: 7, count: 32)))
        let sealed = try secret.sealed(under: key.bytes, endpoint: "whk_a", slot: "current")
        #expect(try WebhookSecret.open(sealed, under: key.bytes, endpoint: "whk_a", slot: "current") == secret)
        #expect(!sealed.indices.dropLast(31).contains { Array(sealed[$0..<$0 + 32]) == secret.bytes.copyBytes() })
        // Another endpoint, slot or key, or any changed byte, does not open.
        #expect(throws: WebhookError.self) { try WebhookSecret.open(sealed, under: key.bytes, endpoint: "whk_b", slot: "current") }
        #expect(throws: WebhookError.self) { try WebhookSecret.open(sealed, under: key.bytes, endpoint: "whk_a", slot: "previous") }
        #expect(throws: WebhookError.self) { try WebhookSecret.open(sealed, under: SecretBytes(Array(repeating: 8, count: 32)), endpoint: "whk_a", slot: "current") }
        for index in [0, 12, sealed.count - 1] {
            var changed = sealed
            changed[index] ^= 0x80
            #expect(throws: WebhookError.self) { try WebhookSecret.open(changed, under: key.bytes, endpoint: "whk_a", slot: "current") }
        }
    }
}

struct EventFilterTests {
    @Test func exactNamesPrefixesAndEverything() throws {
        let filter = try EventFilter(parsing: "payout.*, deposit.credited,payout.*")
        #expect(filter.patterns == ["payout.*", "deposit.credited"] && filter.description == "payout.*,deposit.credited")
        for type in ["payout.sent", "payout.failed.final", "deposit.credited"] { #expect(filter.matches(type), "\(type)") }
        for type in ["deposit.seen", "payouts.sent", "payout", "invoice.paid", "deposit.credited.x"] { #expect(!filter.matches(type), "\(type)") }
        #expect(try EventFilter(parsing: "*").matches("anything.at.all"))
        #expect(try EventFilter(parsing: "invoice.*").matches("invoice.paid"))
    }

    @Test func malformedPatternsAreRefused() {
        for bad in ["", "deposit", "deposit.", ".credited", "deposit.*.x", "Deposit.credited", "deposit.cred ited", "deposit..credited", "de*.x",
                    "payout.*,", String(repeating: "a.", count: 60) + "b"] {
            #expect(throws: WebhookError.self, "\(bad)") { try EventFilter(parsing: bad) }
        }
        #expect(throws: WebhookError.self) { try EventFilter(patterns: (0...32).map { "a.b\($0)" }) }
    }
}

struct WebhookURLTests {
    @Test func httpAndHttpsWithAHostOnly() throws {
        for good in ["https://example.com/hooks/coffer", "http://127.0.0.1:8080/x", "https://[::1]:9/", "http://shop.example:81/a?b=c"] {
            _ = try WebhookURL(good)
        }
        let refusals: [(String, String)] = [
            ("ftp://example.com/x", "scheme must be http or https"), ("file:///etc/passwd", "scheme must be http or https"),
            ("https://user:s3cr3t@example.com/", "must not carry user information"), ("https://user@example.com/", "must not carry user information"),
            ("https:///nohost", "no host"), ("example.com/hook", "not a URL"), ("https://example.com/a b", "not a URL"),
            ("https://example.com/#frag", "fragment"), ("http://2130706433/", "neither a host name"), ("http://0x7f.1/", "neither a host name"),
            ("http://127.1/", "neither a host name"), ("http://010.0.0.1/", "neither a host name"), ("javascript:alert(1)", "scheme"),
        ]
        for (bad, reason) in refusals {
            do {
                _ = try WebhookURL(bad)
                Issue.record("\(bad) was accepted")
            } catch {
                #expect(error.code == "invalid-webhook-url" && error.description.contains(reason), "\(bad): \(error)")
                #expect(!error.description.contains("s3cr3t"), "the message repeats the URL's credentials")
            }
        }
    }

    @Test func privateTargetsAreRecognised() throws {
        for host in ["http://localhost/", "http://a.localhost/", "http://127.0.0.1/", "http://10.1.2.3/", "http://172.16.0.1/", "http://172.31.255.255/",
                     "http://192.168.1.1/", "http://169.254.169.254/latest", "http://100.64.0.1/", "http://0.0.0.0/", "http://[::1]/", "http://[fd00::1]/",
                     "http://[fe80::1]/", "http://[::ffff:127.0.0.1]/", "http://[::]/"] {
            #expect(try WebhookURL(host).isPrivate, "\(host)")
        }
        for host in ["https://example.com/", "http://8.8.8.8/", "http://172.32.0.1/", "http://[2001:db8::1]/", "http://100.128.0.1/", "http://localhost.example/"] {
            #expect(try !WebhookURL(host).isPrivate, "\(host)")
        }
    }
}

struct WebhookPolicyTests {
    @Test func fullJitterUnderACappedExponential() throws {
        let policy = try WebhookPolicy(retryBaseMilliseconds: 1_000, retryCapMilliseconds: 60_000, maximumAttempts: 5)
        let ceilings = (1...10).map { attempt in policy.delay(afterAttempt: attempt) { $0.upperBound } }
        #expect(ceilings == [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000])
        #expect((1...10).allSatisfy { policy.delay(afterAttempt: $0) { $0.lowerBound } == 0 })
        #expect(policy.delay(afterAttempt: 1_000) { $0.upperBound } == 60_000)
        for _ in 0..<1_000 { #expect((0...4_000).contains(policy.delay(afterAttempt: 3) { Int64.random(in: $0) })) }
        #expect(throws: WebhookError.self) { try WebhookPolicy(retryBaseMilliseconds: 0) }
        #expect(throws: WebhookError.self) { try WebhookPolicy(retryBaseMilliseconds: 10, retryCapMilliseconds: 5) }
        #expect(throws: WebhookError.self) { try WebhookPolicy(maximumAttempts: 0) }
        #expect(throws: WebhookError.self) { try WebhookPolicy(timeoutMilliseconds: 60_000) }
    }

    @Test func bodiesAreTheEventAsReceiversReadIt() throws {
        let event = WebhookEvent(sequence: 42, scope: "", type: "deposit.credited", subject: "ltc:ab:0",
                                 data: try JSONValue(parsing: #"{"amount":"5","account":"shop"}"#), createdAt: 1_700_000_000)
        #expect(String(decoding: event.body, as: UTF8.self) == #"""
            {"id":"evt_42","type":"deposit.credited","created_at":"2023-11-14T22:13:20.000Z","data":{"amount":"5","account":"shop"},"sequence":42,"subject":"ltc:ab:0","tenant":null}
            """#)
        #expect(WebhookResponse.excerpt(Array("line one\nline two".utf8)) == "line one line two")
        #expect(WebhookResponse.excerpt(Array(repeating: UInt8(ascii: "x"), count: 500))?.count == 200)
        #expect(WebhookResponse.excerpt([]) == nil)
        #expect(WebhookResponse.excerpt([0xff, 0x41]) == "\u{FFFD}A")
    }
}
