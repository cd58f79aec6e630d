import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Every class of bad input ends in a clear message or a graceful result, never a crash or hang.
@Suite struct BadInputTests {
    @Test func emptyInputSaysSo() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("empty.log", "")
        #expect(throws: InputError.empty(sources: [file])) { try diagnose([file]) }
        #expect(InputError.empty(sources: [file]).description.contains("no log lines to analyse"))
    }

    @Test func missingFileIsNamed() {
        #expect(throws: InputError.notFound(path: "/nonexistent/job.log")) { try diagnose(["/nonexistent/job.log"]) }
    }

    @Test func binaryDataIsRefusedWithTheOffset() throws {
        let folder = TemporaryDirectory()
        var bytes = [UInt8](repeating: 0, count: 4096)
        for i in stride(from: 0, to: bytes.count, by: 3) { bytes[i] = UInt8(i % 251) }
        let file = folder.write("core.dump", Data(bytes))
        do {
            _ = try diagnose([file])
            Issue.record("binary input must be refused")
        } catch let error as InputError {
            guard case .binary(let path, let detail) = error else {
                Issue.record("expected .binary, got \(error)")
                return
            }
            #expect(path == file)
            #expect(detail.contains("NUL"))
        }
    }

    @Test(arguments: [("job.log.gz", [UInt8]([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00])), ("job.log.zst", [0x28, 0xb5, 0x2f, 0xfd, 0x04, 0x00])])
    func aCompressedFileThatHoldsNoLineSaysItIsDamagedAndHowToCheck(_ name: String, _ bytes: [UInt8]) throws {
        let folder = TemporaryDirectory()
        let file = folder.write(name, Data(bytes))
        do {
            _ = try diagnose([file])
            Issue.record("a compressed file cut off in its header has nothing to diagnose")
        } catch let error as InputError {
            guard case .damaged(let path, let detail) = error else {
                Issue.record("expected .damaged, got \(error)")
                return
            }
            #expect(path == file)
            #expect(detail.contains(name.hasSuffix(".gz") ? "gzip data ends early" : "zstd data ends early"), "\(detail)")
            #expect(error.description.contains("gzip -t") && error.description.contains("zstd -t"))
        }
    }

    @Test func aBinaryFileInAFolderIsSkippedWithANotice() throws {
        let folder = TemporaryDirectory()
        folder.write("a.log", Data([UInt8](repeating: 1, count: 2048)))
        let seed = try String(contentsOfFile: Repo.seed, encoding: .utf8)
        folder.write("b.log", seed)
        let analysis = try diagnose([folder.path])
        #expect(analysis.diagnoses.first?.rule == "python-packages-not-carried")
        #expect(analysis.pipeline.notices.contains { $0.source.hasSuffix("a.log") && $0.message.contains("skipped") })
    }

    @Test func invalidUTF8AndStrayNULsDoNotHideTheDiagnosis() throws {
        let folder = TemporaryDirectory()
        var data = Data(try String(contentsOfFile: Repo.seed, encoding: .utf8).utf8)
        // Garbage in the middle of a job's output, as a tool printing binary data would leave.
        let insertAt = data.firstRange(of: Data("uv-install $ uv cache prune".utf8))!.lowerBound
        data.insert(contentsOf: Data("uv-install > \u{0}\u{0}garbage ".utf8) + Data([0xff, 0xfe, 0xc0, 0x0a]), at: insertAt)
        let file = folder.write("mangled.log", data)
        let analysis = try diagnose([file])
        #expect(analysis.diagnoses.first?.rule == "python-packages-not-carried")
    }

    @Test func crlfLineEndingsGiveTheSameDiagnosis() throws {
        let folder = TemporaryDirectory()
        let seed = try String(contentsOfFile: Repo.seed, encoding: .utf8)
        let file = folder.write("crlf.log", seed.replacingOccurrences(of: "\n", with: "\r\n"))
        let lf = try diagnose([Repo.seed])
        let crlf = try diagnose([file])
        #expect(crlf.diagnoses.map(\.title) == lf.diagnoses.map(\.title))
        #expect(crlf.diagnoses.first?.evidence.map(\.line) == lf.diagnoses.first?.evidence.map(\.line))
    }

    @Test func aHundredMegabyteLineIsShortenedNotHeld() throws {
        let folder = TemporaryDirectory()
        let path = folder.path + "/huge.log"
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        let seed = try String(contentsOfFile: Repo.seed, encoding: .utf8)
        let lines = seed.split(separator: "\n", omittingEmptySubsequences: false)
        handle.write(Data((lines[0..<20].joined(separator: "\n") + "\nuv-install > ").utf8))
        let block = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
        for _ in 0..<100 { handle.write(block) }
        handle.write(Data(("\n" + lines[20...].joined(separator: "\n")).utf8))
        try handle.close()

        let analysis = try diagnose([path])
        #expect(analysis.diagnoses.first?.rule == "python-packages-not-carried")
        let notice = try #require(analysis.pipeline.notices.first { $0.line == 21 })
        #expect(notice.message.contains("100 MiB"))
        #expect(notice.message.contains("64 KiB"))
        // Evidence after the long line keeps the original numbering.
        #expect(analysis.diagnoses.first?.evidence.last?.line == 39)
    }

    @Test func truncatedTraceStillDiagnosesWhatItHas() throws {
        let folder = TemporaryDirectory()
        let trace = try String(contentsOfFile: Repo.fixtures + "/pipelines/seed-uv-system-python-runner/test.log", encoding: .utf8)
        // Cut in the middle of a line, before the job's result: status stays unknown.
        let cut = String(trace[..<trace.range(of: "warning: Package(s) not found for: rdflib")!.upperBound])
        folder.write("test.log", cut)
        folder.write("uv-install.log", try String(contentsOfFile: Repo.fixtures + "/pipelines/seed-uv-system-python-runner/uv-install.log", encoding: .utf8))
        let analysis = try diagnose([folder.path])
        #expect(analysis.pipeline.jobsInOrder.map(\.status) == [.success, .unknown])
        #expect(analysis.diagnoses.first?.rule == "python-packages-not-carried")
    }
}

