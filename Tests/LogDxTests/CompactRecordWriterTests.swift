import Foundation
import Testing
@testable import LogDx
import TestSupport

/// `DiagnosisRecord.compactJSON` writes records by hand (`CompactRecordWriter`) and must give
/// what `JSONEncoder` gives, byte for byte: the scan database stores it and the JSON renderer
/// splices it into its document (a versioned contract). Compared on the diagnoses of every
/// fixture pipeline and of every rule fixture, and on records whose strings hold every ASCII
/// byte, quotes, backslashes, slashes, DEL and non-ASCII text, with binding names drawn from
/// letters of both cases, digits, `.`, `_` and `-` (the order the encoder sorts them in).
@Suite struct CompactRecordWriterTests {
    static func records(in folder: String) throws -> [DiagnosisRecord] {
        let analysis = try Diagnoser(rules: Repo.builtInRules).diagnose([folder])
        return analysis.diagnoses.map { DiagnosisRecord($0, ranked: true) }
    }

    @Test func fixtureDiagnosesAreWrittenAsTheEncoderWritesThem() throws {
        var records: [DiagnosisRecord] = []
        let pipelines = Repo.fixtures + "/pipelines"
        for name in try FileManager.default.contentsOfDirectory(atPath: pipelines).sorted() {
            records += (try? Self.records(in: pipelines + "/" + name)) ?? []
        }
        // Each rule's fixture folder (Fixtures/rules/<ecosystem>/<rule>/), read as a pipeline.
        let rules = Repo.fixtures + "/rules"
        for ecosystem in try FileManager.default.contentsOfDirectory(atPath: rules).sorted() {
            let folder = rules + "/" + ecosystem
            for rule in (try? FileManager.default.contentsOfDirectory(atPath: folder).sorted()) ?? [] {
                records += (try? Self.records(in: folder + "/" + rule)) ?? []
            }
        }
        #expect(records.count > 200)
        #expect(records.contains { !$0.symptoms.isEmpty } && records.contains { !$0.bindings.isEmpty })
        let written = DiagnosisRecord.compactJSON(of: records)
        let encoded = DiagnosisRecord.encoderJSON(of: records)
        for (index, record) in records.enumerated() where written[index] != encoded[index] {
            Issue.record("\(record.rule): written \(written[index])\nencoded \(encoded[index])")
        }
    }

    @Test func awkwardStringsAndKeysAreWrittenAsTheEncoderWritesThem() throws {
        let base = try #require(try Self.records(in: Repo.fixtures + "/pipelines/seed-uv-github").first)
        #expect(!base.fixes.isEmpty && !base.evidence.isEmpty && base.rankedBy != nil)
        var generator = SystemRandomNumberGenerator()
        let pieces = (0..<128).map { String(UnicodeScalar(UInt8($0))) } + ["é", "日本", "🙂", "\u{2028}", "\u{2029}", "\u{FEFF}", "//", "\\\\", "\"\""]
        func text() -> String {
            (0..<Int.random(in: 0...12, using: &generator)).map { _ in pieces.randomElement(using: &generator) ?? "" }.joined()
        }
        let keyBytes = Array("abcxyzABCXYZ0123456789._-".utf8)
        func key() -> String {
            String(decoding: (0..<Int.random(in: 1...6, using: &generator)).map { _ in keyBytes.randomElement(using: &generator) ?? 0x61 }, as: UTF8.self)
        }
        var records: [DiagnosisRecord] = []
        for round in 0..<2_000 {
            var record = base
            record.title = text()
            record.explanation = text()
            record.jobs = [text(), text()]
            record.docs = [text()]
            record.evidence = record.evidence.map { var evidence = $0; evidence.text = text(); evidence.job = text(); evidence.line = round; return evidence }
            record.fixes = record.fixes.map { fix in
                var fix = fix
                fix.summary = text()
                fix.detail = text()
                fix.patch = round % 2 == 0 ? text() : nil
                return fix
            }
            record.bindings = Dictionary((0..<Int.random(in: 0...6, using: &generator)).map { _ in (key(), [text()]) }, uniquingKeysWith: { first, _ in first })
            record.repeats = round % 3 == 0 ? round : nil
            record.rankedBy?.firstEvidence = round % 5 == 0 ? nil : text()
            record.symptoms = round % 4 == 0 ? [base] : []
            records.append(record)
        }
        #expect(DiagnosisRecord.compactJSON(of: records) == DiagnosisRecord.encoderJSON(of: records))
    }
}
