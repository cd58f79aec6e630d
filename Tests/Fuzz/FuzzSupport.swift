#if canImport(Glibc)
import Glibc
#endif

/// Writes fuzz input to a scratch file the engine can open: logdx reads paths, as users give it.
enum FuzzFile {
    static let path: String = "/dev/shm/logdx-fuzz-\(getpid())"

    static func write(_ data: UnsafePointer<UInt8>?, _ size: Int, to target: String = path) {
        let fd = open(target, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { fatalError("cannot write \(target)") }
        if let data, size > 0 { _ = Glibc.write(fd, data, size) }
        close(fd)
    }
}
