import Foundation

/// Standard output and standard error, written with write(2). `FileHandle.write(_:)` traps when a
/// write fails (`> /dev/full`, a full disk, a reader that went away while SIGPIPE is ignored) and
/// `print` drops the failure and exits 0; here a failed write is an error the command reports.
/// Every command writes through this type, so each reports such a failure the same way.
enum StandardStream: Int32, Sendable {
    case output = 1
    case error = 2

    var name: String {
        switch self {
        case .output: "standard output"
        case .error: "standard error"
        }
    }

    /// Writes all of `text`, resuming after partial writes and interrupted calls.
    func write(_ text: String) throws(StandardStreamError) {
        var text = text
        let failure: Int32 = text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return 0 }
            var offset = 0
            while offset < bytes.count {
                let written = Foundation.write(rawValue, base + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return 0
        }
        if failure != 0 { throw StandardStreamError(stream: self, code: failure) }
    }
}
