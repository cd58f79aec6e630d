import Foundation
import LogDxModel

/// A diagnosis as data: the one serialisation of it, which JSON output prints under `diagnoses`
/// and the scan database stores per diagnosis, so both say the same (schema:
/// `diagnosis-v1.schema.json`, `$defs/diagnosis`).
package struct DiagnosisRecord: Encodable {
    package var rule: String
    package var severity: String
    package var title: String
    package var explanation: String
    package var jobs: [String]
    package var evidence: [EvidenceRecord]
    package var fixes: [FixRecord]
    package var docs: [String]
    package var symptoms: [DiagnosisRecord]
    /// Why a diagnosis stands where it does; only on top-level diagnoses (1.4).
    package var rankedBy: RankedBy?
    /// How many more times the rule fired for the same jobs, merged into this one (1.4); absent
    /// when it fired once.
    package var repeats: Int?
    /// The values the rule bound, by reference (`missing.package` → `["rdflib"]`) (1.5).
    package var bindings: [String: [String]]

    enum CodingKeys: String, CodingKey {
        case rule, severity, title, explanation, jobs, evidence, fixes, docs, symptoms, rankedBy = "ranked_by", repeats, bindings
    }

    /// The keys diagnoses are ordered by, in order of precedence.
    package struct RankedBy: Encodable {
        package var severity: String
        /// The failed job went on past this diagnosis to another error (see `DiagnosisRanker`).
        package var survivedByJob: Bool
        package var priority: Int
        /// Where its evidence starts, `job:line`.
        package var firstEvidence: String?

        enum CodingKeys: String, CodingKey {
            case severity, survivedByJob = "survived_by_job", priority, firstEvidence = "first_evidence"
        }
    }

    package struct EvidenceRecord: Encodable {
        package var job: String
        package var source: String
        package var line: Int
        package var text: String
        package var event: String
        package var origin: String
    }

    package struct FixRecord: Encodable {
        package var summary: String
        package var detail: String
        package var patch: String?
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

    /// Each record as `compactJSON` gives it: what `encoderJSON(of:)` gives, written by
    /// `CompactRecordWriter` (the encoder only for a record the writer leaves to it).
    package static func compactJSON(of records: [DiagnosisRecord]) -> [String] {
        var encoder: JSONEncoder?
        return records.map { record in
            var writer = CompactRecordWriter()
            if writer.write(record) { return String(decoding: writer.bytes, as: UTF8.self) }
            let made = encoder ?? compactEncoder()
            encoder = made
            return (try? made.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        }
    }

    /// Each record through `JSONEncoder`: the definition `compactJSON(of:)` is held to.
    package static func encoderJSON(of records: [DiagnosisRecord]) -> [String] {
        let encoder = compactEncoder()
        return records.map { record in (try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}" }
    }

    private static func compactEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }
}
