/// `coffer customer create` / `POST /v1/customers`: idempotent for the same id.
public struct CreateCustomerRequest: Codable, Sendable, Equatable {
    public var id: String
    /// anonymous (default), restricted, verified, institutional, or a tier the operator defined.
    public var tier: String?

    public init(id: String, tier: String? = nil) {
        self.id = id
        self.tier = tier
    }
}

/// `coffer customer tier` / `POST /v1/customers/{id}/tier`: moves a customer to a tier, audited with the reason.
public struct SetTierRequest: Codable, Sendable, Equatable {
    public var tier: String
    public var reason: String

    public init(tier: String, reason: String) {
        self.tier = tier
        self.reason = reason
    }
}

/// `coffer customer kyc` / `POST /v1/customers/{id}/kyc`: one KYC transition, with the reviewer,
/// reason and references to the documents (ids in the operator's document store, never contents).
public struct KYCTransitionRequest: Codable, Sendable, Equatable {
    public var state: String
    public var reason: String
    public var documents: [String]?

    public init(state: String, reason: String, documents: [String]? = nil) {
        self.state = state
        self.reason = reason
        self.documents = documents
    }
}

/// `coffer tier set` / `PUT /v1/tiers/{name}`: a tier of the operator's own, ranked among the built-in ones.
public struct DefineTierRequest: Codable, Sendable, Equatable {
    public var name: String
    public var rank: Int

    public init(name: String, rank: Int) {
        self.name = name
        self.rank = rank
    }
}

/// `coffer limit set` / `PUT /v1/limits`: a tier's (or one customer's own) limits in one asset,
/// in its smallest unit as decimal strings. Only the limits given change; "none" removes one.
public struct SetLimitsRequest: Codable, Sendable, Equatable {
    public var tier: String?
    public var customer: String?
    public var asset: String
    public var perTx: String?
    public var daily: String?
    public var weekly: String?
    public var monthly: String?
    public var payoutsPerHour: String?
    public var payoutsPerDay: String?
    public var newDestinationPerTx: String?
    public var newDestinationDaily: String?
    /// Above this amount a request with risk signals needs a valid step-up code.
    public var stepUpAbove: String?

    public init(tier: String? = nil, customer: String? = nil, asset: String, perTx: String? = nil, daily: String? = nil, weekly: String? = nil,
                monthly: String? = nil, payoutsPerHour: String? = nil, payoutsPerDay: String? = nil, newDestinationPerTx: String? = nil,
                newDestinationDaily: String? = nil, stepUpAbove: String? = nil) {
        self.tier = tier
        self.customer = customer
        self.asset = asset
        self.perTx = perTx
        self.daily = daily
        self.weekly = weekly
        self.monthly = monthly
        self.payoutsPerHour = payoutsPerHour
        self.payoutsPerDay = payoutsPerDay
        self.newDestinationPerTx = newDestinationPerTx
        self.newDestinationDaily = newDestinationDaily
        self.stepUpAbove = stepUpAbove
    }

    enum CodingKeys: String, CodingKey {
        case tier, customer, asset, perTx = "per_tx", daily, weekly, monthly, payoutsPerHour = "payouts_per_hour", payoutsPerDay = "payouts_per_day",
             newDestinationPerTx = "new_destination_per_tx", newDestinationDaily = "new_destination_daily", stepUpAbove = "step_up_above"
    }
}

/// What a request tells about its circumstances (all optional). Given any of them, the risk
/// score applies: it can lower the limits, ask for a step-up code or hold the request.
public struct RiskSignalsRequest: Codable, Sendable, Equatable {
    public var deviceID: String?
    public var ipAddress: String?
    /// RFC 3339: when the customer last changed its password.
    public var passwordChangedAt: String?
    /// A TOTP code, when the customer has one ready (step-up).
    public var stepUpCode: String?

    public init(deviceID: String? = nil, ipAddress: String? = nil, passwordChangedAt: String? = nil, stepUpCode: String? = nil) {
        self.deviceID = deviceID
        self.ipAddress = ipAddress
        self.passwordChangedAt = passwordChangedAt
        self.stepUpCode = stepUpCode
    }

    public var isEmpty: Bool { deviceID == nil && ipAddress == nil && passwordChangedAt == nil && stepUpCode == nil }

