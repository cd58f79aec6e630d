import Foundation

/// Runs the built `logdx` binary from the repository root, as a user would.
enum CLIRunner {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let binary = root + "/.build/debug/logdx"
    static let seed = "Fixtures/pipelines/seed-uv-system-python/gitlab-ci-local.log"

    struct Result {
        var status: Int32
        var stdout: String
        var stderr: String
        var reason: Process.TerminationReason
    }

    struct CLIMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is not built; run `swift build` (make test does) before `swift test`" }
    }

    /// Runs `executable` (the built logdx unless given) with `arguments` in `directory`; `stdout`
    /// replaces the captured standard output (then `Result.stdout` is empty).
    static func run(
        _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
        stdout: FileHandle? = nil, executable: String = binary, directory: String = root
    ) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw CLIMissing(path: binary)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["LOGDX_RULES_DIR"] = nil
        env["COLUMNS"] = "100"
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = stdout ?? out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if stdout != nil { try out.fileHandleForWriting.close() }
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        let stdoutData = stdout == nil ? out.fileHandleForReading.readDataToEndOfFile() : Data()
        let stderrData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: stdoutData, as: UTF8.self),
                      stderr: String(decoding: stderrData, as: UTF8.self), reason: process.terminationReason)
    }

    /// A scratch folder under the temporary directory, removed by `remove()`.
    static func scratch() throws -> String {
        let folder = NSTemporaryDirectory() + "logdx-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