/// A user-written pattern that backtracks catastrophically is stopped by PCRE2's match limit,
/// reported with its definition and line, and skipped for that line — never a hang.
@Suite struct PatternLimitTests {
    @Test func aCatastrophicPatternIsReportedAndSkipped() throws {
        let folder = TemporaryDirectory()
        folder.write("rules/events/slow.yaml", """
        events:
          - id: nested-quantifier
            kind: demo.slow
            pattern: '^(a+)+b\\1$'
            literals: [aab]
            examples: [aaba]
        """)
        // A rule must use the kind: the diagnoser compiles only the patterns its rules need.
        folder.write("rules/demo/slow-rule.yaml", """
        id: slow-rule
        ecosystem: demo
        severity: warning
        summary: Uses the slow pattern.
        match: [{ as: s, event: demo.slow }]
        title: 'slow line {{s.line}}'
        explanation: x
        fixes: [{ summary: x }]
        """)
        let log = folder.write("job.log", "starting\n" + String(repeating: "a", count: 5_000) + "b" + String(repeating: "a", count: 5_001) + "\n" + "done\n")
        let rules = try RuleSet.load(from: [folder.path + "/rules"])
        var tokenizer = Tokenizer(rules: rules)
        let started = ContinuousClock.now
        let pipeline = try PipelineReader().read([log], into: &tokenizer)
        #expect(ContinuousClock.now - started < .seconds(10))
        let hit = try #require(tokenizer.limitHits.first)
        #expect(hit.definition == "nested-quantifier")
        #expect(hit.line == 2)
        #expect(tokenizer.store.events.filter { $0.kind == "demo.slow" }.isEmpty)
        #expect(pipeline.jobs[0].lineCount == 3)
        // Through the whole flow it becomes a notice naming the pattern and the line.
        let analysis = try Diagnoser(rules: rules).diagnose([log])
        let notice = try #require(analysis.pipeline.notices.first)
        #expect(notice.line == 2 && notice.message.contains("'nested-quantifier' stopped at a PCRE2 limit"))
    }
}
