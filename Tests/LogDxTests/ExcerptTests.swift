import Foundation
import Testing
@testable import LogDx
@testable import LogDxExcerpt
import TestSupport

@Suite struct ExcerptTests {
    static let noise = (1...400).map { "ok   github.com/acme/svc/pkg/mod\($0)  0.\($0 % 9)1s" }

    static let failingGoJob = ["$ go test ./..."] + noise + [
        "--- FAIL: TestParseConfig (0.00s)",
        "    config_test.go:42: expected port 8080, got 0",
        "FAIL",
        "FAIL\tgithub.com/acme/svc/config\t0.012s",
        "FAIL",
    ] + (1...30).map { "Uploading cache part \($0) of 30" } + ["ERROR: Job failed: exit code 1"]

    /// No rules: the excerpt is what logdx shows when none applies, whatever the library holds.
    static let withoutRules = Diagnoser(rules: RuleSet(events: [], rules: [], sources: []))

    @Test func aFailedJobNoRuleExplainsGetsItsTellingLines() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("unit.log", Self.failingGoJob.joined(separator: "\n") + "\n")
        let analysis = try Self.withoutRules.diagnose([file])
        let excerpt = try #require(analysis.excerpts.first)
        #expect(excerpt.job == "unit")
        #expect(!excerpt.explained)
        #expect(excerpt.lines.count <= 20)
        let shown = Dictionary(uniqueKeysWithValues: excerpt.lines.map { ($0.line, $0.text) })
        #expect(shown[402] == "--- FAIL: TestParseConfig (0.00s)")
        #expect(shown[403] == "    config_test.go:42: expected port 8080, got 0")
        #expect(!excerpt.lines.contains { $0.text.value.hasPrefix("ok ") })
        let text = TextRenderer(color: false).render(analysis)
        #expect(text.contains("No rule explains why job unit failed"))
        #expect(text.contains("unit:403  " + "    config_test.go:42: expected port 8080, got 0"))
    }

    /// Past `Diagnoser.concurrentExcerptJobs` jobs, excerpts are chosen on all cores, each thread
    /// with its own scorer and redactor: every job must get the excerpt it gets alone, in order.
    @Test func manyJobsGetTheExcerptsEachGetsAlone() throws {
        let folder = TemporaryDirectory()
        // Varied jobs: the failing lines sit at different places, one holds a token to redact.
        var files: [String] = []
        for index in 0..<(Diagnoser.concurrentExcerptJobs + 9) {
            var lines = Self.failingGoJob
            lines.insert(contentsOf: (0..<(index % 7)).map { "step \(index).\($0) done" }, at: 1)
            if index % 5 == 0 { lines.insert("    config_test.go:9: token=glpat-\(String(repeating: "x", count: 20)) rejected", at: 405) }
            files.append(folder.write(String(format: "job%03d.log", index), lines.joined(separator: "\n") + "\n"))
        }
        let together = try Self.withoutRules.diagnose(files)
        #expect(together.excerpts.count == files.count)
        for (index, file) in files.enumerated() {
            let alone = try #require(try Self.withoutRules.diagnose([file]).excerpts.first)
            let excerpt = together.excerpts[index]
            #expect(excerpt.job == alone.job)
            #expect(excerpt.lines.map(\.line) == alone.lines.map(\.line))
            #expect(excerpt.lines.map(\.text) == alone.lines.map(\.text))
        }
        #expect(!together.excerpts.contains { $0.lines.contains { $0.text.value.contains("glpat-xxxx") } })
        #expect(together.excerpts[0].lines.contains { $0.text.value.contains("token=") })
    }

    @Test func explainedJobsKeepTheirExcerptOutOfTheTextButInTheJSON() throws {
        let analysis = try diagnose([Repo.seed])
        #expect(analysis.excerpts.map(\.job) == ["test"])
        #expect(analysis.excerpts.allSatisfy { $0.explained })
        #expect(!TextRenderer(color: false).render(analysis).contains("No rule explains"))
    }

    @Test func withABaselineTheNewLinesLead() throws {
        let folder = TemporaryDirectory()
        var passing = Self.failingGoJob
        passing.replaceSubrange(401...405, with: ["ok   github.com/acme/svc/config  0.012s"])
        passing[passing.count - 1] = "Job succeeded"
        let pass = folder.write("pass/unit.log", passing.joined(separator: "\n") + "\n")
        let fail = folder.write("fail/unit.log", Self.failingGoJob.joined(separator: "\n") + "\n")
        let analysis = try Self.withoutRules.diagnose([fail], baseline: [pass])
        let excerpt = try #require(analysis.excerpts.first)
        let new = excerpt.lines.filter { $0.new == true }.map(\.line)
        #expect(new.contains(402) && new.contains(403))
        #expect(excerpt.lines.filter { $0.new == false }.allSatisfy { !$0.text.value.hasPrefix("Uploading cache") })
        let text = TextRenderer(color: false).render(analysis)
        let newHeader = try #require(text.range(of: "New compared with the passing run"))
        let failLine = try #require(text.range(of: "--- FAIL: TestParseConfig"))
        #expect(newHeader.lowerBound < failLine.lowerBound)
    }

    @Test func excerptsNeverShowSecrets() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("deploy.log", """
        $ ./deploy.sh
        curl: (22) The requested URL returned error: 401
        error: push to https://deploy:glpat-AbCdEfGhIjKlMnOpQrSt@gitlab.example.com/acme/app.git failed
        ERROR: Job failed: exit code 1
        """)
        let analysis = try Self.withoutRules.diagnose([file])
        let shown = analysis.excerpts.flatMap(\.lines).map(\.text.value).joined(separator: "\n")
        #expect(shown.contains("push to https://deploy:[REDACTED]@gitlab.example.com"))
        for format in OutputFormat.allCases {
            #expect(!format.renderer(color: false).render(analysis).contains("glpat-"), "\(format) leaks the token")
        }
    }

    @Test func memoryStaysBoundedWhenEveryLineLooksLikeAnError() {
        var collector = ExcerptCollector()
        for number in 1...30_000 {
            var text = Array("ERROR connection \(number) failed: timeout".utf8)
            text.withUnsafeMutableBufferPointer { collector.line(job: 0, number: number, text: UnsafeBufferPointer($0)) }
        }
        let kept = collector.lines(ofJob: 0)
        #expect(kept.count <= ExcerptCollector.maxHits * 7 + ExcerptCollector.tailSize)
        #expect(kept.last?.line == 30_000)
    }

    /// Pruned many times over, a job's lines stay in order, each once, and the same input keeps
    /// the same lines (ties at the cut go to the earlier line, not to a dictionary's order).
    @Test func prunedLinesStayInOrderAndTheSameEveryRun() {
        func collect() -> [ExcerptCollector.Stored] {
            var collector = ExcerptCollector()
            for number in 1...30_000 {
                let line = number % 7 == 0 ? "FATAL: panic: traceback in worker \(number), error" : "ERROR connection \(number) failed"
                var text = Array(line.utf8)
                text.withUnsafeMutableBufferPointer { collector.line(job: 0, number: number, text: UnsafeBufferPointer($0)) }
            }
            return collector.lines(ofJob: 0)
        }
        let first = collect(), second = collect()
        #expect(zip(first, first.dropFirst()).allSatisfy { $0.line < $1.line })
        #expect(first.map(\.line) == second.map(\.line))
        // The strong lines outscore the rest: the last ones read are all kept.
        let strongest = first.map(\.words).max() ?? 0
        #expect(Set(first.filter { $0.words == strongest }.map(\.line)).isSuperset(of: stride(from: 29_995, to: 29_800, by: -7)))
    }

    @Test func keptLinesKeepLineOrderWhateverOrderTheyCome() {
        func stored(_ line: Int, words: Int = 3) -> ExcerptCollector.Stored {
            var bytes = Array("line \(line)".utf8)
            return bytes.withUnsafeMutableBufferPointer {
                ExcerptCollector.Stored(line: line, raw: UnsafeBufferPointer($0), words: words, isFooter: false, isContinuation: false, hash: 0)
            }
        }
        var kept = KeptLines()
        for line in [5, 3, 9, 7] { kept.keep(stored(line)) }
        kept.keep(stored(3, words: 8))
        #expect(kept.lines.map(\.line) == [3, 5, 7, 9])
        #expect(kept.lines.first?.words == 8)
        #expect(kept.contains(line: 7) && !kept.contains(line: 4))
        #expect(kept.merged(with: [stored(1), stored(3, words: 0), stored(10)]).map { [$0.line, $0.words] } == [[1, 3], [3, 8], [5, 3], [7, 3], [9, 3], [10, 3]])
        kept.keepBest(2)
        #expect(kept.lines.map(\.line) == [3, 5])
    }

    @Test func maskingIgnoresWhatChangesBetweenRuns() {
        func hash(_ s: String) -> UInt64 {
            var bytes = Array(s.utf8)
            return bytes.withUnsafeMutableBufferPointer { VolatileMask.hash(UnsafeBufferPointer($0)) }
        }
        #expect(hash("Finished in 12.3s at 2025-01-07T10:24:54Z") == hash("Finished in 9.87s at 2024-12-31T23:59:59Z"))
        #expect(hash("wrote /tmp/tmp.J90LRjpRsY/out") == hash("wrote /tmp/tmp.Ab12Cd34Ef/out"))
        #expect(hash("--- FAIL: TestParseConfig") != hash("--- PASS: TestParseConfig"))
    }
}
