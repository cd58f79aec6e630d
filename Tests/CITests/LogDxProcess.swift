import Foundation

/// Runs the built `logdx` binary with a chosen environment only (no inherited CI variables).
struct LogDxProcess {
    static let binary = FakeCIServer.root + "/.build/debug/logdx"
    static let releaseBinary = FakeCIServer.root + "/.build/release/logdx"

    /// The binaries to run a test against: the debug build, and the release build when one is
    /// there and newer than every source file (not a stale one). Some defects show only in
    /// optimized code.
    static var builds: [String] {
        let manager = FileManager.default
        func modified(_ path: String) -> Date? {
            (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date
        }
        let sources = FakeCIServer.root + "/Sources"
        let newestSource = (manager.enumerator(atPath: sources)?.compactMap { $0 as? String } ?? [])
            .compactMap { modified(sources + "/" + $0) }.max()
        guard manager.isExecutableFile(atPath: releaseBinary), let release = modified(releaseBinary),
              let newestSource, release > newestSource else { return [binary] }
        return [binary, releaseBinary]
    }

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        /// The process was still running after the timeout and was killed.
        var timedOut = false
        var all: String { stdout + stderr }
    }

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
        let (process, out, err) = try start(arguments, environment: environment, in: directory, stdout: stdout, binary: binary)
        return finish(process, out, err, timeout: timeout)
    }

    /// Starts the binary and returns at once, for tests that act on it while it runs.
    static func start(_ arguments: [String], environment: [String: String], in directory: String, stdout: FileHandle? = nil, binary: String = binary) throws -> (Process, Pipe?, Pipe) {
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw Missing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1",
                   "LOGDX_RULES_DIR": FakeCIServer.root + "/Rules"]
        env.merge(environment) { $1 }
        process.environment = env
        let out = stdout == nil ? Pipe() : nil
        let err = Pipe()
        process.standardOutput = stdout ?? out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return (process, out, err)
    }

    /// Reads a started process's output to the end and waits for it, at most `timeout` seconds.
    static func finish(_ process: Process, _ out: Pipe?, _ err: Pipe, timeout: TimeInterval = 300) -> Result {
        let killed = Watchdog(process, after: timeout)
        // Both pipes are drained at once so a full one cannot stall the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async {
            stderrData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdoutData = out?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self), timedOut: killed.fired)
    }

    /// Kills a process with SIGKILL once `after` seconds have passed, unless it has ended.
    final class Watchdog: @unchecked Sendable {
        // SAFETY (for @unchecked Sendable): `fired` is written under `lock` by the timer and read
        // under it after the process has exited.
        private let lock = NSLock()
        private var didFire = false
        var fired: Bool { lock.withLock { didFire } }

        init(_ process: Process, after seconds: TimeInterval) {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                guard process.isRunning else { return }
                lock.withLock { didFire = true }
                kill(pid, SIGKILL)
            }
        }
    }
}

/// A folder of its own per test, removed afterwards: the project checkout `logdx ci` runs in.
final class ScratchFolder {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "logdx-ci-test-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func read(_ name: String) -> String? {
        try? String(contentsOfFile: path + "/" + name, encoding: .utf8)
    }

    func copy(_ source: String, to name: String) throws {
        let target = path + "/" + name
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: FakeCIServer.root + "/" + source, toPath: target)
    }
}
