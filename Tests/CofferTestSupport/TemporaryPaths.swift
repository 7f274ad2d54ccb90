import Foundation
import Synchronization

/// Paths under the system's temporary directory that the test process removes when it exits.
///
/// Tests open databases, data directories and files there; removing each at the end of its test
/// would race with stores still open on it (a reopened database, a server child being stopped),
/// so they are removed once, when nothing can use them any more. A run of the whole suite used to
/// leave some 1,400 directories behind.
public enum TemporaryPaths {
    private static let registered = Mutex<[String]>([])
    private static let hook: Void = { atexit { TemporaryPaths.removeAll() } }()

    /// A new path named `prefix` + a UUID + `suffix`, nothing created there yet.
    public static func make(_ prefix: String, suffix: String = "") -> URL {
        _ = hook
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)\(suffix)")
        registered.withLock { $0.append(url.path) }
        return url
    }

    static func removeAll() {
        for path in registered.withLock({ paths in defer { paths.removeAll() }; return paths }) {
            try? FileManager.default.removeItem(atPath: path)
        }
    }
}
