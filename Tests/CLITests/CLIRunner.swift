import Foundation
import TestSupport

/// Runs the built `logdx` binary from the repository root, as a user would.
enum CLIRunner {
    static let root = RepositoryPaths.root
    static let binary = RepositoryPaths.debugBinary
    static let seed = "Fixtures/pipelines/seed-uv-system-python/gitlab-ci-local.log"

    typealias Result = ChildProcess.Result

    struct CLIMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is not built; run `swift build` (make test does) before `swift test`" }
    }

    /// Runs `executable` (the built logdx unless given) with `arguments` in `directory`, with this
    /// process's environment less what would change logdx's output; `stdout` replaces the captured
    /// standard output (then `Result.stdout` is empty).
    static func run(
        _ arguments: [String], stdin: Data? = nil, environment: [String: String] = [:],
        stdout: FileHandle? = nil, executable: String = binary, directory: String = root
    ) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: binary) else {
            throw CLIMissing(path: binary)
        }
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = nil
        env["LOGDX_RULES_DIR"] = nil
        env["COLUMNS"] = "100"
        env.merge(environment) { $1 }
        // Standard input is always a pipe, empty unless given: a test never waits on a terminal.
        return try ChildProcess.run(executable, arguments, environment: env, directory: directory, stdin: stdin ?? Data(), stdout: stdout)
    }

    /// A scratch folder under the temporary directory, removed by the caller.
    static func scratch() throws -> String {
        let folder = NSTemporaryDirectory() + "logdx-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }
}
