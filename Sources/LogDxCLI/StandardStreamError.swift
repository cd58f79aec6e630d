import Foundation

/// A write to standard output or standard error that failed, with the system's reason.
struct StandardStreamError: Error, CustomStringConvertible {
    var stream: StandardStream
    /// The errno of the failed write(2): ENOSPC, EPIPE, EIO, …
    var code: Int32

    var description: String {
        "cannot write to \(stream.name): \(String(cString: strerror(code)))"
    }

    /// Says what failed on standard error (unless standard error is what failed, or fails too)
    /// and exits with 2. The output is already incomplete, so nothing more is attempted.
    func exit() -> Never {
        if stream == .output {
            try? StandardStream.error.write("logdx: \(description)\n")
        }
        Foundation.exit(ExitStatus.outputFailed.rawValue)
    }
}
