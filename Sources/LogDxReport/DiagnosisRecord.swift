import Foundation
import LogDxModel

/// A diagnosis as data: the one serialisation of it, which JSON output prints under `diagnoses`
/// and the scan database stores per diagnosis, so both say the same (schema:
/// `diagnosis-v1.schema.json`, `$defs/diagnosis`).
package struct DiagnosisRecord: Encodable {
    var rule: String
    var severity: String
    var title: String
    var explanation: String
    var jobs: [String]
    var evidence: [EvidenceRecord]
    var fixes: [FixRecord]
    var docs: [String]
    var symptoms: [DiagnosisRecord]
    /// Why a diagnosis stands where it does; only on top-level diagnoses (1.4).
    var rankedBy: RankedBy?
    /// How many more times the rule fired for the same jobs, merged into this one (1.4); absent
    /// when it fired once.
    var repeats: Int?
    /// The values the rule bound, by reference (`missing.package` → `["rdflib"]`) (1.5).
    var bindings: [String: [String]]

    enum CodingKeys: String, CodingKey {
        case rule, severity, title, explanation, jobs, evidence, fixes, docs, symptoms, rankedBy = "ranked_by", repeats, bindings
    }

    /// The keys diagnoses are ordered by, in order of precedence.
    struct RankedBy: Encodable {
        var severity: String
        /// The failed job went on past this diagnosis to another error (see `DiagnosisRanker`).
        var survivedByJob: Bool
        var priority: Int
        /// Where its evidence starts, `job:line`.
        var firstEvidence: String?

        enum CodingKeys: String, CodingKey {
            case severity, survivedByJob = "survived_by_job", priority, firstEvidence = "first_evidence"
        }
    }

    struct EvidenceRecord: Encodable {
        var job: String
        var source: String
        var line: Int
        var text: String
        var event: String
        var origin: String
    }

    struct FixRecord: Encodable {
        var summary: String
        var detail: String
        var patch: String?
    }

    /// `ranked`: a top-level diagnosis, which says why it stands where it does; symptoms do not.
    package init(_ d: Diagnosis, ranked: Bool) {
        rule = d.rule
        severity = d.severity.rawValue
        title = d.title
        explanation = d.explanation
        jobs = d.jobs
        evidence = d.evidence.map {
            EvidenceRecord(job: $0.job, source: $0.source, line: $0.line, text: $0.text.value, event: $0.event, origin: $0.origin.rawValue)
        }
        fixes = d.fixes.map { FixRecord(summary: $0.summary, detail: $0.detail, patch: $0.patch) }
        docs = d.docs
        symptoms = d.symptoms.map { DiagnosisRecord($0, ranked: false) }
        rankedBy = ranked
            ? RankedBy(severity: d.severity.rawValue, survivedByJob: d.survived, priority: d.priority, firstEvidence: d.evidence.first?.place)
            : nil
        repeats = d.repeats > 0 ? d.repeats : nil
        bindings = d.bindings
    }

    /// The record on one line, keys sorted: what the scan database stores.
    package var compactJSON: String {
        Self.compactJSON(of: [self])[0]
    }

    /// Each record as `compactJSON` gives it, with one encoder for all of them.
    package static func compactJSON(of records: [DiagnosisRecord]) -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return records.map { record in (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
    }
}
