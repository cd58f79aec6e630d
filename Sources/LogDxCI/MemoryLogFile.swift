import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A downloaded log held as an anonymous file: it has a path the engine can open like any log,
/// but no name in any folder, so a hook that is killed (SIGTERM, SIGKILL, a cancelled job) leaves
/// no raw log behind, with its secrets, for the next job on the runner to find. On Linux it lives
/// in memory (`memfd_create`); elsewhere it is a temporary file unlinked as soon as it is opened.
final class MemoryLogFile: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): `size` changes only in `append`/`truncate`, called by the
    // one transfer that fills the file; readers open `path` after that transfer has finished.
    let descriptor: Int32
    /// Opens a new, independent reader of the file (its own offset) for the engine.
    let path: String
    private(set) var size = 0

    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    init() throws(Failure) {
        #if os(Linux)
        if let create = Self.memfdCreate {
            let fd = create("logdx-log", Self.closeOnExec)
            if fd >= 0 {
                descriptor = fd
                path = "/proc/self/fd/\(fd)"
                return
            }
        }
        #endif
        var template = Array((NSTemporaryDirectory() + "logdx-log-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else {
            throw Failure(description: "cannot hold a log: \(String(cString: strerror(errno)))")
        }
        _ = template.withUnsafeBufferPointer { name in unlink(name.baseAddress!) }
        descriptor = fd
        #if os(Linux)
        path = "/proc/self/fd/\(fd)"
        #else
        path = "/dev/fd/\(fd)"
        #endif
    }

    deinit { close(descriptor) }

    /// Appends at the end with `pwrite`, which leaves the descriptor's offset at 0: where `/dev/fd`
    /// shares it with readers (not Linux), they still start at the beginning.
    func append(_ bytes: UnsafeRawBufferPointer) throws(Failure) {
        var done = 0
        while done < bytes.count {
            let wrote = pwrite(descriptor, bytes.baseAddress! + done, bytes.count - done, off_t(size))
            if wrote < 0 {
                if errno == EINTR { continue }
                throw Failure(description: "cannot hold a log: \(String(cString: strerror(errno)))")
            }
            done += wrote
            size += wrote
        }
    }

    func append(_ data: Data) throws(Failure) {
        do {
            try data.withUnsafeBytes { raw in try append(raw) }
        } catch let failure as Failure {
            throw failure
        } catch {
            throw Failure(description: "cannot hold a log: \(error)")
        }
    }

    func truncate(to length: Int) {
        guard length < size, ftruncate(descriptor, off_t(length)) == 0 else { return }
        size = length
    }

    /// Up to `count` bytes from `offset`.
    func read(at offset: Int, count: Int) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max(0, min(count, size - offset)))
        var done = 0
        while done < buffer.count {
            let got = buffer.withUnsafeMutableBytes { raw in
                pread(descriptor, raw.baseAddress! + done, raw.count - done, off_t(offset + done))
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { break }
            done += got
        }
        return Array(buffer.prefix(done))
    }

    #if os(Linux)
    /// `memfd_create` is not in Swift's Glibc module (it needs `_GNU_SOURCE`), so it is looked up.
    private typealias MemfdCreate = @convention(c) (UnsafePointer<CChar>, UInt32) -> Int32
    private static let closeOnExec: UInt32 = 1  // MFD_CLOEXEC
    private static let memfdCreate: MemfdCreate? = dlsym(nil, "memfd_create").map { unsafeBitCast($0, to: MemfdCreate.self) }
    #endif
}
