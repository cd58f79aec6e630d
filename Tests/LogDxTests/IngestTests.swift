import Foundation
import Testing
@testable import LogDx
import TestSupport

@Suite struct IngestTests {
    @Test func gitlabCILocalPasteSplitsIntoJobsWithStagesAndResults() throws {
        let (pipeline, sink) = try read([Repo.seed])
        #expect(pipeline.format == .gitlabCILocal)
        let jobs = pipeline.jobsInOrder
        #expect(jobs.map(\.name) == ["uv-install", "test"])
        #expect(jobs.map(\.stage) == [".pre", "test"])
        #expect(jobs.map(\.status) == [.success, .failed])
        #expect(jobs[1].exitCode == 1)
        #expect(pipeline.job(jobs[0].index, runsBefore: jobs[1].index))
        // Output lines lose the job prefix and "> ", keep their own leading space and line number.
        let installed = try #require(sink.lines.first { $0.text == " + rdflib==7.1.1" })
        #expect(installed.number == 20)
        #expect(installed.job == jobs[0].index)
        let commands = sink.structural.filter { $0.kind == StructuralEvent.command }.map { $0.fields["command"]! }
        #expect(commands == ["uv pip show rdflib || true", "uv pip install rdflib", "uv cache prune --ci", "uv pip show rdflib", "uv pip show rdflib"])
        // The summary repeats the failure under " FAIL  test"; it belongs to no job.
        #expect(sink.lines.filter { $0.text == "warning: Package(s) not found for: rdflib" }.count == 2)
    }

    @Test func gitlabRunnerTraceSectionsCommandsAndStatus() throws {
        let folder = Repo.fixtures + "/pipelines/seed-uv-system-python-runner"
        let (pipeline, sink) = try read([folder])
        #expect(pipeline.format == .gitlabRunner)
        // Ordered by the first section timestamp, not by file name (test.log sorts first).
        #expect(pipeline.jobsInOrder.map(\.name) == ["uv-install", "test"])
        #expect(pipeline.jobsInOrder.map(\.status) == [.success, .failed])
        #expect(pipeline.jobsInOrder[1].exitCode == 1)
        let sections = sink.structural.filter { $0.kind == StructuralEvent.section && $0.job == pipeline.jobsInOrder[0].index }
        #expect(sections.map { $0.fields["name"]! }.starts(with: ["prepare_executor", "prepare_script", "get_sources", "restore_cache", "step_script"]))
        // No escape byte or carriage return survives cleaning.
        #expect(!sink.lines.contains { $0.text.contains("\u{1b}") || $0.text.contains("\r") })
        #expect(sink.lines.contains { $0.text == "Job succeeded" })
    }

    @Test func githubRawLogsTakeTheJobNameFromTheLog() throws {
        let folder = TemporaryDirectory()
        let log = try String(contentsOfFile: Repo.fixtures + "/pipelines/seed-uv-github/test.log", encoding: .utf8)
        let file = folder.write("1234567.txt", log)
        let (pipeline, sink) = try read([file])
        #expect(pipeline.format == .githubActions)
        #expect(pipeline.jobs[0].name == "test")
        #expect(pipeline.jobs[0].status == .failed)
        #expect(pipeline.jobs[0].exitCode == 1)
        #expect(pipeline.jobs[0].startedAt != nil)
        #expect(sink.structural.contains { $0.kind == StructuralEvent.command && $0.fields["command"] == "uv pip show --system rdflib" })
        #expect(!sink.lines.contains { $0.text.hasPrefix("20") && $0.text.contains("Z ") })
    }

    @Test func ghRunViewHoldsManyJobs() throws {
        let (pipeline, _) = try read([Repo.fixtures + "/pipelines/seed-uv-gh-run-view/gh-run-view.log"])
        #expect(pipeline.format == .ghRunView)
        #expect(pipeline.jobsInOrder.map(\.name) == ["uv-install", "test"])
        #expect(pipeline.jobsInOrder.map(\.status) == [.success, .failed])
    }

