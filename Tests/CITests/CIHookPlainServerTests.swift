import Foundation
import TestSupport
import Testing

/// `logdx ci` against a second GitLab API written independently of the project's fake
/// (`Tests/Tools/plain_gitlab_api.py`, plain `http.server`): other framings of the same answers,
/// and servers that never stop talking.
@Suite struct CIHookPlainServerTests {
    static let token = "glpat-PlainServerApiTkn42"
    /// The names plain_gitlab_api.py gives job k, as its documentation says.
    static let baseNames = ["build", "lint", "test: [3.11, linux]", "unit 2/4", "deploy:staging", "docs"]

    /// What `--plant-secrets` prints in every trace.
    static let plantedSecrets = ["AKIAQX4LGDXPLANTED7Z", "Wq9pL2mZ8vN4tR6yB1cX3fH5jK7sD0gA2eU4iO6p", "glpat-PlainServerPlanted0Tkn"]

    static func name(_ index: Int) -> String { "\(baseNames[index % baseNames.count]) #\(index)" }

    static func server(_ arguments: [String]) throws -> FakeCIServer {
        try FakeCIServer(tool: "plain_gitlab_api.py", arguments: arguments)
    }

    /// The job's environment, with a temporary folder of its own to look into afterwards.
    static func environment(_ server: FakeCIServer, _ folder: ScratchFolder) -> [String: String] {
        try? FileManager.default.createDirectory(atPath: folder.path + "/tmp", withIntermediateDirectories: true)
        return ["GITLAB_CI": "true", "CI_API_V4_URL": server.baseURL + "/api/v4", "CI_PROJECT_ID": "7",
         "CI_PIPELINE_ID": "70", "LOGDX_GITLAB_TOKEN": token, "CI_PROJECT_DIR": folder.path,
         "TMPDIR": folder.path + "/tmp/"]
    }

    /// The job names of the JSON report, in pipeline order.
    static func jobNames(_ folder: ScratchFolder, _ file: String = "d.json") throws -> [String] {
        let text = try #require(folder.read(file), "\(file) was not written")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let jobs = try #require((document["pipeline"] as? [String: Any])?["jobs"] as? [[String: Any]])
        return jobs.compactMap { $0["name"] as? String }
    }

    // MARK: Defect 1: every job, whatever the framing

    /// Against a plain HTTP/1.0 server the release build trapped or silently lost a job, 10 runs
    /// out of 10: the optimizer returned downloads under the wrong job index (see
    /// `JobLogDownloads.attempt`). Keep-alive and chunked answers must give the same result. The
    /// defect showed only in optimized code, so a current release build is run too.
    @Test(arguments: LogDxProcess.builds)
    func everyJobIsDiagnosedEveryRunWhateverTheServerFraming(binary: String) throws {
        let modes = ["close", "keepalive", "chunked"]
        // 20 runs, 2 to 50 jobs; most are small, where the lost job showed most.
        let counts = [2, 3, 2, 50, 2, 4, 2, 25, 3, 2, 6, 2, 3, 2, 40, 2, 5, 2, 3, 2]
        for (run, count) in counts.enumerated() {
            let mode = modes[run % modes.count]
            let server = try Self.server(["--jobs", "\(count)", "--mode", mode, "--page-size", "20", "--seed", "\(run)"])
            let folder = ScratchFolder()
            let result = try LogDxProcess.run(["ci", "--json", "d.json"], environment: Self.environment(server, folder), in: folder.path, binary: binary)
            let context = "\(binary), run \(run), \(count) jobs, \(mode): \(result.stderr)"
            #expect(result.status == 0, "\(context)")
            let names = try Self.jobNames(folder)
            #expect(names.count == count, "\(context)")
            #expect(Set(names) == Set((0..<count).map(Self.name)), "\(context)")
            #expect(!result.stderr.contains("note:"), "\(context)")
            // Logs go from memory to the engine: no temporary file, not even one removed later.
            #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path + "/tmp").isEmpty, "\(context)")
        }
    }

    // MARK: Defect 7: a deadline and caps

