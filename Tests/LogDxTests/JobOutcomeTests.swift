import Foundation
import Testing
@testable import LogDx
import TestSupport

/// A job is called failed only when its log says so (issue 13, item 3).
@Suite struct JobOutcomeTests {
    @Test(arguments: [
        ("Error: Process completed with exit code 137.", JobStatus.failed, 137),
        ("##[error]Process completed with exit code 1.", .failed, 1),
        ("##[error]Bash exited with code '1'.", .failed, nil),
        ("ERROR: Job failed: exit code 1", .failed, 1),
        ("ERROR: Job failed: canceled", .canceled, nil),
        ("Job succeeded", .success, 0),
        ("Finished: FAILURE", .failed, nil),
        ("Finished: UNSTABLE", .warning, nil),
        ("ERROR: script returned exit code 2", .failed, 2),
        ("Build step 'Execute shell' marked build as failure", .failed, nil),
        ("The command \"./mvnw javadoc:jar source:jar -B\" exited with 1.", .failed, 1),
        ("The command \"yarn --frozen-lockfile\" failed and exited with 1 during .", .failed, 1),
        ("Done. Your build exited with 0.", .success, 0),
        ("The build has been terminated", .failed, nil),
        ("Exited with code exit status 1", .failed, 1),
        ("Exited with code 2", .failed, 2),
    ] as [(String, JobStatus, Int?)])
    func exitLines(line: String, status: JobStatus, code: Int?) throws {
        let outcome = try #require(JobOutcomeReader.outcome(ArraySlice(line.utf8)))
        #expect(outcome.0 == status)
        #expect(outcome.1 == code)
    }

    @Test(arguments: [
        "The command \"npm test\" exited with 0.",
        "npm ERR! code ETARGET",
        "Error: Cannot find module 'x'",
        "Finished: 3 tests",
        "Process completed",
    ])
    func linesThatStateNoOutcome(line: String) {
        #expect(JobOutcomeReader.outcome(ArraySlice(line.utf8)) == nil)
    }

    @Test func aFragmentThatStatesNoOutcomeIsUnknownAndIsNotCalledFailed() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("e2e.log", "The cypress npm package is installed, but the Cypress binary is missing.\n")
        let analysis = try ExcerptTests.withoutRules.diagnose([file])
        #expect(analysis.pipeline.jobs[0].status == .unknown)
        let text = TextRenderer(color: false).render(analysis)
        #expect(!text.contains("No rule explains why job e2e failed"))
        #expect(text.contains("UNKNOWN  No rule explains job e2e, and its log does not say whether it failed"))
        let markdown = MarkdownRenderer().render(analysis)
        #expect(markdown.contains("### ❔ No rule explains job e2e, and its log does not say whether it failed"))
        #expect(!markdown.contains("why job e2e failed"))
        let annotations = GitHubAnnotationsRenderer().render(analysis)
        #expect(annotations.hasPrefix("::warning title=No rule explains job e2e"))
    }

    @Test func aFailureWinsOverALaterSuccessLine() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("travis.log", """
        $ make test
        The command "make test" exited with 2.
        $ ./after_success.sh
        Done. Your build exited with 0.

        """)
        let (pipeline, _) = try read([file])
        #expect(pipeline.jobs[0].status == .failed)
        #expect(pipeline.jobs[0].exitCode == 2)
        let analysis = try ExcerptTests.withoutRules.diagnose([file])
        #expect(TextRenderer(color: false).render(analysis).contains("FAILED  No rule explains why job travis failed"))
    }

    @Test func standardInputIsThePastedLog() {
        #expect(PipelineReader.jobName(for: "-") == "the pasted log")
        #expect(PipelineReader.jobName(for: "logs/test.log") == "test")
    }
}
