import Foundation
import TestSupport

/// Runs the built `logdx` binary with a chosen environment only (no inherited CI variables).
struct LogDxProcess {
    static let binary = RepositoryPaths.debugBinary
    static let releaseBinary = RepositoryPaths.releaseBinary

    /// The binaries to run a test against: the debug build, and the release build when one is
    /// there and newer than every source file (not a stale one). Some defects show only in
    /// optimized code.
    static var builds: [String] {
        let manager = FileManager.default
        func modified(_ path: String) -> Date? {
            (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        let sources = RepositoryPaths.root + "/Sources"
        let newestSource = (manager.enumerator(atPath: sources)?.compactMap { $0 as? String } ?? [])
            .compactMap { modified(sources + "/" + $0) }.max()
        guard manager.isExecutableFile(atPath: releaseBinary), let release = modified(releaseBinary),
              let newestSource, release > newestSource else { return [binary] }
        return [binary, releaseBinary]
    }

    typealias Result = ChildProcess.Result
    typealias Watchdog = ChildProcess.Watchdog

    struct Missing: Error, CustomStringConvertible {
        var description: String { "\(LogDxProcess.binary) is not built; run `swift build` (make test does) before `swift test`" }
    }

    /// `stdout`: where standard output goes instead of a pipe read into the result (a file
    /// that cannot be written, to test that case).
    /// `timeout`: a process still running then is killed and the result says so, so a build
    /// that hangs fails its test instead of holding the whole run.
    static func run(
        _ arguments: [String], environment: [String: String], in directory: String, stdout: FileHandle? = nil,
        binary: String = binary, timeout: TimeInterval = 300
    ) throws -> Result {
        ChildProcess.finish(try start(arguments, environment: environment, in: directory, stdout: stdout, binary: binary), timeout: timeout)
    }

    /// Starts the binary and returns at once, for tests that act on it while it runs.
    static func start(
        _ arguments: [String], environment: [String: String], in directory: String, stdout: FileHandle? = nil, binary: String = binary
    ) throws -> ChildProcess.Started {
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw Missing() }
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1",
                   "LOGDX_RULES_DIR": RepositoryPaths.rules]
        env.merge(environment) { $1 }
        return try ChildProcess.start(binary, arguments, environment: env, directory: directory, stdout: stdout)
    }
}
