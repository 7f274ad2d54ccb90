public import CofferBase
public import CofferStorage
import Crypto
public import Foundation

/// A customer of the API. Every resource belongs to exactly one tenant.
public struct Tenant: Sendable, Equatable {
    /// 20 characters from `a-z2-7`: also the tenant's ledger namespace.
    public let id: String
    public let name: String
    public let createdAt: Date

    public init(id: String, name: String, createdAt: Date) {
        self.id = id
        self.name = name
        self.createdAt = createdAt
    }

    /// A fresh random id (100 bits).
    public static func newID() -> String { RandomText.base32(count: 20) }
}

/// What an API key may do. A route names the scope it needs; `admin` implies every other.
public enum APIScope: String, Sendable, CaseIterable, Comparable {
    case read, write, sign, approve, admin

    public static func < (lhs: APIScope, rhs: APIScope) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }

    /// Parses "read,write,…"; throws naming an unknown scope.
    public static func parse(_ text: String) throws(TenancyError) -> Set<APIScope> {
        try parse(names: text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
    }

    /// Scopes named one per item, exactly (`["read", "write"]`), as a request body lists them.
    public static func parse(names: [String]) throws(TenancyError) -> Set<APIScope> {
        var scopes = Set<APIScope>()
        for name in names {
            guard let scope = APIScope(rawValue: name) else {
                throw TenancyError("unknown scope \"\(name.prefix(20))\"; scopes are \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            scopes.insert(scope)
        }
        guard !scopes.isEmpty else { throw TenancyError("name at least one scope: \(allCases.map(\.rawValue).joined(separator: ", "))") }
        return scopes
    }
}

/// A stored API key: never the key itself, only the SHA-256 of its secret part.
public struct APIKeyRecord: Sendable, Equatable {
    public let id: String
    public let tenantID: String
    public let secretHash: [UInt8]
    public let scopes: Set<APIScope>
    public let label: String
    public let createdAt: Date
    public let expiresAt: Date?
    public let revokedAt: Date?

    public init(id: String, tenantID: String, secretHash: [UInt8], scopes: Set<APIScope>, label: String, createdAt: Date, expiresAt: Date?, revokedAt: Date?) {
        self.id = id
        self.tenantID = tenantID
        self.secretHash = secretHash
        self.scopes = scopes
        self.label = label
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.revokedAt = revokedAt
    }

    public func isUsable(at now: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { now < $0 } ?? true)
    }

    public var scopeText: String { scopes.sorted().map(\.rawValue).joined(separator: ",") }
}

/// An API key as shown once to its owner: `cfr_<key id>_<secret>`. The key id finds the record;
/// the secret is checked against its stored hash in constant time.
public struct APIKey: Sendable {
    public let id: String
    public let secret: String

    public var text: String { "cfr_\(id)_\(secret)" }

    /// A fresh key: a 16-character id and a 256-bit secret.
    public static func generate() -> APIKey {
        APIKey(id: RandomText.base32(count: 16), secret: RandomText.base32(count: 52))
    }

    /// Splits a presented key; nil unless it has the shape of one.
    public init?(parsing text: Substring) {
        // `cfr_` + 16 id characters + `_` + 52 secret characters, checked byte by byte: this runs
        // on every authenticated request.
        let bytes = Array(text.utf8)
        guard bytes.count == 73, bytes[0] == UInt8(ascii: "c"), bytes[1] == UInt8(ascii: "f"), bytes[2] == UInt8(ascii: "r"),
              bytes[3] == UInt8(ascii: "_"), bytes[20] == UInt8(ascii: "_"),
              bytes[4..<20].allSatisfy(RandomText.isBase32), bytes[21...].allSatisfy(RandomText.isBase32) else { return nil }
        id = String(decoding: bytes[4..<20], as: UTF8.self)
        secret = String(decoding: bytes[21...], as: UTF8.self)
    }

    public init?(parsing text: String) {
        self.init(parsing: Substring(text))
    }

    private init(id: String, secret: String) {
        self.id = id
        self.secret = secret
    }

    public var secretHash: [UInt8] { Array(SHA256.hash(data: Array(secret.utf8))) }

    /// True when this key's secret hashes to `record`'s, compared in constant time.
    public func matches(_ record: APIKeyRecord) -> Bool {
        let presented = secretHash
        guard presented.count == record.secretHash.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(presented, record.secretHash) { difference |= a ^ b }
        return difference == 0 && record.id == id
    }
}

/// Random lowercase base32 text from the system's CSPRNG.
enum RandomText {
    static let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567".utf8)

    static func base32(count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<count).map { _ in alphabet[Int(generator.next() % 32)] }, as: UTF8.self)
    }

    static func isBase32(_ byte: UInt8) -> Bool {
        (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "2") && byte <= UInt8(ascii: "7"))
    }
}

