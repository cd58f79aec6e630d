import Foundation

/// Runs the built `logdx` binary with a chosen environment only (no inherited CI variables).
struct LogDxProcess {
    static let binary = FakeCIServer.root + "/.build/debug/logdx"

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var all: String { stdout + stderr }
    }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "\(LogDxProcess.binary) is not built; run `swift build` (make test does) before `swift test`" }
    }

    static func run(_ arguments: [String], environment: [String: String], in directory: String) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else { throw Missing() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ["PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "NO_COLOR": "1",
                   "LOGDX_RULES_DIR": FakeCIServer.root + "/Rules"]
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        // Both pipes are drained at once so a full one cannot stall the child.
        let group = DispatchGroup()
        nonisolated(unsafe) var stderrData = Data()
        group.enter()
        DispatchQueue.global().async {
            stderrData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let stdoutData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self))
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