    @Test func jenkinsConsoleLog() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("build.log", """
        Started by user Jane Doe
        [Pipeline] Start of Pipeline
        [Pipeline] node
        Running on Jenkins in /var/jenkins_home/workspace/rdf-tools
        [Pipeline] { (Test)
        [Pipeline] sh
        + python -c 'import rdflib'
        Traceback (most recent call last):
          File "<string>", line 1, in <module>
        ModuleNotFoundError: No module named 'rdflib'
        [Pipeline] }
        [Pipeline] End of Pipeline
        ERROR: script returned exit code 1
        Finished: FAILURE

        """)
        let (pipeline, sink) = try read([file])
        #expect(pipeline.format == .jenkins)
        #expect(pipeline.jobs[0].status == .failed)
        #expect(sink.structural.contains { $0.kind == StructuralEvent.section && $0.fields["name"] == "Test" })
        #expect(sink.structural.contains { $0.kind == StructuralEvent.command && $0.fields["command"] == "python -c 'import rdflib'" })
    }

    @Test func plainTextIsOneJobNamedAfterTheFile() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("nightly-build.txt", "$ make\ncc -o app main.c\nmain.c:3: error: expected ';'\n")
        let (pipeline, sink) = try read([file])
        #expect(pipeline.format == .plain)
        #expect(pipeline.jobs.map(\.name) == ["nightly-build"])
        #expect(pipeline.jobs[0].status == .unknown)
        #expect(sink.lines.map(\.number) == [1, 2, 3])
    }

    @Test func forcedFormatOverridesDetection() throws {
        let (pipeline, _) = try read([Repo.seed], format: .plain)
        #expect(pipeline.format == .plain)
        #expect(pipeline.jobs.count == 1)
    }

    @Test func severalFilesWithoutTimestampsKeepArgumentOrder() throws {
        let folder = TemporaryDirectory()
        let b = folder.write("b-deploy.log", "deploying\n")
        let a = folder.write("a-build.log", "building\n")
        let (pipeline, _) = try read([b, a])
        #expect(pipeline.jobsInOrder.map(\.name) == ["b-deploy", "a-build"])
    }

    @Test(arguments: [
        ("\u{1b}[32;1m$ make\u{1b}[0;m", "$ make"),
        ("Downloading 10%\rDownloading 55%\rDownloading 100%", "Downloading 100%"),
        ("line with CRLF\r", "line with CRLF"),
        ("\u{feff}2025-01-07T10:24:54Z x", "2025-01-07T10:24:54Z x"),
        ("a\u{0}b", "ab"),
        ("\u{1b}]8;;https://example.com\u{7}link\u{1b}]8;;\u{7}", "link"),
    ])
    func cleaning(raw: String, expected: String) {
        var cleaner = LineCleaner()
        var bytes = Array(raw.utf8)
        let cleaned = bytes.withUnsafeMutableBufferPointer { cleaner.clean(UnsafeBufferPointer($0)) }
        #expect(String(decoding: cleaned, as: UTF8.self) == expected)
    }

    @Test func cleaningReplacesInvalidUTF8() {
        var cleaner = LineCleaner()
        let raw: [UInt8] = [0x6f, 0x6b, 0xff, 0xc3, 0x28]
        let cleaned = raw.withUnsafeBufferPointer { cleaner.clean($0) }
        #expect(String(decoding: cleaned, as: UTF8.self) == "ok\u{fffd}\u{fffd}(")
    }

    @Test func lineReaderKeepsNumbersAcrossChunkBoundaries() throws {
        let folder = TemporaryDirectory()
        let lines = (1...5_000).map { "line \($0) " + String(repeating: "x", count: $0 % 97) }
        let file = folder.write("chunks.log", lines.joined(separator: "\n"))
        let source = try InputSource(path: file)
        var reader = LineReader(source: source, chunkSize: 4096)
        var seen: [String] = []
        var numbers: [Int] = []
        try reader.forEachLine { number, bytes, dropped in
            #expect(dropped == 0)
            numbers.append(number)
            seen.append(String(decoding: bytes, as: UTF8.self))
        }
        #expect(seen == lines)
        #expect(numbers == Array(1...5_000))
    }
}
