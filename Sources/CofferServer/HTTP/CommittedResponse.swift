import Synchronization
import Tenancy

/// The response a ledger commit stored, handed back to its request (not made twice).
final class CommittedResponse: Sendable {
    private let response = Mutex<StoredResponse?>(nil)

    func set(_ stored: StoredResponse) { response.withLock { $0 = stored } }
    func get() -> StoredResponse? { response.withLock { $0 } }
}
