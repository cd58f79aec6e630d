#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LogDx

extension ContentHash {
    /// Hashes a file's bytes as stored (a `.gz` is hashed compressed: it is what changes on disk).
    static func ofFile(_ path: String) throws(ScanError) -> String {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw .unreadable(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var hasher = ContentHash()
        // As large as the file, up to a megabyte: a megabyte zeroed (and mapped, and unmapped) per
        // file of a few kilobytes made the kernel a quarter of a scan of many small logs.
        var status = stat()
        let size = fstat(fd, &status) == 0 ? Int(status.st_size) : 1 << 20
        let capacity = min(1 << 20, max(4096, size + 1))
        var buffer = [UInt8](unsafeUninitializedCapacity: capacity) { _, count in count = capacity }
        while true {
            let got = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw .unreadable(path: path, reason: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            buffer.withUnsafeBytes { hasher.update(UnsafeRawBufferPointer(rebasing: $0[0..<got])) }
        }
        return hex(hasher.finish())
    }
}