    enum CodingKeys: String, CodingKey {
        case deviceID = "device_id", ipAddress = "ip_address", passwordChangedAt = "password_changed_at", stepUpCode = "step_up_code"
    }
}

/// `coffer limit check-and-reserve` / `POST /v1/limits/reservations`: holds `amount` on the
/// customer's account as a pending ledger transfer and counts it against the customer's limits,
/// in one commit. The id is the idempotency key (and the pending transfer's id).
public struct ReserveRequest: Codable, Sendable, Equatable {
    public var id: String
    public var customer: String
    public var account: String
    public var asset: String
    public var amount: String
    /// RFC 3339: where the request sits in the rolling windows (default now; for tests of windows).
    public var at: String?
    /// The account the held amount goes to when committed (default the asset's `outgoing:ASSET`).
    public var to: String?
    /// The destination it pays (a chain address), for the new-destination limits.
    public var destination: String?
    public var signals: RiskSignalsRequest?

    public init(id: String, customer: String, account: String, asset: String, amount: String, at: String? = nil, to: String? = nil,
                destination: String? = nil, signals: RiskSignalsRequest? = nil) {
        self.id = id
        self.customer = customer
        self.account = account
        self.asset = asset
        self.amount = amount
        self.at = at
        self.to = to
        self.destination = destination
        self.signals = signals
    }
}

/// `coffer case open` / `POST /v1/cases`: a customer's appeal (against a refusal or a KYC
/// rejection) or request for a higher limit.
public struct OpenCaseRequest: Codable, Sendable, Equatable {
    public var id: String
    public var customer: String
    /// limit_raise or appeal.
    public var kind: String
    public var asset: String?
    /// The limit a raise is asked for: per_tx, daily, weekly, monthly, ...
    public var limit: String?
    public var requested: String?
    public var statement: String

    public init(id: String, customer: String, kind: String, asset: String? = nil, limit: String? = nil, requested: String? = nil, statement: String) {
        self.id = id
        self.customer = customer
        self.kind = kind
        self.asset = asset
        self.limit = limit
        self.requested = requested
        self.statement = statement
    }
}

/// `coffer case decide` / `POST /v1/cases/{id}/decision`: approve (a raise needs an amount and
/// an expiry: it lapses on its own) or reject, with the reason.
public struct DecideCaseRequest: Codable, Sendable, Equatable {
    /// approve or reject.
    public var decision: String
    public var reason: String
    public var amount: String?
    /// RFC 3339: when an approved raise lapses.
    public var expiresAt: String?

    public init(decision: String, reason: String, amount: String? = nil, expiresAt: String? = nil) {
        self.decision = decision
        self.reason = reason
        self.amount = amount
        self.expiresAt = expiresAt
    }

    enum CodingKeys: String, CodingKey {
        case decision, reason, amount, expiresAt = "expires_at"
    }
}

/// `coffer aml alert disposition` / `POST /v1/aml/alerts/{key}/disposition`.
public struct AlertDispositionRequest: Codable, Sendable, Equatable {
    /// dismissed, escalated or reported.
    public var status: String
    public var reason: String

    public init(status: String, reason: String) {
        self.status = status
        self.reason = reason
    }
}

/// `POST /v1/customers/{id}/totp`: enrol in TOTP (all optional).
public struct EnrollTOTPRequest: Codable, Sendable, Equatable {
    /// SHA1 (default), SHA256 or SHA512.
    public var algorithm: String?
    /// 6 (default) or 8.
    public var digits: Int?

    public init(algorithm: String? = nil, digits: Int? = nil) {
        self.algorithm = algorithm
        self.digits = digits
    }
}

/// `POST /v1/customers/{id}/totp/verify`.
public struct VerifyTOTPRequest: Codable, Sendable, Equatable {
    public var code: String
    /// RFC 3339 (default now).
    public var at: String?

    public init(code: String, at: String? = nil) {
        self.code = code
        self.at = at
    }
}

/// `POST /v1/aml/scans`: the range to scan (RFC 3339; default the last 30 days).
public struct AMLScanRequest: Codable, Sendable, Equatable {
    public var from: String?
    public var to: String?

    public init(from: String? = nil, to: String? = nil) {
        self.from = from
        self.to = to
    }
}
