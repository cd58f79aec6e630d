import Foundation
@testable import LogDx

/// Paths into the repository, found from this file so tests run from any working directory.
enum Repo {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    static let rules = root + "/Rules"
    static let fixtures = root + "/Fixtures"
    static let seed = fixtures + "/pipelines/seed-uv-system-python/gitlab-ci-local.log"

    static let ruleSet: RuleSet = {
        do {
            return try RuleSet.load(from: [rules])
        } catch {
            fatalError("the built-in rules must load: \(error)")
        }
    }()
}

/// A scratch folder removed when the test ends.
final class TemporaryDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "logdx-test-" + UUID().uuidString
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    @discardableResult
    func write(_ name: String, _ content: String) -> String {
        write(name, Data(content.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) -> String {
        let file = path + "/" + name
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: file, contents: data)
        return file
    }
}

/// Collects what ingest streams, for assertions.
struct RecordingSink: IngestSink {
    var lines: [(job: Int, number: Int, text: String)] = []
    var structural: [(kind: String, job: Int, line: Int, fields: [String: String])] = []

    mutating func structural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String]) {
        structural.append((kind, job, line, fields))
    }

    mutating func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>) {
        lines.append((job, number, String(decoding: text, as: UTF8.self)))
    }
}

func read(_ paths: [String], format: InputFormat? = nil) throws -> (Pipeline, RecordingSink) {
    var sink = RecordingSink()
    let pipeline = try PipelineReader(forcedFormat: format).read(paths, into: &sink)
    return (pipeline, sink)
}

func diagnose(_ paths: [String]) throws -> Analysis {
    try Diagnoser(rules: Repo.ruleSet).diagnose(paths)
}

func allRules(_ analysis: Analysis) -> Set<String> {
    RuleTester.firedRules(analysis)
}
