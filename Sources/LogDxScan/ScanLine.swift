import Foundation
import LogDx

/// One line of `scan --jsonl`: the pipeline's JSON document, as `diagnose --format json` prints
/// it, with a `scan` member saying what was scanned. Encoded in one pass: the document was once
/// printed, parsed back into dictionaries and printed again, which took a fifth of a scan.
struct ScanLine: Encodable {
    let document: JSONRenderer.Document?
    let scan: Scan

    struct Scan: Encodable {
        var pipeline: String
        var key: String
        var files: [String]
        var rulesVersion: String
        var seenAt: String
        /// The exact time the database orders by; the ISO form drops the fraction of a second.
        var seenAtUnix: Double
        var seenFrom: String
        var error: String?
        var fileErrors: [String: String]?
        var unexplained: [Unexplained]?

        enum CodingKeys: String, CodingKey {
            case pipeline, key, files, rulesVersion = "rules_version", seenAt = "seen_at", seenAtUnix = "seen_at_unix"
            case seenFrom = "seen_from", error
            case fileErrors = "file_errors", unexplained
        }
    }

    struct Unexplained: Encodable {
        var job: String
        var line: Int
        var text: String
        var signature: String
    }

    enum CodingKeys: String, CodingKey {
        case scan
    }

    /// - Parameter diagnoses: false to leave the diagnoses out (see `JSONRenderer.splicing`).
    init(_ result: PipelineResult, diagnoses: Bool = true) {
        document = result.analysis.map { JSONRenderer().document($0, diagnoses: diagnoses) }
        scan = Scan(
            pipeline: result.pipeline.name, key: result.pipeline.key, files: result.pipeline.files.map(\.path),
            rulesVersion: result.rulesVersion, seenAt: ReportDates.iso(result.seenAt), seenAtUnix: result.seenAt,
            seenFrom: result.seenFromLog ? "log" : "mtime", error: result.error,
            fileErrors: result.fileErrors.isEmpty ? nil : result.fileErrors,
            unexplained: result.failures.isEmpty ? nil : result.failures.map {
                Unexplained(job: $0.job, line: $0.signature.line, text: $0.signature.text, signature: $0.signature.normalized)
            })
    }

    /// The document's members and `scan` side by side in one object.
    func encode(to encoder: Encoder) throws {
        try document?.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(scan, forKey: .scan)
    }
}
