import CofferBase
import Foundation
import WalletCore

/// The `Coffer-Signature` header of every delivery, as Stripe signs its webhooks:
///
///     Coffer-Signature: t=1700000000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd
///
/// `t` is the Unix time of the attempt and each `v1` the hex HMAC-SHA256, under an endpoint
/// secret, of `"<t>.<body>"` (the body's exact bytes). Right after a rotation that keeps the old
/// secret for a while, the header carries one `v1` per secret. A receiver accepts the delivery
/// when one `v1` matches a secret it holds and `t` is within its tolerance of its own clock;
/// the time bound stops a recorded delivery from being replayed later.
public enum WebhookSignature {
    /// The header's name.
    public static let header = "Coffer-Signature"
    /// How far `t` may be from the receiver's clock, either way, by default: five minutes.
    public static let defaultTolerance: Int64 = 300

    /// The header for a delivery of `body` at `timestamp`, signed with each of `secrets`.
    public static func header(timestamp: Int64, body: [UInt8], secrets: [WebhookSecret]) -> String {
        let message = signedPayload(timestamp: timestamp, body: body)
        return (["t=\(timestamp)"] + secrets.map { "v1=" + Hex.encode($0.authenticationCode(for: message)) }).joined(separator: ",")
    }

    /// Verifies a delivery: a `v1` of `header` is the HMAC of `"<t>.<body>"` under `secret`
    /// (compared in constant time), and `t` is at most `tolerance` seconds from `now`.
    /// Throws `signature-malformed` for a header that is not `t=<unix>,v1=<hex>[,...]`,
    /// `signature-mismatch` when no `v1` matches (a changed body, another secret) and
    /// `signature-expired` when `t` is outside the tolerance. `secret` is the `whsec_...` text.
    public static func verify(header: String, body: [UInt8], secret: String, now: Int64, tolerance: Int64 = defaultTolerance) throws(WebhookError) {
        try verify(header: header, body: body, secret: try WebhookSecret(parsing: secret), now: now, tolerance: tolerance)
    }

    /// `verify(header:body:secret:now:tolerance:)` with the secret already read.
    public static func verify(header: String, body: [UInt8], secret: WebhookSecret, now: Int64, tolerance: Int64 = defaultTolerance) throws(WebhookError) {
        var timestamp: Int64?
        var codes: [[UInt8]] = []
        for item in header.split(separator: ",") {
            let pair = item.trimmingCharacters(in: .whitespaces).split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { throw malformed }
            switch pair[0] {
            case "t":
                guard timestamp == nil, let value = Int64(pair[1]), value >= 0 else { throw malformed }
                timestamp = value
            case "v1":
                guard pair[1].utf8.count == 64, let code = try? Hex.decode(pair[1]) else { throw malformed }
                codes.append(code)
            default:
                continue  // other schemes, for later versions
            }
        }
        guard let timestamp, !codes.isEmpty, codes.count <= 8 else { throw malformed }
        let message = signedPayload(timestamp: timestamp, body: body)
        // Every candidate is checked, so the time taken does not say which one matched.
        let matched = codes.reduce(false) { found, code in secret.isValid(code, for: message) || found }
        guard matched else {
            throw WebhookError(.unauthenticated, "signature-mismatch", "no v1 signature matches the body under this secret")
        }
        let (difference, overflow) = now.subtractingReportingOverflow(timestamp)
        guard tolerance >= 0, !overflow, difference.magnitude <= tolerance.magnitude else {
            throw WebhookError(.unauthenticated, "signature-expired", "the signature's time t=\(timestamp) is more than \(tolerance) s from now (\(now))")
        }
    }

    static var malformed: WebhookError {
        WebhookError(.invalidInput, "signature-malformed", "the \(header) header must read t=<unix time>,v1=<64 hex digits>")
    }

    /// `"<t>."` followed by the body's bytes: what each `v1` authenticates.
    static func signedPayload(timestamp: Int64, body: [UInt8]) -> [UInt8] {
        Array("\(timestamp).".utf8) + body
    }
}
