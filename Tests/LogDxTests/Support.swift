import Foundation
@testable import LogDx
import TestSupport

/// The checkout's paths and scratch folders come from TestSupport, shared by every test target.
typealias Repo = RepositoryPaths
typealias TemporaryDirectory = ScratchFolder

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
    try Diagnoser(rules: Repo.builtInRules).diagnose(paths)
}

func allRules(_ analysis: Analysis) -> Set<String> {
    RuleTester.firedRules(analysis)
}
