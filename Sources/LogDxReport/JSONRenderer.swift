import Foundation
import LogDxDiagnose
import LogDxModel

/// Machine-readable output. Its shape is a contract, versioned by `schemaVersion` and described by
/// `diagnosis-v1.schema.json`: fields are only ever added within a major version. Its id is the
/// schema's path in the logdx repository (no server publishes it), the same in the schema's `$id`.
public struct JSONRenderer: Renderer {
    public static let schemaVersion = "1.5"
    public static let schemaID = "Sources/LogDx/Report/diagnosis-v1.schema.json"

    public init() {}

    package struct Document: Encodable {
        var schema = JSONRenderer.schemaID
        var schemaVersion = JSONRenderer.schemaVersion
        var tool = Tool()
        var pipeline: PipelineJSON
        var diagnoses: [DiagnosisRecord]
        var excerpts: [ExcerptJSON]
        var notices: [Notice]
        var summary: Summary

        enum CodingKeys: String, CodingKey {
            case schema = "$schema", schemaVersion = "schema_version", tool, pipeline, diagnoses, excerpts, notices, summary
        }
    }

    struct Tool: Encodable {
        var name = "logdx"
        var version = LogDxVersion.current
    }

    struct PipelineJSON: Encodable {
        var format: String
        var jobs: [JobJSON]
    }

    struct JobJSON: Encodable {
        var name: String
        var stage: String?
        var status: String
        var exitCode: Int?
        var lineCount: Int
        var source: String
        var run: Int?
        var runLabel: String?

        enum CodingKeys: String, CodingKey {
            case name, stage, status, exitCode = "exit_code", lineCount = "line_count", source, run, runLabel = "run_label"
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(stage, forKey: .stage)
            try c.encode(status, forKey: .status)
            try c.encode(exitCode, forKey: .exitCode)
            try c.encode(lineCount, forKey: .lineCount)
            try c.encode(source, forKey: .source)
            // Only with several runs: a single run's JSON reads as before 1.3.
            try c.encodeIfPresent(run, forKey: .run)
            try c.encodeIfPresent(runLabel, forKey: .runLabel)
        }
    }




    struct ExcerptJSON: Encodable {
        var job: String
        var source: String
        var explained: Bool
        var lines: [LineJSON]
    }

    struct LineJSON: Encodable {
        var line: Int
        var text: String
        var new: Bool?
    }


    package struct Summary: Encodable {
        package var errors: Int
        package var warnings: Int
        var infos: Int
    }

    /// The compact JSON of a document made without its diagnoses, with `diagnoses` (each record's
    /// `compactJSON`, in order) put in its empty list: the same text as encoding the whole
    /// document, when the diagnoses are encoded once for several uses (a scan stores each one and
    /// prints them all). Nil when the text has no such list where the sorted keys put it.
    package static func splicing(diagnoses: [String], into compact: String) -> String? {
        // Keys are sorted, so `diagnoses` follows `$schema`, whose value is fixed.
        let prefix = "{\"$schema\":\"" + schemaID + "\",\"diagnoses\":["
        guard compact.hasPrefix(prefix + "]") else { return nil }
        // Appended into one string of the final size: a 1,000-job pipeline's diagnoses are 16 MB,
        // which joining and then concatenating copied three times, on the one core the scan's
        // last step runs on.
        let rest = compact.dropFirst(prefix.count)
        var line = ""
        line.reserveCapacity(prefix.utf8.count + diagnoses.reduce(diagnoses.count) { $0 + $1.utf8.count } + rest.utf8.count)
        line += prefix
        for (index, diagnosis) in diagnoses.enumerated() {
            if index > 0 { line += "," }
            line += diagnosis
        }
        line += rest
        return line
    }

    public func render(_ analysis: Analysis) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document(analysis))) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The document `render` prints, for callers that embed it in their own (scan's JSON lines).
    /// Without `diagnoses` its list is empty, for a caller that encoded them already and splices
    /// them in (`splicing(diagnoses:into:)`).
    package func document(_ analysis: Analysis, diagnoses: Bool = true) -> Document {
        let p = analysis.pipeline
        return Document(
            pipeline: PipelineJSON(
                format: p.format?.rawValue ?? "mixed",
                jobs: p.jobsInOrder.map {
                    JobJSON(name: $0.name, stage: $0.stage, status: $0.status.rawValue, exitCode: $0.exitCode, lineCount: $0.lineCount, source: $0.source,
                            run: $0.run, runLabel: $0.runLabel)
                }),
            diagnoses: diagnoses ? analysis.diagnoses.map { DiagnosisRecord($0, ranked: true) } : [],
            excerpts: analysis.excerpts.map { e in
                ExcerptJSON(job: e.job, source: e.source, explained: e.explained,
                            lines: e.lines.map { LineJSON(line: $0.line, text: $0.text.value, new: $0.new) })
            },
            notices: p.notices,
            summary: Summary(
                errors: analysis.diagnoses.filter { $0.severity == .error }.count,
                warnings: analysis.diagnoses.filter { $0.severity == .warning }.count,
                infos: analysis.diagnoses.filter { $0.severity == .info }.count))
    }
}
