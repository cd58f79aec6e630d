import Foundation
import Testing
import LogDx
import TestSupport
@testable import LogDxScan

/// A scan encodes each diagnosis once, for its database row and for its JSON line, and splices
/// them into the line: the line must be the text encoding the whole document gives, byte for
/// byte, in order, on one core or many.
@Suite struct ScanLineTests {
    static func wholeLine(_ result: PipelineResult) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(ScanLine(result)), as: UTF8.self)
    }

    static func result(_ analysis: Analysis?) -> PipelineResult {
        PipelineResult(
            pipeline: ScanPipeline(key: "/logs/p1", name: "p1", files: []), rulesVersion: "test", hashes: [:], fileErrors: [:],
            analysis: analysis, error: analysis == nil ? "unreadable" : nil, seenAt: 1_700_000_000, seenFromLog: false, failures: [])
    }

    @Test(arguments: [1, PipelineScanner.concurrentOutputDiagnoses + 13])
    func aSplicedLineIsTheWholeDocument(copies: Int) throws {
        let seed = try Diagnoser(rules: ScanRepo.rules).diagnose([RepositoryPaths.seed])
        #expect(!seed.diagnoses.isEmpty)
        let analysis = ScanRepo.copying(seed, times: copies)
        let result = Self.result(analysis)
        let documents = PipelineScanner.documents(of: analysis.diagnoses)
        #expect(documents.count == analysis.diagnoses.count)
        #expect(PipelineScanner.jsonLine(result, documents: documents) == (try Self.wholeLine(result)))
    }

    @Test func aLineWithoutAnalysisOrWithTheWrongPrefixIsEncodedWhole() throws {
        let failed = Self.result(nil)
        #expect(PipelineScanner.jsonLine(failed, documents: []) == (try Self.wholeLine(failed)))
        #expect(JSONRenderer.splicing(diagnoses: ["{}"], into: #"{"$schema":"elsewhere","diagnoses":[]}"#) == nil)
        #expect(JSONRenderer.splicing(diagnoses: ["{}"], into: #"{"$schema":"\#(JSONRenderer.schemaID)","diagnoses":[{}]}"#) == nil)
    }
}
