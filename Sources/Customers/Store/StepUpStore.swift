public import CofferStorage

/// A customer's TOTP enrolment as stored: the secret sealed under the vault's step-up key (the
/// store never sees it in the clear), its parameters, and the last time step accepted.
public struct StoredTOTP: Sendable, Equatable {
    public let customer: String
    /// nonce ‖ ciphertext from the vault's sealing; associated data binds it to the customer.
    public let sealedSecret: [UInt8]
    public let algorithm: TOTP.Algorithm
    public let digits: Int
    public let period: Int64
    public let lastStep: UInt64?

    public init(customer: String, sealedSecret: [UInt8], algorithm: TOTP.Algorithm, digits: Int, period: Int64, lastStep: UInt64?) {
        self.customer = customer
        self.sealedSecret = sealedSecret
        self.algorithm = algorithm
        self.digits = digits
        self.period = period
        self.lastStep = lastStep
    }
}

extension CustomerStore {
    /// Enrols (or re-enrols, replacing the secret and forgetting the last step) a customer.
    public func enroll(_ totp: StoredTOTP, at now: Int64) async throws {
        try await database.write { connection in
            try connection.execute("""
                INSERT INTO customer_totp (customer, secret, algorithm, digits, period, last_step, created_at)
                VALUES (\(totp.customer), \(totp.sealedSecret), \(totp.algorithm.rawValue), \(Int64(totp.digits)), \(totp.period), NULL, \(now))
                ON CONFLICT (customer) DO UPDATE SET secret = excluded.secret, algorithm = excluded.algorithm, digits = excluded.digits,
                    period = excluded.period, last_step = NULL, created_at = excluded.created_at
                """)
        }
    }

    public func totp(_ customer: String) async throws -> StoredTOTP? {
        try await database.read { connection in
            try connection.queryOne("SELECT customer, secret, algorithm, digits, period, last_step FROM customer_totp WHERE customer = \(customer)") { row in
                StoredTOTP(customer: try row.text(0), sealedSecret: try row.blob(1), algorithm: TOTP.Algorithm(rawValue: try row.text(2)) ?? .sha1,
                           digits: Int(try row.int64(3)), period: try row.int64(4), lastStep: try row.optionalInt64(5).map { UInt64(clamping: $0) })
            }
        }
    }

    /// Accepts time step `step` for the customer: compare-and-set on the last accepted step, so a
    /// code is accepted once even when two requests present it at the same moment.
    public func accept(step: UInt64, customer: String, previous: UInt64?) async throws -> Bool {
        let step = Int64(clamping: step)
        return try await database.write { connection in
            if let previous {
                return try connection.execute("""
                    UPDATE customer_totp SET last_step = \(step) WHERE customer = \(customer) AND last_step = \(Int64(clamping: previous)) AND \(step) > last_step
                    """) == 1
            }
            return try connection.execute("UPDATE customer_totp SET last_step = \(step) WHERE customer = \(customer) AND last_step IS NULL") == 1
        }
    }

    /// Records a failed step-up attempt.
    public func stepUpFailed(customer: String, at now: Int64) async throws {
        try await database.write { connection in
            try connection.execute("INSERT INTO customer_step_up_failures (customer, at) VALUES (\(customer), \(now))")
        }
    }

    /// Failed step-up attempts since `since`.
    public func stepUpFailures(customer: String, since: Int64) async throws -> Int {
        try await database.read { connection in
            Int(try connection.queryOne("SELECT COUNT(*) FROM customer_step_up_failures WHERE customer = \(customer) AND at >= \(since)") { try $0.int64(0) } ?? 0)
        }
    }

    /// Stores a risk decision with its reasons (JSON) for the request it was made for.
    public func recordRisk(customer: String, requestID: String, score: Int, decision: String, reasons: String, outcome: String, at now: Int64) async throws {
        try await database.write { connection in
            try connection.execute("""
                INSERT INTO customer_risk_decisions (customer, request_id, score, decision, reasons, outcome, at)
                VALUES (\(customer), \(requestID), \(Int64(score)), \(decision), \(reasons), \(outcome), \(now))
                """)
        }
    }

    /// Records a device or network sighting outside a reservation.
    public func remember(customer: String, kind: String, value: String, at now: Int64) async throws {
        try await database.write { connection in
            try LimitReservations.remember(customer: customer, kind: kind, value: value, at: now, on: connection)
        }
    }
}
