import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Standard output and error written with `write(2)`: a full disk, `/dev/full` or a pipe whose
/// reader has gone is an error the hook reports, where `FileHandle.write(_: Data)` stops the
/// process. (With SIGPIPE ignored, a gone reader is EPIPE rather than death by signal.)
public enum StandardStream {
    /// Writes all of `text` to `descriptor`; returns why it could not, or nil.
    @discardableResult
    public static func write(_ text: String, to descriptor: Int32) -> String? {
        guard !text.isEmpty else { return nil }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { raw -> String? in
            guard let base = raw.baseAddress else { return nil }
            var done = 0
            while done < raw.count {
                #if canImport(Glibc)
                let wrote = Glibc.write(descriptor, base + done, raw.count - done)
                #else
                let wrote = Darwin.write(descriptor, base + done, raw.count - done)
                #endif
                if wrote < 0 {
                    if errno == EINTR { continue }
                    return String(cString: strerror(errno))
                }
                done += wrote
            }
            return nil
        }
    }
}
