import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Several runs of one pipeline given together: which job belongs to which run, and how the
/// diagnosis, the text and the JSON tell two runs of a job apart.
@Suite struct RunRecognizerTests {
    @Test func pathsNameRunsAndAttempts() {
        #expect(RunRecognizer.runNumber(inPath: "logs/run-7301/build.log") == 7301)
        #expect(RunRecognizer.runNumber(inPath: "01-run-1042-assets.log") == 1042)
        #expect(RunRecognizer.runNumber(inPath: "attempt_2/build") == 2)
        #expect(RunRecognizer.runNumber(inPath: "Run #15 test.txt") == 15)
        #expect(RunRecognizer.runNumber(inPath: "runs/run-2/test.log") == 2)
    }

    @Test func wordsThatOnlyContainRunNameNone() {
        #expect(RunRecognizer.runNumber(inPath: "rerun-3.log") == nil)
        #expect(RunRecognizer.runNumber(inPath: "pruning2.log") == nil)
        #expect(RunRecognizer.runNumber(inPath: "run-12a.log") == nil)
        #expect(RunRecognizer.runNumber(inPath: "fixtures/next-run/site.log") == nil)
        #expect(RunRecognizer.runNumber(inPath: "build.log") == nil)
    }

    func jobs(_ specs: [(name: String, source: String)]) -> [Job] {
        specs.enumerated().map { Job(index: $0.offset, name: $0.element.name, source: $0.element.source, format: .githubActions) }
    }

    @Test func runNumbersInPathsOrderTheRuns() {
        let runs = RunRecognizer.runs(of: jobs([("deploy", "run-7302/deploy.log"), ("build", "run-7301/build.log")]))
        #expect(runs.map { $0?.run } == [2, 1])
        #expect(runs.map { $0?.label } == ["run 7302", "run 7301"])
    }

    @Test func oneRunNumberForAllIsOneRun() {
        // A folder named after one run, whatever it holds.
        let runs = RunRecognizer.runs(of: jobs([("build", "/tmp/run-3/build.log"), ("test", "/tmp/run-3/test.log")]))
        #expect(runs.allSatisfy { $0 == nil })
    }

    @Test func aJobNameThatComesBackStartsTheNextRun() {
        let runs = RunRecognizer.runs(of: jobs([
            ("setup", "a.log"), ("build", "b.log"), ("setup", "c.log"), ("build", "d.log"), ("test", "e.log"),
        ]))
        #expect(runs.map { $0?.run } == [1, 1, 2, 2, 2])
        #expect(runs.last??.label == "run 2")
    }

    @Test func aNameTwiceInTheCurrentRunStartsTheNextRunToo() {
        // Matrix jobs of one workflow share a name in their logs (`build (3.10)` from two runs),
        // and a scan of a flat folder takes them as one pipeline: no run may hold a name twice,
        // or the database refuses two excerpts of one job.
        let runs = RunRecognizer.runs(of: jobs([
            ("build", "1.log"), ("build", "2.log"), ("test", "3.log"), ("test", "4.log"), ("lint", "5.log"),
        ]))
        #expect(runs.map { $0?.run } == [1, 2, 2, 3, 3])
        let labels = zip(["build", "build", "test", "test", "lint"], runs).map { "\($0) \($1?.label ?? "")" }
        #expect(Set(labels).count == labels.count)
    }

    @Test func distinctNamesWithoutRunNumbersAreOneRun() {
        let runs = RunRecognizer.runs(of: jobs([("build", "build.log"), ("test", "test.log")]))
        #expect(runs.allSatisfy { $0 == nil })
    }

    @Test func theRunsReadApartInTheDiagnosisTextAndJSON() throws {
        let folder = Repo.fixtures + "/pipelines/gha-cache-saved-in-earlier-run-other-paths"
        let analysis = try diagnose([folder])
        let ordered = analysis.pipeline.jobsInOrder
        #expect(ordered.map(\.displayName) == ["build (run 7301)", "deploy (run 7302)"])
        #expect(ordered.map(\.run) == [1, 2])
        let first = try #require(analysis.diagnoses.first)
        #expect(first.rule == "github-cache-saved-in-earlier-run-missed")
        #expect(first.jobs == ["build (run 7301)", "deploy (run 7302)"])
        #expect(first.explanation.contains("Job build (run 7301) saved site-Linux-4f9a1c2e7b with the paths public. In a later run, job deploy (run 7302)"))
        #expect(first.explanation.contains("with the paths ./public"))
        let text = TextRenderer(color: false).render(analysis)
        #expect(text.hasPrefix("logdx: github pipeline, 2 jobs: build (run 7301) (success), deploy (run 7302) (failed"))

        let json = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(analysis).utf8))
        let problems = try ReportTests.diagnosisSchema().validate(JSONValue(foundation: json))
        #expect(problems.isEmpty, "\(problems.map(\.description))")
        let jobs = try #require(((json as? [String: Any])?["pipeline"] as? [String: Any])?["jobs"] as? [[String: Any]])
        #expect(jobs.map { $0["run"] as? Int } == [1, 2])
        #expect(jobs.map { $0["run_label"] as? String } == ["run 7301", "run 7302"])
    }

    @Test func aSingleRunKeepsItsJSON() throws {
        let analysis = try diagnose([Repo.seed])
        let json = try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(analysis).utf8))
        let jobs = try #require(((json as? [String: Any])?["pipeline"] as? [String: Any])?["jobs"] as? [[String: Any]])
        #expect(jobs.allSatisfy { $0["run"] == nil && $0["run_label"] == nil })
        #expect(analysis.pipeline.jobs.allSatisfy { $0.displayName == $0.name })
    }
}
