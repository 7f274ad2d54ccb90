import CofferBase
import CofferCore
import Crypto
import Foundation
import HTTPTypes
import Testing
import Vault
import WalletCore

/// /v1/recon and /v1/reports stay inside the caller's tenant: tenant B's admin key tries every
/// reconciliation route on tenant A's mapping, statement, run, exception and correction, which
/// all stay A's alone (B's names are its own), and A's correction is untouched.
struct ReconRoutesTests {
    static let routes: Set<String> = [
        "POST /v1/recon/mappings", "POST /v1/recon/statements", "PUT /v1/recon/rules", "GET /v1/recon/rules", "POST /v1/recon/runs",
        "GET /v1/recon/runs/{id}", "GET /v1/recon/runs/{id}/matches", "GET /v1/recon/runs/{id}/exceptions", "POST /v1/recon/corrections/preview",
        "POST /v1/recon/corrections", "GET /v1/recon/corrections", "GET /v1/recon/corrections/{id}", "POST /v1/recon/corrections/{id}/approve",
        "POST /v1/recon/corrections/{id}/reject", "GET /v1/reports", "POST /v1/recon/chain-runs", "GET /v1/reports/audit",
    ]

    @Test(arguments: ServerBackend.all)
    func reconciliationStaysWithItsTenant(_ backend: ServerBackend) async throws {
        try await withAPI(backend) { api in
            let a = try await api.tenant("A"), b = try await api.tenant("B")
            let ann = Curve25519.Signing.PrivateKey(), bo = Curve25519.Signing.PrivateKey()
            for (id, key) in [("ann", ann), ("bo", bo)] {
                try await api.services.stores.signing.addApprover(
                    id: id, publicKey: Array(key.publicKey.rawRepresentation),
                    audit: AuditEvent(actor: "test", action: "approver.add", subject: id, outcome: "ok"), at: VaultClock.format(Date()))
            }
            func sign(_ key: Curve25519.Signing.PrivateKey, _ reply: Reply) throws -> String {
                Hex.encode(try key.signature(for: Array((reply.string("approval_message") ?? "").utf8)))
            }
            // A's books: a mapping, a statement, rules, a run with one exception, a proposed correction.
            let now = Int(Date().timeIntervalSince1970)
            let mapping = #"{"name":"m","mapping":{"id":"id","amount":"cents","asset":{"fixed":"USD"},"time":"at","time_format":"unix","reference":"ref"}}"#
            #expect(try await api.call(.post, "/v1/recon/mappings", as: a, body: mapping).status == 201)
            let statement = #"{"mapping":"m","name":"s","content":"id,cents,at,ref\nB1,9,\#(now),FEE\n"}"#
            #expect(try await api.call(.post, "/v1/recon/statements", as: a, body: statement).status == 201)
            let rules = #"{"rules":[{"name":"exact","match":{"reference":"exact","amount":"exact"}}]}"#
            #expect(try await api.call(.put, "/v1/recon/rules", as: a, body: rules).status == 200)
            let run = try #require(try await api.call(.post, "/v1/recon/runs", as: a, body: #"{"statement":"s"}"#).string("run"))
            let exceptions = try await api.call(.get, "/v1/recon/runs/\(run)/exceptions", as: a)
            let exception = try #require((exceptions.json?["data"] as? [[String: Any]])?.first?["id"] as? String, "\(exceptions.text)")
            let draft = #"{"exception":"\#(exception)","reverse":null,"transfer":{"id":"fix","debit":"acct-a","credit":"acct-b","amount":"9","asset":"USD","reference":"FEE"},"reason":"fee""#
            let preview = try await api.call(.post, "/v1/recon/corrections/preview", as: a, body: draft + "}")
            let proposed = try await api.call(.post, "/v1/recon/corrections", as: a, body: draft + #","approver_id":"ann","signature":"\#(try sign(ann, preview))"}"#)
            let correction = try #require(proposed.string("id"), "\(proposed.text)")

            var covered = Set<String>()
            func call(_ method: HTTPRequest.Method, _ template: String, _ uri: String, body: String? = nil) async throws -> Reply {
                covered.insert("\(method.rawValue) \(template)")
                return try await api.call(method, uri, as: b, body: body)
            }
            // B has none of A's: no rules, no run, no statement, no mapping, no exception, no correction.
            #expect(try await call(.get, "/v1/recon/rules", "/v1/recon/rules").problemSlug == "rules-not-set")
            for suffix in ["", "/matches", "/exceptions"] {
                #expect(try await call(.get, "/v1/recon/runs/{id}" + suffix, "/v1/recon/runs/\(run)" + suffix).problemSlug == "run-not-found", "\(suffix)")
            }
            #expect(try await call(.post, "/v1/recon/runs", "/v1/recon/runs", body: #"{"statement":"s"}"#).problemSlug == "statement-not-found")
            #expect(try await call(.post, "/v1/recon/statements", "/v1/recon/statements", body: statement).problemSlug == "mapping-not-found")
            #expect(try await call(.post, "/v1/recon/corrections/preview", "/v1/recon/corrections/preview", body: draft + "}").problemSlug == "run-not-found")
            #expect(try await call(.post, "/v1/recon/corrections", "/v1/recon/corrections",
                                   body: draft + #","approver_id":"bo","signature":"\#(try sign(bo, preview))"}"#).problemSlug == "run-not-found")
            #expect(try await call(.get, "/v1/recon/corrections/{id}", "/v1/recon/corrections/\(correction)").problemSlug == "correction-not-found")
            for action in ["approve", "reject"] {
                let decided = try await call(.post, "/v1/recon/corrections/{id}/\(action)", "/v1/recon/corrections/\(correction)/\(action)",
                                             body: #"{"approver_id":"bo","signature":"\#(try sign(bo, proposed))"}"#)
                #expect(decided.problemSlug == "correction-not-found", "\(action): \(decided.text)")
            }
            #expect((try await call(.get, "/v1/recon/corrections", "/v1/recon/corrections").json?["data"] as? [Any])?.isEmpty == true)
            // B's names are its own: the same mapping name and rules are B's.
            let other = #"{"name":"m","mapping":{"amount":"x","asset":{"fixed":"EUR"},"time":"t"}}"#
            #expect(try await call(.post, "/v1/recon/mappings", "/v1/recon/mappings", body: other).status == 201)
            #expect(try await call(.put, "/v1/recon/rules", "/v1/recon/rules", body: rules).status == 200)
            // A's chain is not B's to reconcile (refused before any node is asked).
            let ltc = #"{"name":"ltc","network":"litecoin-regtest","rpc_url":"http://127.0.0.1:1/"}"#
            #expect(try await api.call(.post, "/v1/chains", as: a, body: ltc).status == 201)
            #expect(try await call(.post, "/v1/recon/chain-runs", "/v1/recon/chain-runs", body: #"{"chain":"ltc"}"#).problemSlug == "chain-not-found")
            // B's audit export holds none of A's transfers or audit records, and verifies.
            #expect(try await api.call(.post, "/v1/assets", as: a, body: #"{"code":"USD","decimals":2}"#).status == 201)
            for id in ["acct-a", "acct-b"] {
                #expect(try await api.call(.post, "/v1/accounts", as: a, body: #"{"id":"\#(id)","asset":"USD"}"#).status == 201)
            }
            #expect(try await api.call(.post, "/v1/transfers", as: a, body: #"{"id":"t-a","debit":"acct-a","credit":"acct-b","amount":"9","asset":"USD"}"#).status == 201)
            let period = "from=\(VaultClock.format(Date(timeIntervalSinceNow: -3_600)))&to=\(VaultClock.format(Date(timeIntervalSinceNow: 3_600)))"
            let theirs = try await api.call(.get, "/v1/reports/audit?\(period)", as: a)
            #expect(theirs.status == 200 && theirs.text.contains(#""type":"transfer""#) && ReportService.verifyAuditExport(Array(theirs.text.utf8)), "\(theirs.text)")
            let ours = try await call(.get, "/v1/reports/audit", "/v1/reports/audit?\(period)")
            #expect(ours.status == 200 && !ours.text.contains(#""type":"transfer""#) && !ours.text.contains("t-a"), "\(ours.text)")
            #expect(ReportService.verifyAuditExport(Array(ours.text.utf8)))
            let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
            let report = try await call(.get, "/v1/reports", "/v1/reports?kind=eod&date=\(today)")
            #expect(report.string("tenant") == b.id && (report.json?["reconciliation"] as? [String: Any])?["runs"] as? Int == 0, "\(report.text)")
            #expect(covered == Self.routes)

            // A's correction is still proposed; A's run still reads.
            #expect(try await api.call(.get, "/v1/recon/corrections/\(correction)", as: a).string("status") == "proposed")
            #expect(try await api.call(.get, "/v1/recon/runs/\(run)", as: a).json?["exceptions"] as? Int == 1)
        }
    }
}
