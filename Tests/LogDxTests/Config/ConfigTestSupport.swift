import Foundation
@testable import LogDx
import TestSupport

/// Fixture paths and fact look-ups for the config tests.
enum ConfigFixtures {
    static let root = Repo.fixtures + "/config"
    static let seed = root + "/seed-uv"
    static let gitlab = root + "/gitlab-includes"
    static let github = root + "/github-python"

    static func load(_ path: String) throws -> CIConfig {
        try CIConfig.load(path: path)
    }

    /// A temporary copy of a fixture folder, for edits that must be applied on disk.
    static func copy(_ fixture: String, into folder: TemporaryDirectory) throws -> String {
        let target = folder.path + "/repo"
        try FileManager.default.copyItem(atPath: fixture, toPath: target)
        return target
    }
}

extension CIConfig {
    func requireJob(_ name: String) throws -> CIConfigJob {
        guard let job = jobs.first(where: { $0.name == name }) else {
            throw ConfigTestFailure("no job \(name) in \(jobs.map(\.name))")
        }
        return job
    }
}

extension CIConfigJob {
    func facts(_ kind: String) -> [ConfigFact] {
        facts.filter { $0.kind == kind }
    }

    func fact(_ kind: String, _ field: String, _ value: String) -> ConfigFact? {
        facts.first { $0.kind == kind && $0.fields[field] == value }
    }

    func values(_ kind: String, _ field: String) -> [String] {
        facts(kind).compactMap { $0.fields[field] }
    }
}

struct ConfigTestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a program and returns its exit status and output.
func runProcess(_ executable: String, _ arguments: [String], in folder: String, input: String? = nil) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder)
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    let inputPipe = Pipe()
    if input != nil { process.standardInput = inputPipe }
    try process.run()
    if let input {
        inputPipe.fileHandleForWriting.write(Data(input.utf8))
        try inputPipe.fileHandleForWriting.close()
    }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// The first of these paths that exists, for tools installed in different places.
func findTool(_ candidates: [String]) -> String? {
    candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
}
