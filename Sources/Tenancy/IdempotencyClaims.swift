import Synchronization

/// Idempotency keys held by requests still running in this process, for the embedded store.
///
/// A claim only guards against a concurrent duplicate; losing it does no harm (a crash loses the
/// request with it, and the key is free again, as it would be once a stale claim was taken over).
/// So the embedded store keeps claims here instead of committing one to the database per request:
/// only the completed response is stored durably. That holds because one `coffer serve` process
/// owns an embedded database; servers that share a database use PostgreSQL, whose store keeps
/// its claims in the database.
final class IdempotencyClaims: Sendable {
    /// One held key: the fingerprint of the request holding it and when it was claimed
    /// (milliseconds since 1970, by the store's clock).
    struct Claim: Sendable {
        let requestHash: [UInt8]
        let claimedAt: Int64
    }

    /// What `claim` found.
    enum Outcome: Sendable, Equatable {
        /// The key is now held by the caller.
        case claimed
        /// Another running request holds the key with the same fingerprint.
        case inProgress
        /// Another running request holds the key with another fingerprint.
        case mismatch
    }

    private struct Key: Hashable, Sendable {
        let tenantID: String
        let key: String
    }

    private let held = Mutex<[Key: Claim]>([:])

    /// Holds `key` for a request with `requestHash` at `now`, unless a running request holds it;
    /// a claim older than `idempotencyClaimLifetimeMilliseconds` is taken over, as the stored
    /// claims were.
    func claim(tenantID: String, key: String, requestHash: [UInt8], now: Int64) -> Outcome {
        held.withLock { held in
            let id = Key(tenantID: tenantID, key: key)
            if let existing = held[id] {
                guard existing.requestHash == requestHash else { return .mismatch }
                guard now - existing.claimedAt > idempotencyClaimLifetimeMilliseconds else { return .inProgress }
            }
            held[id] = Claim(requestHash: requestHash, claimedAt: now)
            return .claimed
        }
    }

    /// The claim on `key`, if a running request holds it.
    func claim(tenantID: String, key: String) -> Claim? {
        held.withLock { $0[Key(tenantID: tenantID, key: key)] }
    }

    /// Frees `key`; returns the claim it held.
    @discardableResult
    func release(tenantID: String, key: String) -> Claim? {
        held.withLock { $0.removeValue(forKey: Key(tenantID: tenantID, key: key)) }
    }

    /// How many keys are held (for tests).
    var count: Int { held.withLock { $0.count } }
}
