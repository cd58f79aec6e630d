import Foundation

/// Runs a program to its end, as the tests run `logdx`, python helpers and browsers: both pipes
/// drained at once (a full one would stall the child), and a deadline after which it is killed,
/// so a hang fails its test instead of holding the whole run.
public enum ChildProcess {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
        public var reason: Process.TerminationReason
        /// The process was still running at the deadline and was killed.
        public var timedOut: Bool
        public var all: String { stdout + stderr }
    }

    /// `environment`: the child's whole environment (nil inherits this process's).
    /// `stdout`: where standard output goes instead of a pipe read into the result.
    public static func run(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: Data? = nil, stdout: FileHandle? = nil, timeout: TimeInterval = 300
    ) throws -> Result {
        let started = try start(executable, arguments, environment: environment, directory: directory, stdin: stdin, stdout: stdout)
        return finish(started, timeout: timeout)
    }

    /// A started child with the pipes its output comes through.
    public struct Started {
        public let process: Process
        let out: Pipe?
        let err: Pipe
    }

    /// Starts the program and returns at once, for tests that act on it while it runs.
    public static func start(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, directory: String? = nil,
        stdin: Data? = nil, stdout: FileHandle? = nil
    ) throws -> Started {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if let environment { process.environment = environment }
        let out = stdout == nil ? Pipe() : nil
        let err = Pipe()
        process.standardOutput = stdout ?? out
        process.standardError = err
        let input = stdin.map { _ in Pipe() }
        process.standardInput = input ?? FileHandle.nullDevice
        try process.run()
        if let input, let stdin {
            // From another thread: a child that writes before it reads would fill its pipe first.
            let writer = input.fileHandleForWriting
            DispatchQueue.global().async {
                try? writer.write(contentsOf: stdin)
                try? writer.close()
            }
        }
        return Started(process: process, out: out, err: err)
    }

    /// Reads a started child's output to the end and waits for it, at most `timeout` seconds.
    public static func finish(_ started: Started, timeout: TimeInterval = 300) -> Result {
        let killed = Watchdog(started.process, after: timeout)
        let group = DispatchGroup()
        let stderr = Collected()
        let errorHandle = started.err.fileHandleForReading
        group.enter()
        DispatchQueue.global().async {
            stderr.set(errorHandle.readDataToEndOfFile())
            group.leave()
        }
        let stdoutData = started.out?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        group.wait()
        started.process.waitUntilExit()
        return Result(
            status: started.process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
            stderr: String(decoding: stderr.data, as: UTF8.self), reason: started.process.terminationReason,
            timedOut: killed.fired)
    }

    /// Bytes one thread reads while another waits for them.
    final class Collected: @unchecked Sendable {
        // SAFETY (for @unchecked Sendable): written once under `lock` before the group is left,
        // read under it after the group was waited for.
        private let lock = NSLock()
        private var stored = Data()
        func set(_ data: Data) { lock.withLock { stored = data } }
        var data: Data { lock.withLock { stored } }
    }

    /// Kills a process with SIGKILL once `after` seconds have passed, unless it has ended.
    public final class Watchdog: @unchecked Sendable {
        // SAFETY (for @unchecked Sendable): `didFire` is written under `lock` by the timer and read
        // under it after the process has exited.
        private let lock = NSLock()
        private var didFire = false
        public var fired: Bool { lock.withLock { didFire } }

        public init(_ process: Process, after seconds: TimeInterval) {
            let pid = process.processIdentifier
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { [self] in
                guard process.isRunning else { return }
                lock.withLock { didFire = true }
                kill(pid, SIGKILL)
            }
        }
    }
}
