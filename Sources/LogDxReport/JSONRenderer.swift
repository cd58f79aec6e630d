import Foundation
import LogDxDiagnose
import LogDxModel

/// Machine-readable output. Its shape is a contract, versioned by `schemaVersion` and described by
/// `diagnosis-v1.schema.json`: fields are only ever added within a major version. Its id is the
/// schema's path in the logdx repository (no server publishes it), the same in the schema's `$id`.
public struct JSONRenderer: Renderer {
    public static let schemaVersion = "1.4"
    public static let schemaID = "Sources/LogDx/Report/diagnosis-v1.schema.json"

    public init() {}

    package struct Document: Encodable {
        package var schema = JSONRenderer.schemaID
        package var schemaVersion = JSONRenderer.schemaVersion
        package var tool = Tool()
        package var pipeline: PipelineJSON
        package var diagnoses: [DiagnosisJSON]
        package var excerpts: [ExcerptJSON]
        package var notices: [Notice]
        package var summary: Summary

        package enum CodingKeys: String, CodingKey {
            case schema = "$schema", schemaVersion = "schema_version", tool, pipeline, diagnoses, excerpts, notices, summary
        }
    }

    package struct Tool: Encodable {
        package var name = "logdx"
        package var version = LogDxVersion.current
    }

    package struct PipelineJSON: Encodable {
        package var format: String
        package var jobs: [JobJSON]
    }

    package struct JobJSON: Encodable {
        package var name: String
        package var stage: String?
        package var status: String
        package var exitCode: Int?
        package var lineCount: Int
        package var source: String
        package var run: Int?
        package var runLabel: String?

        package enum CodingKeys: String, CodingKey {
            case name, stage, status, exitCode = "exit_code", lineCount = "line_count", source, run, runLabel = "run_label"
        }

        package func encode(to encoder: Encoder) throws {
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

    package struct DiagnosisJSON: Encodable {
        package var rule: String
        package var severity: String
        package var title: String
        package var explanation: String
        package var jobs: [String]
        package var evidence: [EvidenceJSON]
        package var fixes: [FixJSON]
        package var docs: [String]
        package var symptoms: [DiagnosisJSON]
        /// Why a diagnosis stands where it does; only on top-level diagnoses (1.4).
        package var rankedBy: RankedBy?
        /// How many more times the rule fired for the same jobs, merged into this one (1.4); absent
        /// when it fired once.
        package var repeats: Int?

        package enum CodingKeys: String, CodingKey {
            case rule, severity, title, explanation, jobs, evidence, fixes, docs, symptoms, rankedBy = "ranked_by", repeats
        }
    }

    /// The keys diagnoses are ordered by, in order of precedence.
    package struct RankedBy: Encodable {
        package var severity: String
        /// The failed job went on past this diagnosis to another error (see `DiagnosisRanker`).
        package var survivedByJob: Bool
        package var priority: Int
        /// Where its evidence starts, `job:line`.
        package var firstEvidence: String?

        package enum CodingKeys: String, CodingKey {
            case severity, survivedByJob = "survived_by_job", priority, firstEvidence = "first_evidence"
        }
    }

    package struct EvidenceJSON: Encodable {
        package var job: String
        package var source: String
        package var line: Int
        package var text: String
        package var event: String
        package var origin: String
    }

    package struct ExcerptJSON: Encodable {
        package var job: String
        package var source: String
        package var explained: Bool
        package var lines: [LineJSON]
    }

    package struct LineJSON: Encodable {
        package var line: Int
        package var text: String
        package var new: Bool?
    }

    package struct FixJSON: Encodable {
        package var summary: String
        package var detail: String
        package var patch: String?
    }

    package struct Summary: Encodable {
        package var errors: Int
        package var warnings: Int
        package var infos: Int
    }

    package static func diagnosisJSON(_ d: Diagnosis) -> DiagnosisJSON {
        DiagnosisJSON(
            rule: d.rule, severity: d.severity.rawValue, title: d.title, explanation: d.explanation, jobs: d.jobs,
            evidence: d.evidence.map { EvidenceJSON(job: $0.job, source: $0.source, line: $0.line, text: $0.text, event: $0.event, origin: $0.origin.rawValue) },
            fixes: d.fixes.map { FixJSON(summary: $0.summary, detail: $0.detail, patch: $0.patch) }, docs: d.docs,
            symptoms: d.symptoms.map(diagnosisJSON), rankedBy: nil, repeats: d.repeats > 0 ? d.repeats : nil)
    }

    package static func rankedDiagnosisJSON(_ d: Diagnosis) -> DiagnosisJSON {
        var json = diagnosisJSON(d)
        json.rankedBy = RankedBy(severity: d.severity.rawValue, survivedByJob: d.survived, priority: d.priority, firstEvidence: d.evidence.first?.place)
        return json
    }

    public func render(_ analysis: Analysis) -> String {
        let p = analysis.pipeline
        let document = Document(
            pipeline: PipelineJSON(
                format: p.format?.rawValue ?? "mixed",
                jobs: p.jobsInOrder.map {
                    JobJSON(name: $0.name, stage: $0.stage, status: $0.status.rawValue, exitCode: $0.exitCode, lineCount: $0.lineCount, source: $0.source,
                            run: $0.run, runLabel: $0.runLabel)
                }),
            diagnoses: analysis.diagnoses.map(Self.rankedDiagnosisJSON),
            excerpts: analysis.excerpts.map { e in
                ExcerptJSON(job: e.job, source: e.source, explained: e.explained,
                            lines: e.lines.map { LineJSON(line: $0.line, text: $0.text, new: $0.new) })
            },
            notices: p.notices,
            summary: Summary(
                errors: analysis.diagnoses.filter { $0.severity == .error }.count,
                warnings: analysis.diagnoses.filter { $0.severity == .warning }.count,
                infos: analysis.diagnoses.filter { $0.severity == .info }.count))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }
}
