import CofferBase

/// Delivers the outbox's events to endpoints, at least once and in order per endpoint: an
/// endpoint's next event is sent only after the previous one was answered 2xx. Pure logic over
/// a store, an event source, a sender, a clock and a random source, so it runs the same in
/// `coffer serve`, in `coffer webhook deliver --once` and in tests.
///
/// One endpoint at a time is claimed with a lease; the attempt's outcome and the cursor move are
/// one transaction that also checks the claim and the cursor. A process that dies between a 2xx
/// and that commit sends the event again later: receivers deduplicate by the event id.
public struct WebhookDeliverer: Sendable {
    public let store: WebhookStore
    public let events: any WebhookEventSource
    public let sender: any WebhookSender
    public let policy: WebhookPolicy
    public let key: WebhookSecretKey
    /// Who holds the claims this deliverer takes.
    public let owner: String
    /// Milliseconds since 1970.
    public let clock: @Sendable () -> Int64
    /// Uniform in the range given: the jitter of the backoff.
    public let random: @Sendable (ClosedRange<Int64>) -> Int64

    public init(store: WebhookStore, events: any WebhookEventSource, sender: any WebhookSender, policy: WebhookPolicy, key: WebhookSecretKey,
                owner: String, clock: @escaping @Sendable () -> Int64, random: @escaping @Sendable (ClosedRange<Int64>) -> Int64 = { Int64.random(in: $0) }) {
        self.store = store
        self.events = events
        self.sender = sender
        self.policy = policy
        self.key = key
        self.owner = owner
        self.clock = clock
        self.random = random
    }

    /// How one endpoint's turn ended.
    public enum Outcome: String, Sendable, Equatable {
        /// Every event it receives so far is delivered.
        case caughtUp = "caught-up"
        /// It delivered its share for this turn; more remain.
        case yielded
        /// An attempt failed; the next is scheduled.
        case retrying
        /// The last attempt allowed failed: it is marked failing.
        case failing
        /// Another process holds it, or its claim was lost midway.
        case busy
        /// The turn stopped on an error (the database, an unreadable secret).
        case error
        /// The process is stopping: the turn was cut short (an attempt in flight is sent again later).
        case stopped
    }

    /// One endpoint's turn: what it delivered, the attempts that failed, how it ended.
    public struct Turn: Sendable {
        public let endpointID: String
        public var delivered = 0
        public var failures: [WebhookAttempt] = []
        public var outcome = Outcome.caughtUp
        /// The error that stopped the turn (`outcome == .error`).
        public var error: String?
    }

    /// One pass over every endpoint with work due, `policy.concurrency` of them at a time, each
    /// until it is caught up, waits for a retry, is failing or has had its share.
    public func deliverDue() async throws -> [Turn] {
        let now = clock()
        let horizon = try await events.lastSequence()
        let due = try await store.due(now: now, owner: owner, horizon: horizon, limit: 1_000)
        return await withTaskGroup(of: Turn.self) { group in
            var pending = due.makeIterator()
            var turns: [Turn] = []
            for _ in 0..<policy.concurrency {
                guard let id = pending.next() else { break }
                group.addTask { await turn(id) }
            }
            while let turn = await group.next() {
                turns.append(turn)
                if !Task.isCancelled, let id = pending.next() { group.addTask { await self.turn(id) } }
            }
            return turns
        }
    }

    /// Passes until nothing is left that is due now (endpoints that wait for a retry are left
    /// waiting): `coffer webhook deliver --once`.
    public func deliverAllDue() async throws -> [Turn] {
        var turns: [Turn] = []
        while !Task.isCancelled {
            let pass = try await deliverDue()
            turns += pass
            guard pass.contains(where: { $0.outcome == .yielded }) else { break }
        }
        return turns
    }

    /// One endpoint's turn: claim, deliver, release.
    func turn(_ id: String) async -> Turn {
        var turn = Turn(endpointID: id)
        do {
            let now = clock()
            guard try await store.claim(id, owner: owner, now: now, until: now + policy.leaseMilliseconds, due: true) else {
                turn.outcome = .busy
                return turn
            }
            try await deliver(id, into: &turn)
        } catch where Task.isCancelled {
            turn.outcome = .stopped
        } catch {
            turn.outcome = .error
            turn.error = String(describing: error).prefix(300).description
        }
        try? await store.release(id, owner: owner)
        return turn
    }

    private func deliver(_ id: String, into turn: inout Turn) async throws {
        guard var endpoint = try await store.endpoint(id) else { return }
        let secrets = try endpoint.secrets(under: key, now: clock())
        while turn.delivered < policy.eventsPerClaim {
            if Task.isCancelled {
                turn.outcome = .stopped
                return
            }
            // Everything up to the horizon is committed: a short batch means the endpoint has
            // seen every event of its scope up to there.
            let horizon = try await events.lastSequence()
            let batch = try await events.events(scope: endpoint.eventScope, after: endpoint.cursor, limit: policy.batchSize)
            guard let event = batch.first(where: { endpoint.filter.matches($0.type) }) else {
                let full = batch.count == policy.batchSize
                let reached = full ? batch[batch.count - 1].sequence : max(batch.last?.sequence ?? 0, horizon)
                if reached > endpoint.cursor {
                    guard try await store.advance(id, owner: owner, from: endpoint.cursor, to: reached, leaseUntil: clock() + policy.leaseMilliseconds) else {
                        turn.outcome = .busy
                        return
                    }
                    endpoint.cursor = reached
                }
                if full { continue }
                turn.outcome = .caughtUp
                return
            }
            let number = endpoint.attempts + 1
            let attempt = await send(event, to: endpoint, secrets: secrets, attempt: number)
            // Stopping mid-send (a graceful shutdown) is no failure of the receiver: the event is sent again.
            if attempt.errorClass == "cancelled", Task.isCancelled {
                turn.outcome = .stopped
                return
            }
            let effect: WebhookStore.Effect
            if attempt.delivered {
                effect = .delivered(cursor: event.sequence)
            } else if number >= policy.maximumAttempts {
                effect = .failing(attempts: number, since: attempt.attemptedAt)
            } else {
                effect = .retry(attempts: number, at: clock() + policy.delay(afterAttempt: number, random: random))
            }
            let (stored, applied) = try await store.record(attempt, effect: effect, owner: owner, cursor: endpoint.cursor, leaseUntil: clock() + policy.leaseMilliseconds)
            guard applied else {
                turn.outcome = .busy
                return
            }
            guard attempt.delivered else {
                turn.failures.append(stored)
                turn.outcome = number >= policy.maximumAttempts ? .failing : .retrying
                return
            }
            endpoint.cursor = event.sequence
            endpoint.attempts = 0
            turn.delivered += 1
        }
        turn.outcome = .yielded
    }

