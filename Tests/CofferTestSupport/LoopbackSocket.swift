import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
public func freeLoopbackPort() throws -> Int {
    let (socket, port) = try boundLoopbackSocket()
    close(socket)
    return port
}

/// A TCP socket bound to a free port on 127.0.0.1 (listening when `backlog` is given), and the port.
func boundLoopbackSocket(listening backlog: Int32? = nil) throws -> (socket: Int32, port: Int) {
    let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard socket >= 0 else { throw HarnessError("socket() failed: errno \(errno)") }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let ready = withUnsafeMutablePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            bind(socket, $0, length) == 0 && (backlog.map { listen(socket, $0) == 0 } ?? true) && getsockname(socket, $0, &length) == 0
        }
    }
    guard ready else {
        let failure = errno
        close(socket)
        throw HarnessError("cannot bind a socket on 127.0.0.1: errno \(failure)")
    }
    return (socket, Int(UInt16(bigEndian: address.sin_port)))
}