    @Test func aTraceThatNeverEndsIsCutAtTheDeadlineAndTheRestIsDiagnosed() throws {
        let server = try Self.server(["--jobs", "4", "--mode", "chunked", "--slow-trace", "2", "--line-interval", "0.2"])
        let folder = ScratchFolder()
        let started = Date()
        // Downloads stop at 7.5 s, leaving 2.5 s to diagnose.
        let result = try LogDxProcess.run(["ci", "--json", "d.json", "--deadline", "10"], environment: Self.environment(server, folder), in: folder.path, timeout: 30)
        let elapsed = Date().timeIntervalSince(started)
        #expect(!result.timedOut)
        #expect(result.status == 0)
        #expect(elapsed < 12, "the hook took \(elapsed) s with a 10 s deadline")
        #expect(result.stderr.contains("job \(Self.name(2)): the trace download was cut off — the deadline passed"), "\(result.stderr)")
        // What arrived of the endless trace is diagnosed with the other jobs.
        #expect(try Self.jobNames(folder).count == 4)
    }

    @Test func theDeadlineEndsTheHookEvenBeforeItCouldDiagnose() throws {
        let server = try Self.server(["--jobs", "3", "--mode", "keepalive", "--slow-trace", "0", "--line-interval", "0.2"])
        let folder = ScratchFolder()
        let started = Date()
        let result = try LogDxProcess.run(["ci", "--no-reports", "--deadline", "1"], environment: Self.environment(server, folder), in: folder.path, timeout: 30)
        let elapsed = Date().timeIntervalSince(started)
        #expect(!result.timedOut)
        #expect(result.status == 0)
        #expect(elapsed < 3, "the hook took \(elapsed) s with a 1 s deadline")
        // Either the downloads were cut (a note) or the backstop stopped the hook (its message).
        #expect(result.stderr.contains("deadline"), "\(result.stderr)")
    }

    @Test func anEndlessJobListStopsAtTheJobCap() throws {
        let server = try Self.server(["--jobs", "1", "--mode", "keepalive", "--endless-pages", "--page-size", "20"])
        let folder = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--json", "d.json", "--max-jobs", "30"], environment: Self.environment(server, folder), in: folder.path, timeout: 60)
        #expect(!result.timedOut)
        #expect(result.status == 0)
        #expect(result.stderr.contains("the pipeline lists more than 30 jobs; read the first 30 (--max-jobs)"), "\(result.stderr)")
        #expect(try Self.jobNames(folder).count == 30)
    }

    @Test func aJobPageThatNeverEndsIsRefusedAtItsSizeCap() throws {
        let server = try Self.server(["--mode", "close", "--endless-page"])
        let folder = ScratchFolder()
        let started = Date()
        let result = try LogDxProcess.run(["ci", "--no-reports"], environment: Self.environment(server, folder), in: folder.path, timeout: 60)
        #expect(!result.timedOut)
        #expect(result.status == 0)
        #expect(result.stderr.contains("/pipelines/70/jobs?per_page=100: unexpected answer (larger than 8 MiB)"), "\(result.stderr)")
        #expect(result.stderr.contains("the hook exits 0"))
        #expect(Date().timeIntervalSince(started) < 30)
    }

    @Test func aTraceOverTheSizeCapKeepsItsStartAndItsEnd() throws {
        // Job 2 fails; its failure is the last lines of a 3 MB trace.
        let server = try Self.server(["--jobs", "3", "--mode", "close", "--big-trace", "2=3000000"])
        let folder = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--json", "d.json", "--max-log-mb", "1"], environment: Self.environment(server, folder), in: folder.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("job \(Self.name(2)): the trace is larger than 1 MiB; diagnosed its first and last 0.5 MiB"), "\(result.stderr)")
        let json = try #require(folder.read("d.json"))
        #expect(json.contains("FAILED tests/test_api.py::test_round_trip"))
        #expect(try Self.jobNames(folder).count == 3)
    }

    // MARK: Defect 12: nothing raw on disk, even when killed

