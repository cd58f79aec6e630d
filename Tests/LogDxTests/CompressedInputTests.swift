import Foundation
import Testing
@testable import LogDx
import TestSupport

/// `.gz` and `.zst` logs, and logs already in memory, read by the engine itself: the same
/// diagnosis as the plain file, named as the user has it, and what arrived of a cut-off file.
/// Compressed by the reference tools (`gzip`, `zstd`), not by logdx.
@Suite struct CompressedInputTests {
    static let pipeline = Repo.fixtures + "/pipelines/seed-uv-github"

    /// Rule, jobs and evidence lines (sources reduced to their job name) of every diagnosis.
    static func summary(_ analysis: Analysis) -> [String] {
        analysis.diagnoses.map { diagnosis in
            let evidence = diagnosis.evidence.map { "\(LogFileNames.withoutCompression(($0.source as NSString).lastPathComponent)):\($0.line)" }
            return "\(diagnosis.rule) \(diagnosis.jobs) \(evidence)"
        }
    }

    @Test(arguments: ["gzip", "zstd"])
    func aCompressedPipelineIsDiagnosedAsThePlainOneWithTheNamesOnDisk(_ tool: String) throws {
        let folder = TemporaryDirectory()
        let ext = tool == "gzip" ? "gz" : "zst"
        for name in ["uv-install.log", "test.log"] {
            try ReferenceCompressor.compress(Self.pipeline + "/" + name, with: tool, into: folder.path + "/" + name + "." + ext)
        }
        let plain = try diagnose([Self.pipeline + "/uv-install.log", Self.pipeline + "/test.log"])
        let compressed = try diagnose([folder.path])
        #expect(!plain.diagnoses.isEmpty)
        #expect(Self.summary(compressed) == Self.summary(plain))
        #expect(compressed.pipeline.jobs.map(\.name).sorted() == plain.pipeline.jobs.map(\.name).sorted())
        #expect(compressed.pipeline.jobs.allSatisfy { $0.source.hasSuffix(".log." + ext) }, "\(compressed.pipeline.jobs.map(\.source))")
        #expect(compressed.pipeline.damagedInputs.isEmpty)
    }

    @Test func aCutOffGzipIsDiagnosedAsFarAsItArrivedWithANoticeAtTheCut() throws {
        let folder = TemporaryDirectory()
        let whole = folder.path + "/whole.log.gz"
        try ReferenceCompressor.compress(Repo.seed, with: "gzip", into: whole)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let cut = folder.write("pasted/job.log.gz", bytes.prefix(bytes.count * 3 / 4))
        let analysis = try diagnose([cut])
        let notice = try #require(analysis.pipeline.notices.first { $0.source == cut })
        #expect(notice.message.contains("the gzip data ends early (the file is cut off)"), "\(notice.message)")
        #expect((notice.line ?? 0) > 10)
        #expect(analysis.pipeline.damagedInputs[cut] == notice.message)
        let lines = analysis.pipeline.jobs.reduce(0) { $0 + $1.lineCount }
        let seedLines = try String(contentsOfFile: Repo.seed, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false).count
        #expect(lines > 0 && lines < seedLines)
    }

    @Test func aFileNamedLogThatHoldsGzipIsReadAsGzip() throws {
        let folder = TemporaryDirectory()
        let target = folder.path + "/" + (Repo.seed as NSString).lastPathComponent
        try ReferenceCompressor.compress(Repo.seed, with: "gzip", into: target)
        #expect(Self.summary(try diagnose([target])) == Self.summary(try diagnose([Repo.seed])))
    }

    @Test func logsInMemoryCarryTheNameAndTheJobHintTheCallerGives() throws {
        let log = Array(try String(contentsOfFile: Self.pipeline + "/test.log", encoding: .utf8).utf8)
        let install = Array(try String(contentsOfFile: Self.pipeline + "/uv-install.log", encoding: .utf8).utf8)
        let inputs = [
            LogInput(origin: .bytes(install), name: "https://ci.example/jobs/1", hint: JobHint(name: "uv-install", stage: "build", stageOrder: 0)),
            LogInput(origin: .bytes(log), name: "https://ci.example/jobs/2", hint: JobHint(name: "test", stage: "test", stageOrder: 1, status: .failed)),
        ]
        let analysis = try Diagnoser(rules: Repo.builtInRules).diagnose(inputs)
        let jobs = analysis.pipeline.jobsInOrder
        #expect(jobs.map(\.name) == ["uv-install", "test"])
        #expect(jobs.map(\.source) == ["https://ci.example/jobs/1", "https://ci.example/jobs/2"])
        #expect(!analysis.diagnoses.isEmpty)
        #expect(analysis.diagnoses.flatMap(\.evidence).allSatisfy { $0.source.hasPrefix("https://ci.example/jobs/") })
    }

    @Test func aFolderReadsExtensionlessTracesAndCompressedLogsAndNothingElse() {
        for name in ["trace", "job.log", "job.txt", "job.out", "job.trace", "job.log.gz", "trace.zst", "JOB.LOG.GZ"] {
            #expect(LogFileNames.isLog(name), "\(name)")
        }
        for name in ["notes.md", "report.json", "image.png.gz", "archive.tar.zst"] {
            #expect(!LogFileNames.isLog(name), "\(name)")
        }
        #expect(PipelineReader.jobName(for: "/ci/logs/test.log.gz") == "test")
        #expect(PipelineReader.jobName(for: "trace.zst") == "trace")
    }
}