    /// Sends one event now, signed with `secrets`, and describes the attempt (not yet logged).
    public func send(_ event: WebhookEvent, to endpoint: WebhookEndpoint, secrets: [WebhookSecret], attempt: Int?) async -> WebhookAttempt {
        let body = event.body
        let attemptedAt = clock()
        let request = WebhookRequest(url: endpoint.url, headers: [
            ("Content-Type", "application/json"),
            ("User-Agent", "Coffer-Webhooks/1"),
            ("Coffer-Event-Id", event.id),
            ("Coffer-Event-Type", event.type),
            (WebhookSignature.header, WebhookSignature.header(timestamp: attemptedAt / 1_000, body: body, secrets: secrets)),
        ], body: body, timeoutMilliseconds: policy.timeoutMilliseconds)
        let started = ContinuousClock.now
        let response = await sender.send(request)
        let elapsed = ContinuousClock.now - started
        return WebhookAttempt(
            endpointID: endpoint.id, eventSequence: event.sequence, eventType: event.type, attempt: attempt, attemptedAt: attemptedAt,
            durationMilliseconds: elapsed.components.seconds * 1_000 + elapsed.components.attoseconds / 1_000_000_000_000_000,
            statusCode: response.statusCode, errorClass: response.errorClass, excerpt: response.excerpt)
    }

    // MARK: Manual redelivery

    /// Sends event `sequence` to the endpoint now, once, whatever its state, and logs the
    /// attempt (its `attempt` is nil). An event the endpoint has passed is sent again as it is
    /// (receivers deduplicate by id). The event the endpoint is waiting at (its next one: after
    /// a failed attempt, or failing) is sent under the endpoint's claim, and a 2xx moves the
    /// endpoint past it and clears its failing mark: delivery resumes. A later event would
    /// overtake that one and is refused (`out-of-order`).
    public func redeliver(_ endpoint: WebhookEndpoint, sequence: Int64) async throws -> WebhookAttempt {
        let secrets = try endpoint.secrets(under: key, now: clock())
        guard sequence > endpoint.cursor else {
            let event = try await find(sequence, endpoint: endpoint, after: max(0, sequence - 1))
            return try await store.record(await send(event, to: endpoint, secrets: secrets, attempt: nil), effect: nil, owner: owner,
                                          cursor: endpoint.cursor, leaseUntil: 0).0
        }
        let next = try await find(sequence, endpoint: endpoint, after: endpoint.cursor)
        guard next.sequence == sequence else {
            throw WebhookError(.conflict, "out-of-order", """
                event \(sequence) would overtake event \(next.sequence), which endpoint \(endpoint.id) has not received yet; \
                redeliver \(next.sequence) first, or enable the endpoint to resume in order
                """)
        }
        let now = clock()
        guard try await store.claim(endpoint.id, owner: owner, now: now, until: now + policy.leaseMilliseconds, due: false) else {
            throw WebhookError(.unavailable, "webhook-busy", "another process is delivering to endpoint \(endpoint.id) right now; try again in a minute")
        }
        do {
            let attempt = await send(next, to: endpoint, secrets: secrets, attempt: nil)
            let (stored, _) = try await store.record(attempt, effect: attempt.delivered ? .delivered(cursor: next.sequence) : nil, owner: owner,
                                                     cursor: endpoint.cursor, leaseUntil: clock() + policy.leaseMilliseconds)
            try? await store.release(endpoint.id, owner: owner)
            return stored
        } catch {
            try? await store.release(endpoint.id, owner: owner)
            throw error
        }
    }

    /// Event `sequence` when the endpoint receives it and it comes after `after`; with `after`
    /// at the cursor, the endpoint's next event (at or before `sequence`).
    private func find(_ sequence: Int64, endpoint: WebhookEndpoint, after: Int64) async throws -> WebhookEvent {
        var position = after
        while position < sequence {
            let batch = try await events.events(scope: endpoint.eventScope, after: position, limit: policy.batchSize)
            for event in batch where event.sequence <= sequence && endpoint.filter.matches(event.type) {
                if event.sequence == sequence || after == endpoint.cursor { return event }
            }
            guard let last = batch.last, batch.count == policy.batchSize else { break }
            position = last.sequence
        }
        throw WebhookError(.notFound, "event-not-found", """
            endpoint \(endpoint.id) receives no event \(sequence): there is none such \(endpoint.scope.isEmpty ? "" : "among its tenant's events ")\
            or its type does not match \(endpoint.filter)
            """)
    }
}
