import Foundation
import TestSupport

/// The loopback GitLab/GitHub API (`Tests/Tools/fake_ci_api.py`) as a separate process: real
/// HTTP, real pagination headers, redirects and zips, so `logdx ci` is tested as it runs in CI.
final class FakeCIServer {
    static let root = RepositoryPaths.root

    let process = Process()
    let requestLog: String
    private(set) var baseURL = ""
    private let output = Pipe()

    struct StartFailure: Error, CustomStringConvertible {
        var description: String
    }

    convenience init(scenario: String, options: [String] = []) throws {
        let requestLog = NSTemporaryDirectory() + "logdx-requests-\(UUID().uuidString).jsonl"
        try self.init(tool: "fake_ci_api.py", arguments: [
            "--scenario", Self.root + "/Fixtures/ci-api/\(scenario)/scenario.json", "--request-log", requestLog,
        ] + options, requestLog: requestLog)
    }

    /// Any loopback API in Tests/Tools that announces itself the same way (`listening on URL`).
    init(tool: String, arguments: [String], requestLog: String = "") throws {
        self.requestLog = requestLog
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Self.root + "/Tests/Tools/" + tool] + arguments
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The first line names the port; nothing is sent before it.
        var line = Data()
        while true {
            let byte = output.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line.append(byte)
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("listening on ") else {
            process.terminate()
            throw StartFailure(description: "\(tool) did not start (said: \(text.isEmpty ? "nothing" : text)); is python3 installed?")
        }
        baseURL = String(text.dropFirst("listening on ".count))
    }

    deinit {
        // SIGKILL: the request log is written before each response, so nothing is lost, and a
        // server busy with a half-sent (truncated) body must not hold the test up.
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
        if !requestLog.isEmpty { try? FileManager.default.removeItem(atPath: requestLog) }
    }

    struct Request: Decodable {
        var method: String
        var path: String
        var query: String?
        var headers: [String: String]
        var body: String?
        var status: Int
    }

    /// Every request the server answered, in order.
    func requests() throws -> [Request] {
        guard let text = try? String(contentsOfFile: requestLog, encoding: .utf8) else { return [] }
        return try text.split(separator: "\n").map { try JSONDecoder().decode(Request.self, from: Data($0.utf8)) }
    }
}
