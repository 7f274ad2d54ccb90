import CofferBase
/// Which audit records a reader may see: those about one of `subjects`, those whose subject starts
/// with one of `subjectPrefixes`, and those whose actor starts with `actorPrefix` (prefixes compare
/// exactly: no pattern characters).
public struct AuditSelection: Sendable, Equatable {
    public var subjects: Set<String>
    public var subjectPrefixes: [String]
    public var actorPrefix: String

    public init(subjects: Set<String>, subjectPrefixes: [String], actorPrefix: String) {
        self.subjects = subjects
        self.subjectPrefixes = subjectPrefixes
        self.actorPrefix = actorPrefix
    }

    /// The same rule in Swift (for tests).
    public func admits(_ record: AuditRecord) -> Bool {
        subjects.contains(record.subject) || subjectPrefixes.contains(where: { record.subject.hasPrefix($0) }) || record.actor.hasPrefix(actorPrefix)
    }
}
