import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Test-only crash points: with `COFFER_TEST_CRASH_AT=<name>` in its environment the process
/// kills itself with SIGKILL when the pipeline reaches that point, so the crash tests can stop a
/// worker exactly between two steps (after the vault signed, after a broadcast before it was
/// recorded...) as well as at random moments. Without the variable it does nothing.
public enum CrashPoint: String, Sendable, CaseIterable {
    case afterBatch = "after-batch"
    case afterVaultSign = "after-vault-sign"
    case afterSignStored = "after-sign-stored"
    case afterBroadcast = "after-broadcast"
    case afterSettle = "after-settle"

    static let armed: CrashPoint? = ProcessInfo.processInfo.environment["COFFER_TEST_CRASH_AT"].flatMap { CrashPoint(rawValue: $0) }

    func reach() {
        guard Self.armed == self else { return }
        kill(getpid(), SIGKILL)
    }
}
