import Foundation
import Testing
@testable import LogDx
import TestSupport

/// Every finding has a size a person reads in seconds, and a pipeline never ends with nothing to
/// read. The Maven wording is javac's through maven-compiler-plugin 3.10, as in the real GitHub log
/// `../shared/datasets/cidiff/google_auto_693/fail.log` (lines 600-926).
@Suite struct FindingSizeTests {
    /// A Maven job with `errors` compile errors at long paths, each with javac's `symbol:` and
    /// `location:` lines, then the goal's failure.
    static func mavenJob(errors: Int) -> String {
        let folder = "/home/runner/work/inventory/inventory/service/processor/src/main/java/com/acme/inventory/processor"
        var lines = ["$ mvn -B verify", "[INFO] BUILD", "[ERROR] COMPILATION ERROR : "]
        for n in 1...errors {
            lines.append("[ERROR] \(folder)/StockReservationProcessor\(n).java:[\(n + 20),31] cannot find symbol")
            lines.append("  symbol:   class StockReservation\(n)")
            lines.append("  location: package com.acme.inventory.model")
        }
        lines.append("[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.10.1:compile (default-compile) on project inventory-service: Compilation failure: Compilation failure: ")
        lines.append("ERROR: Job failed: exit code 1")
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func sixtyCompileErrorsGiveOneReadableFinding() throws {
        let folder = TemporaryDirectory()
        let analysis = try diagnose([folder.write("build.log", Self.mavenJob(errors: 60))])
        let finding = try #require(analysis.diagnoses.first { $0.rule == "maven-compilation-error" })
        #expect(finding.title.count <= 120)
        #expect(finding.explanation.contains("more"))
        #expect(finding.explanation.count < 1_500)
        for fix in finding.fixes { #expect(fix.summary.count <= 120) }
        let text = TextRenderer(color: false).render(analysis)
        #expect(text.split(separator: "\n").count < 80)
        // The first few lines of the kind and how many more, not twenty of the same.
        #expect(text.contains("more lines like these"))
        #expect(text.components(separatedBy: "cannot find symbol").count - 1 < 12)
    }

    /// Two failed jest tests of one job (the fixture's wording is jest 29's): one finding with
    /// both tests' lines as evidence, and its advice read once (58 lines at 100 columns before).
    @Test func aRuleThatFiresTwiceInAJobIsOneFinding() throws {
        let analysis = try diagnose([Repo.fixtures + "/rules/javascript/jest-test-failed/gitlab-two-failures.log"])
        let findings = analysis.diagnoses.filter { $0.rule == "jest-test-failed" }
        #expect(findings.count == 1)
        let finding = try #require(findings.first)
        #expect(finding.repeats == 1)
        #expect(finding.evidence.contains { $0.line == 36 } && finding.evidence.contains { $0.line == 53 })
        #expect(finding.explanation.contains("- Jest test \"Cart › rounds totals to whole cents\" failed"))
        let text = TextRenderer(color: false).render(analysis)
        #expect(text.components(separatedBy: "Run the failing test file locally").count - 1 == 1)
        #expect(text.split(separator: "\n", omittingEmptySubsequences: false).count < 45)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(JSONRenderer().render(analysis).utf8)) as? [String: Any])
        let diagnoses = try #require(json["diagnoses"] as? [[String: Any]])
        #expect(diagnoses.first { $0["rule"] as? String == "jest-test-failed" }?["repeats"] as? Int == 1)
        let problems = try ReportTests.diagnosisSchema().validate(JSONValue(foundation: json))
        #expect(problems.isEmpty, "\(problems.map(\.description))")
    }

    /// A repeat nothing explains is never hidden: merging happens after folding.
    @Test func mergingKeepsEveryRepeatsEvidenceAndNamesTheRest() {
        func finding(_ n: Int) -> Diagnosis {
            Diagnosis(rule: "demo", severity: .error, title: "case \(n) failed", explanation: "x", jobs: ["test"],
                      evidence: [Evidence(job: "test", jobIndex: 0, source: "t.log", line: n, text: Redacted(alreadyRedacted: "case \(n)"), event: "demo")],
                      fixes: [Fix(summary: "fix it", detail: "")], docs: [])
        }
        let merged = DiagnosisRanker.mergingRepeats((1...8).map(finding))
        #expect(merged.count == 1)
        #expect(merged[0].evidence.map(\.line) == Array(1...8))
        #expect(merged[0].repeats == 7)
        #expect(merged[0].explanation.contains("- case 6 failed\n- and 2 more"))
        var patched = finding(9)
        patched.fixes = [Fix(summary: "fix it", detail: "", patch: "--- a\n+++ b\n")]
        #expect(DiagnosisRanker.mergingRepeats([finding(1), patched]).count == 2)
    }

    @Test func aLastValueIsNamedRatherThanCountedAsOneMore() {
        let budget = ProseBudget.body
        #expect(budget.shown(["a", "b", "c", "d", "e", "f"]) == ["a", "b", "c", "d", "e", "f"])
        #expect(budget.shown(["a", "b", "c", "d", "e", "f", "g"]) == ["a", "b", "c", "d", "e", "2 more"])
        #expect(ProseBudget.title.shown(["rake", "zeitwerk", "nokogiri", "rspec-core"]) == ["rake", "zeitwerk", "nokogiri", "rspec-core"])
    }

    @Test func longNamesLoseTheirMiddleAndMessagesTheirEnd() {
        let key = "npm-Linux-3945237241d10b7ce237971c66a40cdccfc12e92d350ecd24bb774780f653868"
        let cut = ProseBudget.middleCut(key, to: 40)
        #expect(cut.count == 40)
        #expect(cut.hasPrefix("npm-Linux-") && cut.hasSuffix("f653868") && cut.contains("…"))
        let message = "The type or namespace name 'InvoiceExporter' could not be found (are you missing a using directive?)"
        let shortened = ProseBudget.shortened(message, to: 60)
        #expect(shortened.count <= 60 && shortened.hasSuffix("…") && shortened.hasPrefix("The type or namespace"))
        #expect(!shortened.dropLast().hasSuffix(" "))
    }

    /// A job that reports success but printed `fatal:` (git's safe.directory error, as in the real
    /// log `cidiff/cv_45`), with no rule for it: the strongest lines are shown, not nothing.
    @Test func aPipelineWithNoFindingStillShowsItsStrongestErrorLines() throws {
        let log = """
        2022-05-07T08:49:38.2840000Z Checking out old dir into: /tmp/dIBV1K0J1d/latexdiff-vc
        2022-05-07T08:49:38.2847211Z fatal: unsafe repository ('/github/workspace' is owned by someone else)
        2022-05-07T08:49:38.2850000Z To add an exception for this directory, call:
        2022-05-07T08:49:38.2860000Z
        2022-05-07T08:49:38.2870000Z \tgit config --global --add safe.directory /github/workspace
        2022-05-07T08:49:38.6491409Z Post job cleanup.
        2022-05-07T08:49:38.7057201Z Cleaning up orphan processes

        """
        let folder = TemporaryDirectory()
        let analysis = try ExcerptTests.withoutRules.diagnose([folder.write("docs.log", log)])
        #expect(analysis.pipeline.jobs.first?.status == .success)
        let excerpt = try #require(analysis.excerpts.first)
        #expect(excerpt.lines.contains { $0.text.value.hasPrefix("fatal: unsafe repository") })
        let text = TextRenderer(color: false).render(analysis)
        #expect(text.contains("job docs says it succeeded, but it printed error lines"))
        #expect(!text.contains("No known failure pattern found."))
    }

    @Test func aPassingJobWithoutStrongErrorLinesShowsNothing() throws {
        let log = """
        2024-05-07T08:49:38.2840000Z ##[group]Run npm test
        2024-05-07T08:49:38.2847211Z Tests: 42 passed, 42 total
        2024-05-07T08:49:38.2850000Z 0 errors, 0 failures
        2024-05-07T08:49:38.7057201Z Cleaning up orphan processes

        """
        let folder = TemporaryDirectory()
        let analysis = try ExcerptTests.withoutRules.diagnose([folder.write("unit.log", log)])
        #expect(analysis.pipeline.jobs.first?.status == .success)
        #expect(analysis.excerpts.isEmpty)
        #expect(TextRenderer(color: false).render(analysis).contains("No known failure pattern found."))
    }

    @Test func theSummaryUnderAFailedBlockDoesNotReadAsAllClear() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("unit.log", ExcerptTests.failingGoJob.joined(separator: "\n") + "\n")
        let text = TextRenderer(color: false).render(try ExcerptTests.withoutRules.diagnose([file]))
        #expect(text.hasSuffix("1 failed job no rule explains; 0 errors, 0 warnings, 0 notes diagnosed.\n"))
    }

    static let cidiff = Repo.root + "/../shared/datasets/cidiff"

    /// Real failed runs: whatever they hold, the text answer stays short and every title fits.
    @Test(.enabled(if: FileManager.default.fileExists(atPath: cidiff), "needs ../shared/datasets/cidiff"))
    func everyRealFailedRunGivesAShortAnswer() throws {
        let cases = try FileManager.default.contentsOfDirectory(atPath: Self.cidiff).sorted()
        var checked = 0
        for name in cases {
            let log = Self.cidiff + "/" + name + "/fail.log"
            guard FileManager.default.fileExists(atPath: log) else { continue }
            let analysis = try diagnose([log])
            for finding in analysis.diagnoses {
                #expect(finding.title.count <= 120, "\(name): \(finding.title)")
            }
            let lines = TextRenderer(color: false).render(analysis).split(separator: "\n", omittingEmptySubsequences: false).count
            #expect(lines < 120, "\(name): \(lines) lines")
            checked += 1
        }
        #expect(checked >= 30)
    }
}
