import Foundation

/// Standard output and standard error shared by worker threads (a scan's JSON lines and
/// progress): the first failed write is kept and later writes are skipped, so the command stops
/// taking work and reports the failure once, after the workers are done.
final class GuardedStreams: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): `failure` is only read and written under `lock`.
    private let lock = NSLock()
    private var failure: StandardStreamError?

    /// Writes `text` unless a write already failed; false when nothing was written.
    func write(_ text: String, to stream: StandardStream) -> Bool {
        write([text], to: stream)
    }

    /// Writes `line` and a newline, one write after the other with nothing between them: a JSON
    /// line of a large pipeline is megabytes, which `line + "\n"` copied only to add a byte.
    func write(line: String, to stream: StandardStream) -> Bool {
        write([line, "\n"], to: stream)
    }

    private func write(_ pieces: [String], to stream: StandardStream) -> Bool {
        lock.withLock {
            guard failure == nil else { return false }
            do throws(StandardStreamError) {
                for piece in pieces { try stream.write(piece) }
                return true
            } catch {
                failure = error
                return false
            }
        }
    }

    /// Throws the first failed write, if any.
    func check() throws(StandardStreamError) {
        if let failure = lock.withLock({ failure }) { throw failure }
    }
}
