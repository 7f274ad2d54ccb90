/// The parameters of one event log, in the event's declaration order.
public struct ABIDecodedLog: Sendable, Hashable {
    /// One parameter's value as the log carries it.
    public enum Argument: Sendable, Hashable {
        case value(ABIValue)
        /// An indexed `string`, `bytes`, array or tuple: the log holds only this topic (see
        /// ``ABIEvent/topic(for:as:)``), never the value.
        case hashed([UInt8])

        /// The value, or nil when only its hash is known.
        public var value: ABIValue? {
            guard case .value(let value) = self else { return nil }
            return value
        }
    }

    /// The event the log was decoded as.
    public let event: ABIEvent
    /// One per parameter of ``event``, in order.
    public let arguments: [Argument]

    /// The argument of the first parameter called `name`.
    public subscript(name: String) -> Argument? {
        event.inputs.firstIndex(where: { $0.name == name }).map { arguments[$0] }
    }
}

/// Events to recognise logs by: a log matches the event whose topic 0 is its first topic and
/// whose topic count is its topic count, which tells apart events with one signature and
/// different indexing (an ERC-20 `Transfer` has 3 topics, an ERC-721 `Transfer` 4). Anonymous
/// events have no topic 0 and are never matched.
public struct ABIEventSet: Sendable {
    private struct Key: Hashable {
        let topic0: [UInt8]
        let topicCount: Int
    }

    private let events: [Key: ABIEvent]

    /// When two events have the same topic 0 and topic count (ERC-721 and ERC-1155 both declare
    /// `ApprovalForAll(address,address,bool)`), the first one listed wins.
    public init(_ events: [ABIEvent]) {
        var byKey: [Key: ABIEvent] = [:]
        for event in events where !event.anonymous {
            let key = Key(topic0: event.topic0, topicCount: event.topicCount)
            if byKey[key] == nil { byKey[key] = event }
        }
        self.events = byKey
    }

    /// The event a log with these topics would be, if any.
    public func event(topics: [[UInt8]]) -> ABIEvent? {
        guard let first = topics.first else { return nil }
        return events[Key(topic0: first, topicCount: topics.count)]
    }

    /// The log decoded as its event; nil when no event of the set matches. A log that matches
    /// but does not decode throws.
    public func decode(topics: [[UInt8]], data: [UInt8]) throws(ABIError) -> ABIDecodedLog? {
        try event(topics: topics)?.decodeLog(topics: topics, data: data)
    }

    /// ``decode(topics:data:)`` for the `0x` hex strings of a JSON-RPC log.
    public func decode(topics: [String], data: String) throws(ABIError) -> ABIDecodedLog? {
        let topicBytes = try ABIEvent.hexTopics(topics)
        guard let event = event(topics: topicBytes) else { return nil }
        return try event.decodeLog(topics: topicBytes, data: try ABIEvent.hexData(data))
    }
}
