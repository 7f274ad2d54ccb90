import CofferCore
import Hummingbird

/// Per-request state: Hummingbird's core context plus the authenticated caller.
public struct CofferRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var caller: Caller?
    var bodyLimit: Int = 1 << 20

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
    }

    public var maxUploadSize: Int { bodyLimit }

    /// The caller, or 401.
    public func requireCaller() throws -> Caller {
        guard let caller else { throw HTTPFailure.unauthenticated }
        return caller
    }
}
