/// A customer as every door shows it.
public struct CustomerView: Codable, Sendable, Equatable {
    public let id: String
    public let tier: String
    public let kyc: String
    public let createdAt: String
    public let updatedAt: String

    enum CodingKeys: String, CodingKey {
        case id, tier, kyc, createdAt = "created_at", updatedAt = "updated_at"
    }
}

/// One audited KYC transition.
public struct KYCEventView: Codable, Sendable, Equatable {
    public let from: String
    public let to: String
    public let reviewer: String
    public let reason: String
    public let documents: [String]
    public let tierBefore: String
    public let tierAfter: String
    public let at: String

    enum CodingKeys: String, CodingKey {
        case from, to, reviewer, reason, documents, tierBefore = "tier_before", tierAfter = "tier_after", at
    }
}

public struct TierView: Codable, Sendable, Equatable {
    public let name: String
    public let rank: Int
    public let builtIn: Bool

    enum CodingKeys: String, CodingKey {
        case name, rank, builtIn = "built_in"
    }
}

/// A tier's or a customer's limits in one asset (smallest units; null: no such limit).
public struct LimitsView: Codable, Sendable, Equatable {
    public let tier: String?
    public let customer: String?
    public let asset: String
    public let perTx: UInt128?
    public let daily: UInt128?
    public let weekly: UInt128?
    public let monthly: UInt128?
    public let payoutsPerHour: Int?
    public let payoutsPerDay: Int?
    public let newDestinationPerTx: UInt128?
    public let newDestinationDaily: UInt128?
    public let stepUpAbove: UInt128?

    enum CodingKeys: String, CodingKey {
        case tier, customer, asset, perTx = "per_tx", daily, weekly, monthly, payoutsPerHour = "payouts_per_hour", payoutsPerDay = "payouts_per_day",
             newDestinationPerTx = "new_destination_per_tx", newDestinationDaily = "new_destination_daily", stepUpAbove = "step_up_above"
    }
}

/// One limit's standing: the limit (null when none is set), what counts against it, what is left.
public struct LimitStandingView: Codable, Sendable, Equatable {
    public let limit: UInt128?
    public let used: UInt128
    public let remaining: UInt128?
}

/// `coffer limit usage` / `GET /v1/customers/{id}/usage`: how much the customer can still send.
public struct LimitUsageView: Codable, Sendable, Equatable {
    public let customer: String
    public let asset: String
    public let tier: String
    public let at: String
    public let perTx: UInt128?
    public let daily: LimitStandingView
    public let weekly: LimitStandingView
    public let monthly: LimitStandingView
    public let payoutsPerHour: LimitStandingView
    public let payoutsPerDay: LimitStandingView
    public let newDestinationDaily: LimitStandingView
    /// Temporary raises in force (case ids).
    public let raises: [String]

    enum CodingKeys: String, CodingKey {
        case customer, asset, tier, at, perTx = "per_tx", daily, weekly, monthly, payoutsPerHour = "payouts_per_hour", payoutsPerDay = "payouts_per_day",
             newDestinationDaily = "new_destination_daily", raises
    }
}

/// One reason of a risk score.
public struct RiskReasonView: Codable, Sendable, Equatable {
    public let code: String
    public let points: Int
    public let detail: String
}

/// A risk decision: the score, the decision and every reason with its points.
public struct RiskView: Codable, Sendable, Equatable {
    public let score: Int
    public let decision: String
    public let reasons: [RiskReasonView]
}

/// What a check-and-reserve decided. `result`: reserved (now or before), posted / voided (a
/// repeated id whose reservation was committed / released), limit_exceeded (with the limit and
/// what remains of it), step_up_required, step_up_failed or held (for review).
public struct ReservationView: Codable, Sendable, Equatable {
    public let id: String
    public let result: String
    public let limit: String?
    public let remaining: UInt128?
    public let newDestination: Bool?
    public let risk: RiskView?

    public init(id: String, result: String, limit: String? = nil, remaining: UInt128? = nil, newDestination: Bool? = nil, risk: RiskView? = nil) {
        self.id = id
        self.result = result
        self.limit = limit
        self.remaining = remaining
        self.newDestination = newDestination
        self.risk = risk
    }

    enum CodingKeys: String, CodingKey {
        case id, result, limit, remaining, newDestination = "new_destination", risk
    }
}

/// `coffer totp enroll`: shown once. The secret is the customer's to put in an authenticator app;
/// Coffer keeps it sealed under the vault.
public struct TOTPEnrolmentView: Codable, Sendable, Equatable {
    public let customer: String
    public let uri: String
    public let secretBase32: String
    public let algorithm: String
    public let digits: Int
    public let period: Int64
    /// The URI as a QR code, a self-contained SVG document.
    public let qrSVG: String

    enum CodingKeys: String, CodingKey {
        case customer, uri, secretBase32 = "secret_base32", algorithm, digits, period, qrSVG = "qr_svg"
    }
}

public struct TOTPVerificationView: Codable, Sendable, Equatable {
    public let customer: String
    public let valid: Bool
}

public struct CaseView: Codable, Sendable, Equatable {
    public let id: String
    public let customer: String
    public let kind: String
    public let asset: String?
    public let limit: String?
    public let requested: UInt128?
    public let statement: String
    public let status: String
    public let decidedBy: String?
    public let decisionReason: String?
    public let raiseAmount: UInt128?
    public let expiresAt: String?
    public let createdAt: String
    public let decidedAt: String?

    enum CodingKeys: String, CodingKey {
        case id, customer, kind, asset, limit, requested, statement, status, decidedBy = "decided_by", decisionReason = "decision_reason",
             raiseAmount = "raise_amount", expiresAt = "expires_at", createdAt = "created_at", decidedAt = "decided_at"
    }
}

/// One flagged movement in an alert's evidence.
public struct AMLEvidenceView: Codable, Sendable, Equatable {
    public let transfer: String
    public let direction: String
    public let amount: UInt128
    public let at: String
    public let counterparty: String?
}

/// An AML alert: the rule, the customer, the evidence and its disposition.
public struct AMLAlertView: Codable, Sendable, Equatable {
    public let key: String
    public let rule: String
    public let customer: String
    public let asset: String
    public let detail: String
    public let amount: UInt128
    public let at: String
    public let evidence: [AMLEvidenceView]
    public let status: String
    public let dispositionBy: String?
    public let dispositionReason: String?
    /// Whether this scan found it first.
    public let new: Bool

    enum CodingKeys: String, CodingKey {
        case key, rule, customer, asset, detail, amount, at, evidence, status, dispositionBy = "disposition_by", dispositionReason = "disposition_reason", new
    }
}

public struct ScreeningImportView: Codable, Sendable, Equatable {
    public let list: String
    public let addresses: Int
}