/// A stored response for an `Idempotency-Key`, replayed for a repeat of the same request.
public struct IdempotencyRecord: Sendable, Equatable {
    public let requestHash: [UInt8]
    /// Nil while the first request is still being processed.
    public let response: StoredResponse?

    public init(requestHash: [UInt8], response: StoredResponse?) {
        self.requestHash = requestHash
        self.response = response
    }
}

public struct StoredResponse: Sendable, Equatable {
    public let status: Int
    public let contentType: String
    public let body: [UInt8]

    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}

/// How long a claimed key may stay "in progress": a claim older than this belongs to a request
/// that died (a crash or a lost connection to the database before its response was stored), so
/// the next identical request takes it over instead of getting 409 until the purge.
public let idempotencyClaimLifetimeMilliseconds: Int64 = 120_000

/// What `begin` found for an idempotency key.
public enum IdempotencyStart: Sendable, Equatable {
    /// No earlier request: this one proceeds (the key is now held as in progress).
    case proceed
    /// The same request completed before: replay its response.
    case replay(StoredResponse)
    /// The same key is held by a request still in progress.
    case inProgress
    /// The key was used with a different request.
    case mismatch
}

/// Tenants, their API keys and idempotency records, on SQLite or PostgreSQL.
public protocol TenancyStore: Sendable {
    func createTenant(name: String) async throws -> Tenant
    func tenant(_ id: String) async throws -> Tenant?
    func tenants() async throws -> [Tenant]
    func createKey(tenantID: String, scopes: Set<APIScope>, label: String, expiresAt: Date?) async throws -> APIKey
    func key(_ id: String) async throws -> APIKeyRecord?
    func keys(tenantID: String) async throws -> [APIKeyRecord]
    /// Marks the key revoked (idempotent); false if the tenant has no such key.
    func revokeKey(_ id: String, tenantID: String) async throws -> Bool

    /// Claims `key` for this request, or reports what an earlier request with it left.
    func beginIdempotent(tenantID: String, key: String, requestHash: [UInt8]) async throws -> IdempotencyStart
    /// Stores the response for replay.
    func completeIdempotent(tenantID: String, key: String, response: StoredResponse) async throws
    /// Releases a claim whose request failed before producing a response worth replaying.
    func abandonIdempotent(tenantID: String, key: String) async throws
    /// Forgets records older than `cutoff` (keys are kept at least 24 hours).
    func purgeIdempotent(before cutoff: Date) async throws -> Int
    /// For a key this process claimed: a way to store its response inside another transaction on
    /// the same embedded database (the ledger's commit) instead of `completeIdempotent`'s own; nil
    /// where the store cannot (PostgreSQL, or a claim this process does not hold).
    func responseRecorder(tenantID: String, key: String) -> IdempotentResponseRecorder?
}

extension TenancyStore {
    public func responseRecorder(tenantID: String, key: String) -> IdempotentResponseRecorder? { nil }
}

/// Stores one claimed key's response in a transaction someone else commits (see
/// `TenancyStore.responseRecorder`). `release` frees the claim once that transaction committed
/// or failed; until then a repeat of the request gets 409.
public struct IdempotentResponseRecorder: Sendable {
    /// The database whose transaction `write` must run in.
    public let database: any SQLDatabase
    public let write: @Sendable (StoredResponse, any SQLConnection) throws -> Void
    public let release: @Sendable () -> Void

    public init(database: any SQLDatabase, write: @escaping @Sendable (StoredResponse, any SQLConnection) throws -> Void, release: @escaping @Sendable () -> Void) {
        self.database = database
        self.write = write
        self.release = release
    }
}

/// Why a tenancy operation was refused: a stable code, a category and a message.
public typealias TenancyError = DomainError<TenancyDomain>

/// Tenants, API keys and idempotency records.
public enum TenancyDomain: ErrorDomain {}

extension TenancyError {
    public static func noTenant(_ id: String) -> TenancyError {
        TenancyError(.notFound, "tenant-not-found", "no tenant \"\(id.prefix(40))\"; create one with `coffer tenant create`")
    }
}
