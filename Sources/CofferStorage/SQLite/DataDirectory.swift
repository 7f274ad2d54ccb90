import Foundation

/// Where Coffer keeps its files: `--data-dir`, else `$COFFER_DATA_DIR`, else
/// `$XDG_DATA_HOME/coffer`, else `~/.local/share/coffer`. Created with mode 0700.
public struct DataDirectory: Sendable, Equatable {
    public let url: URL

    public init(explicit path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let path, !path.isEmpty {
            url = URL(fileURLWithPath: path)
        } else if let path = environment["COFFER_DATA_DIR"], !path.isEmpty {
            url = URL(fileURLWithPath: path)
        } else if let xdg = environment["XDG_DATA_HOME"], !xdg.isEmpty {
            url = URL(fileURLWithPath: xdg).appendingPathComponent("coffer")
        } else {
            url = FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".local/share/coffer")
        }
    }

    /// The embedded database file every domain shares.
    public var databaseURL: URL { url.appendingPathComponent("coffer.sqlite") }

    /// Creates the directory (private to the user) if it does not exist.
    public func create() throws(StorageError) {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StorageError("cannot create data directory \(url.path): \(error.localizedDescription)")
        }
    }
}
