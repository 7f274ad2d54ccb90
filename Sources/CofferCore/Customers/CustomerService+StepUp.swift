import CofferBase
import Foundation
import Tenancy
public import Customers
import QRCode
import Vault
import WalletCore

extension CustomerService {
    /// Failed step-up attempts allowed per customer in `stepUpFailureWindow` before every
    /// further attempt is refused without being checked (brute force of 10^6 codes).
    static let maximumStepUpFailures = 5
    static let stepUpFailureWindow: Int64 = 900

    func stepUpKey(for caller: Caller) async throws -> SecretBytes {
        let unlocked = try vault.unlocked(for: caller)
        do {
            return try await unlocked.serviceKey(Self.stepUpKeyPurpose)
        } catch let error as VaultError {
            throw VaultAccess.translating(error)
        }
    }

    /// Enrols the customer in TOTP (replacing an earlier enrolment): a new secret, sealed under
    /// the vault; the answer is the only time it is shown.
    public func enrollTOTP(customer id: String, algorithm: String? = nil, digits: Int? = nil, by caller: Caller) async throws -> TOTPEnrolmentView {
        try caller.require(.admin)
        let customer = try await find(id, caller)
        guard let algorithm = TOTP.Algorithm(rawValue: algorithm ?? "SHA1") else {
            throw ServiceError.invalid("algorithm must be SHA1, SHA256 or SHA512")
        }
        let totp: TOTP
        do {
            totp = try TOTP(secret: TOTP.newSecret(), algorithm: algorithm, digits: digits ?? 6)
        } catch {
            throw ServiceError.invalid(error.description)
        }
        let key = try await stepUpKey(for: caller)
        let sealed: [UInt8]
        do {
            sealed = try TOTPSealing.seal(totp.secret, under: key, customer: customer.id)
        } catch {
            throw ServiceError(.internal, "internal", error.description)
        }
        try await store.enroll(StoredTOTP(customer: customer.id, sealedSecret: sealed, algorithm: algorithm, digits: totp.digits, period: totp.period,
                                          lastStep: nil), at: clock())
        try await store.audit(audit(caller, "customer.totp.enroll", customer.id, "algorithm=\(algorithm.rawValue) digits=\(totp.digits)"), time: Self.auditTime)
        let uri = totp.uri(issuer: "Coffer", account: id)
        let svg: String
        do {
            svg = try QRCode(uri).svg()
        } catch {
            throw ServiceError(.internal, "internal", "the enrolment URI does not fit a QR code: \(error)")
        }
        return TOTPEnrolmentView(customer: id, uri: uri, secretBase32: Base32.encode(totp.secret), algorithm: algorithm.rawValue, digits: totp.digits,
                                 period: totp.period, qrSVG: svg)
    }

    /// Checks a customer's TOTP code at `at` (default now): valid once per time step (a code
    /// accepted is never accepted again); failures are counted, rate-limited and audited.
    public func verifyTOTP(customer id: String, code: String, at time: String? = nil, by caller: Caller) async throws -> TOTPVerificationView {
        try caller.require(.write)
        let customer = try await find(id, caller)
        let at = try time.map { text throws(ServiceError) in try Self.parseTime(text, field: "at") } ?? clock()
        return TOTPVerificationView(customer: id, valid: try await checkCode(code, customer: customer, at: at, caller: caller))
    }

    /// Whether `code` is the customer's current TOTP code (and not used before); records the
    /// step, or the failure.
    func checkCode(_ code: String, customer: Customer, at: Int64, caller: Caller) async throws -> Bool {
        guard let stored = try await store.totp(customer.id) else {
            throw ServiceError(.rejected, "step-up-not-enrolled", "customer \(caller.local(customer.id) ?? customer.id) has no TOTP enrolment; enrol it first")
        }
        let failures = try await store.stepUpFailures(customer: customer.id, since: at - Self.stepUpFailureWindow)
        guard failures < Self.maximumStepUpFailures else {
            try await store.audit(AuditEvent(actor: caller.actor, action: "customer.totp.verify", subject: customer.id, outcome: "rate-limited"), time: Self.auditTime)
            throw ServiceError(.limit, "step-up-rate-limited",
                               "too many wrong codes for customer \(caller.local(customer.id) ?? customer.id): try again in \(Self.stepUpFailureWindow / 60) minutes")
        }
        let key = try await stepUpKey(for: caller)
        let secret: SecretBytes
        do {
            secret = try TOTPSealing.open(stored.sealedSecret, under: key, customer: customer.id)
        } catch {
            throw ServiceError(.internal, "step-up-secret-unreadable", error.description)
        }
        let totp: TOTP
        do {
            totp = try TOTP(secret: secret.copyBytes(), algorithm: stored.algorithm, digits: stored.digits, period: stored.period)
        } catch {
            throw ServiceError(.internal, "internal", error.description)
        }
        if let step = totp.verify(code, at: at, lastAccepted: stored.lastStep),
           try await store.accept(step: step, customer: customer.id, previous: stored.lastStep) {
            try await store.audit(AuditEvent(actor: caller.actor, action: "customer.totp.verify", subject: customer.id, outcome: "ok"), time: Self.auditTime)
            return true
        }
        try await store.stepUpFailed(customer: customer.id, at: at)
        try await store.audit(AuditEvent(actor: caller.actor, action: "customer.totp.verify", subject: customer.id, outcome: "failed"), time: Self.auditTime)
        return false
    }
}