    @Test func aHookKilledMidDownloadLeavesNoLogOnDisk() throws {
        let server = try Self.server(["--jobs", "4", "--mode", "chunked", "--slow-trace", "3", "--line-interval", "0.2", "--plant-secrets"])
        let folder = ScratchFolder()
        let temporary = folder.path + "/tmp"
        let process = try LogDxProcess.start(["ci", "--no-reports"], environment: Self.environment(server, folder), in: folder.path).process
        // By then the three finished traces, which print the secrets, have been downloaded.
        Thread.sleep(forTimeInterval: 2.5)
        #expect(process.isRunning, "the hook should still be reading the endless trace")
        kill(process.processIdentifier, SIGTERM)
        // A hook that does not end on SIGTERM gets SIGKILL, as a CI runner sends after its grace time.
        let killed = LogDxProcess.Watchdog(process, after: 10)
        process.waitUntilExit()
        #expect(!killed.fired, "the hook ignored SIGTERM")
        #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGTERM)
        let left = try FileManager.default.contentsOfDirectory(atPath: temporary)
        #expect(!left.contains { $0.hasPrefix("logdx-ci-") }, "left behind: \(left)")
        let files = FileManager.default.enumerator(atPath: folder.path)?.compactMap { $0 as? String } ?? []
        for file in files {
            guard let text = try? String(contentsOfFile: folder.path + "/" + file, encoding: .utf8) else { continue }
            for secret in Self.plantedSecrets { #expect(!text.contains(secret), "\(file) holds a planted secret") }
        }
    }

    @Test func keptLogsAreRedacted() throws {
        let server = try Self.server(["--jobs", "3", "--mode", "keepalive", "--plant-secrets"])
        let folder = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--no-reports", "--keep-logs", "logs"], environment: Self.environment(server, folder), in: folder.path)
        #expect(result.status == 0)
        let kept = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/logs").sorted()
        #expect(kept == ["7001.log", "7002.log", "7003.log"])
        let log = try #require(folder.read("logs/7003.log"))
        #expect(log.contains("ERROR: Job failed: exit code 1"))
        #expect(log.contains("[REDACTED]"))
        for secret in Self.plantedSecrets {
            #expect(!log.contains(secret))
        }
    }

    // MARK: Defect 12: names from the API cannot forge log lines

    @Test func jobNamesWithControlCharactersAreEscapedInTheHooksMessages() throws {
        // Job 1's name holds "\n::error::injected", an ESC sequence and a BEL; its trace is over
        // the cap, so a note names it.
        let server = try Self.server(["--jobs", "3", "--mode", "close", "--odd-names", "--big-trace", "1=2000000"])
        let folder = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--no-reports", "--max-log-mb", "1"], environment: Self.environment(server, folder), in: folder.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("job lint #1\\n::error::injected\\x1b[31m red\\x07: the trace is larger than 1 MiB"), "\(result.stderr)")
        for line in result.stderr.split(separator: "\n") {
            #expect(line.hasPrefix("logdx: "), "a line the hook did not write: \(line)")
        }
        #expect(!result.stderr.contains("\u{1B}") && !result.stderr.contains("\u{07}"))
    }

    // MARK: Defect 2: output that cannot be written

    @Test func aFullDiskOnStandardOutputIsANoteNotACrash() throws {
        let server = try Self.server(["--jobs", "2", "--mode", "keepalive"])
        let folder = ScratchFolder()
        let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
        let result = try LogDxProcess.run(["ci", "--no-reports"], environment: Self.environment(server, folder), in: folder.path, stdout: full)
        #expect(result.status == 0)
        #expect(result.stderr.contains("logdx: could not write the diagnosis: cannot write to standard output: No space left on device"), "\(result.stderr)")

        // Standard error full as well: nothing can be said, and still no crash.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", "\"$0\" ci --no-reports >/dev/full 2>/dev/full; echo \"status=$?\"", LogDxProcess.binary]
        shell.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        shell.environment = Self.environment(server, folder).merging(["PATH": "/usr/bin:/bin", "LOGDX_RULES_DIR": FakeCIServer.root + "/Rules"]) { $1 }
        let out = Pipe()
        shell.standardOutput = out
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        let said = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(said == "status=0\n")
    }

    @Test func aClosedPipeOnStandardOutputIsANoteNotACrash() throws {
        let server = try Self.server(["--jobs", "2", "--mode", "keepalive"])
        let folder = ScratchFolder()
        // `head -c 0` exits before logdx writes, so its write meets a pipe with no reader.
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", "\"$0\" ci --no-reports | head -c 0; echo \"status=${PIPESTATUS[0]}\" >&2", LogDxProcess.binary]
        shell.currentDirectoryURL = URL(fileURLWithPath: folder.path)
        var environment = Self.environment(server, folder)
        environment["PATH"] = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        environment["LOGDX_RULES_DIR"] = FakeCIServer.root + "/Rules"
        shell.environment = environment
        let err = Pipe()
        shell.standardError = err
        shell.standardOutput = FileHandle.nullDevice
        try shell.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        #expect(stderr.contains("status=0"), "\(stderr)")
        #expect(stderr.contains("logdx: could not write the diagnosis: cannot write to standard output: Broken pipe"), "\(stderr)")
    }
}
