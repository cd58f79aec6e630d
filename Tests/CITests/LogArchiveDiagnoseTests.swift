import Foundation
import TestSupport
import Testing

/// `logdx diagnose logs_NNN.zip`: GitHub's run log archive, as downloaded from the run's page, is
/// read in place (built here with Python's zipfile from the seed pipeline's GitHub job logs).
@Suite struct LogArchiveDiagnoseTests {
    static let logs = FakeCIServer.root + "/Fixtures/pipelines/seed-uv-github"

    /// Writes a zip the way GitHub lays out a run's logs: `N_job.txt` holding each whole log
    /// (unless `wholeLogs` is false, as in older archives) and `job/N_step.txt` per step, cut
    /// where a `Run …` group starts.
    static func buildArchive(_ path: String, wholeLogs: Bool = true) throws {
        let script = """
        import sys, zipfile, re
        out, folder, whole = sys.argv[1], sys.argv[2], sys.argv[3] == "1"
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
            for n, job in enumerate(["uv-install", "test"]):
                data = open(f"{folder}/{job}.log", "rb").read()
                if whole:
                    z.writestr(f"{n}_{job}.txt", data)
                steps, current, name = [], [], "Set up job"
                for line in data.splitlines(keepends=True):
                    m = re.search(rb"##\\[group\\]Run (.*)", line)
                    if m and current:
                        steps.append((name, b"".join(current)))
                        current, name = [], "Run " + m.group(1).decode().strip().replace("/", "_")
                    current.append(line)
                steps.append((name, b"".join(current)))
                for i, (step, body) in enumerate(steps, 1):
                    z.writestr(f"{job}/{i}_{step[:80]}.txt", body)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path, logs, wholeLogs ? "1" : "0"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    static func diagnose(_ arguments: [String], in folder: ScratchFolder) throws -> LogDxProcess.Result {
        try LogDxProcess.run(["diagnose"] + arguments, environment: [:], in: folder.path)
    }

    static func summary(_ json: String) throws -> (jobs: [String], titles: [String]) {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let jobs = ((document["pipeline"] as? [String: Any])?["jobs"] as? [[String: Any]] ?? []).compactMap { $0["name"] as? String }
        let titles = (document["diagnoses"] as? [[String: Any]] ?? []).compactMap { $0["title"] as? String }
        return (jobs, titles)
    }

    @Test(arguments: [true, false])
    func aRunArchiveGivesTheSameDiagnosisAsItsLogs(wholeLogs: Bool) throws {
        let folder = ScratchFolder()
        try Self.buildArchive(folder.path + "/logs_12649283211.zip", wholeLogs: wholeLogs)
        let zipped = try Self.diagnose(["--format", "json", "logs_12649283211.zip"], in: folder)
        #expect(zipped.status == 0, "\(zipped.stderr)")
        let unzipped = try Self.diagnose(["--format", "json", Self.logs + "/uv-install.log", Self.logs + "/test.log"], in: folder)
        let (jobs, titles) = try Self.summary(zipped.stdout)
        #expect(jobs == ["uv-install", "test"])
        #expect(titles.first == CIHookLoopbackTests.githubTitle)
        #expect(titles == (try Self.summary(unzipped.stdout)).titles)

        let text = try Self.diagnose(["logs_12649283211.zip"], in: folder)
        #expect(text.stdout.contains("ERROR  " + CIHookLoopbackTests.githubTitle))
        #expect(text.stdout.contains("test:"), "evidence is named by the job, not a temporary file: \(text.stdout)")
        #expect(!text.stdout.contains("/proc/self/fd"))
    }

    @Test func aTruncatedArchiveIsACleanInputError() throws {
        let folder = ScratchFolder()
        let path = folder.path + "/logs.zip"
        try Self.buildArchive(path)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        try data.prefix(data.count / 2).write(to: URL(fileURLWithPath: path))
        let result = try Self.diagnose(["logs.zip"], in: folder)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr == "logdx: logs.zip: not a readable GitHub log archive: the zip's index at its end is missing: the file is cut short (an unfinished download?) or not a zip.\n")
    }

    @Test func aDamagedEntryIsACleanInputError() throws {
        let folder = ScratchFolder()
        let path = folder.path + "/logs.zip"
        try Self.buildArchive(path)
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        // Flip bytes inside the first entry's compressed data (past its 30-byte local header and
        // name), leaving the index intact.
        for offset in 60..<90 { data[offset] ^= 0x5A }
        try data.write(to: URL(fileURLWithPath: path))
        let result = try Self.diagnose(["logs.zip"], in: folder)
        #expect(result.status == 2, "\(result.all)")
        #expect(result.stderr.hasPrefix("logdx: logs.zip: not a readable GitHub log archive: uv-install: "), "\(result.stderr)")
        #expect(!result.stderr.contains("Fatal error"))
    }

    @Test func aZipWithoutJobLogsSaysWhatItExpected() throws {
        let folder = ScratchFolder()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import zipfile; zipfile.ZipFile('other.zip','w').writestr('README.md','hi')"]
        process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        try process.run()
        process.waitUntilExit()
        let result = try Self.diagnose(["other.zip"], in: folder)
        #expect(result.status == 2)
        #expect(result.stderr.contains("other.zip: the zip holds no job logs"), "\(result.stderr)")
    }
}
