import Foundation
import Testing
@testable import LogDx
import TestSupport

/// What people paste is not a raw log (issue 13): copies of web pages, consoles and chats carry
/// decoration that ingest must remove, with the input's own line numbers kept, so that event
/// patterns anchored at the start of a line meet the tool's message.
@Suite struct PasteNormalizationTests {
    /// Reads `text` as one pasted file and returns the pipeline and the lines, by number.
    func paste(_ text: String, name: String = "paste.log") throws -> (Pipeline, RecordingSink, [Int: String]) {
        let folder = TemporaryDirectory()
        let (pipeline, sink) = try read([folder.write(name, text)])
        return (pipeline, sink, Dictionary(sink.lines.map { ($0.number, $0.text) }, uniquingKeysWith: { a, _ in a }))
    }

    func commands(_ sink: RecordingSink) -> [String] {
        sink.structural.filter { $0.kind == StructuralEvent.command }.compactMap { $0.fields["command"] }
    }

    @Test func githubWebCopyReadsAsTheRawLog() throws {
        let (pipeline, sink, lines) = try paste("""
        Run actions/upload-artifact@v4
          with:
            name: reg-430
            path: .reg
        Warning: No files were found with the provided path: .reg. No artifacts will be uploaded.
        Run dotnet restore
          dotnet restore
        Error: C:\\Program Files\\dotnet\\sdk\\7.0.[4](https://github.com/o/r/actions/runs/1/job/2#step:4:4)08\\Sdks\\x.targets(160,[5](https://github.com/o/r/actions/runs/1/job/2#step:4:5)): error NETSDK1045: The current .NET SDK does not support targeting .NET [8](https://github.com/o/r/actions/runs/1/job/2#step:4:9).0.
        Error: Process completed with exit code 137.

        """)
        #expect(pipeline.format == .plain)
        #expect(commands(sink) == ["actions/upload-artifact@v4", "dotnet restore"])
        #expect(sink.structural.contains { $0.kind == StructuralEvent.section && $0.fields["name"] == "Run actions/upload-artifact@v4" && $0.line == 1 })
        // The step's inputs lose the page's indent: `path:` sits under `with:` as in the raw log.
        #expect(lines[2] == "with:")
        #expect(lines[4] == "  path: .reg")
        #expect(lines[5] == "No files were found with the provided path: .reg. No artifacts will be uploaded.")
        #expect(lines[8] == "C:\\Program Files\\dotnet\\sdk\\7.0.408\\Sdks\\x.targets(160,5): error NETSDK1045: The current .NET SDK does not support targeting .NET 8.0.")
        #expect(pipeline.jobs[0].status == .failed)
        #expect(pipeline.jobs[0].exitCode == 137)
    }

    @Test func theAnnotationPatternsAnchoredAtTheStartNowFire() throws {
        let folder = TemporaryDirectory()
        let file = folder.write("upload.log", """
        Run actions/upload-artifact@v4
          with:
            name: reg-430
            path: .reg
        Warning: No files were found with the provided path: .reg. No artifacts will be uploaded.

        """)
        var tokenizer = Tokenizer(rules: Repo.builtInRules)
        _ = try PipelineReader().read([file], into: &tokenizer)
        let empty = tokenizer.store.events.filter { $0.kind == "artifact.path-empty" }
        #expect(empty.map(\.line) == [5])
        #expect(empty.first?.fields["path"] == ".reg")
    }

    @Test func aGutterOfConsecutiveLineNumbersIsCut() throws {
        let (_, sink, lines) = try paste("""
        41Run npm ci
        42npm ERR! code ETARGET
        43 npm ERR! notarget No matching version found for tarn@1.2.0.
        44100% done

        """)
        #expect(lines == [1: "Run npm ci", 2: "npm ERR! code ETARGET", 3: "npm ERR! notarget No matching version found for tarn@1.2.0.", 4: "100% done"])
        #expect(commands(sink) == ["npm ci"])
    }

    @Test func numbersThatDoNotCountUpAreText() throws {
        let (_, _, lines) = try paste("3 passed\n3 failed\n12 skipped\n")
        #expect(lines[1] == "3 passed")
        #expect(lines[3] == "12 skipped")
    }

    @Test func jenkinsConsoleCopyWithAClockColumn() throws {
        let (pipeline, sink, lines) = try paste("""
        [Pipeline] copyArtifacts
        05:46:38  Copied 0 artifacts from "build-scripts » release » create_installer_windows" build number 5319
        [Pipeline] }
        [Pipeline] sh
        05:46:39  + make test
        05:46:40    indented output
        05:46:41  ERROR: script returned exit code 2

        """)
        #expect(pipeline.format == .jenkins)
        #expect(lines[2] == "Copied 0 artifacts from \"build-scripts » release » create_installer_windows\" build number 5319")
        #expect(lines[6] == "  indented output")
        #expect(commands(sink) == ["make test"])
        // No `Finished:` line: the exit line says the job failed.
        #expect(pipeline.jobs[0].status == .failed)
        #expect(pipeline.jobs[0].exitCode == 2)
    }

    @Test func jenkinsQueueLinesAreEnoughToKnowJenkins() throws {
        let (pipeline, _, lines) = try paste("""
        01:18:28 Configuration node-test » vs2017,win2016,3 is still in the queue: Waiting for next available executor on ‘win2016’
        02:05:32 Configuration node-test » vs2017,win2016,3 is still in the queue: All nodes of label ‘win2016’ are offline

        """)
        #expect(pipeline.format == .jenkins)
        #expect(lines[2]?.hasPrefix("Configuration node-test") == true)
        #expect(pipeline.jobs[0].status == .unknown)
    }

    @Test func isoTimestampsOutsideJenkinsAndMavenMillisecondClocks() throws {
        let (_, _, iso) = try paste("[2021-08-15T13:03:19.235Z] npm ERR! code E404\n[2021-08-15T13:03:19.300Z] npm ERR! 404 Not Found\n")
        #expect(iso[1] == "npm ERR! code E404")
        let (_, _, clock) = try paste("20:07:51:343 [ERROR] Failed to execute goal\n20:07:51:357 [ERROR] \nThe command \"./mvnw verify\" exited with 1.\n")
        #expect(clock[1] == "[ERROR] Failed to execute goal")
        #expect(clock[3] == "The command \"./mvnw verify\" exited with 1.")
    }

    @Test func buildKitColumns() throws {
        let (_, sink, lines) = try paste("""
        #5 [builder 2/4] RUN npm ci
        #5 0.512 npm ERR! code ETARGET
        #5 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1
        ------
         > [builder 2/4] RUN npm ci:
        0.512 npm ERR! code ETARGET

        """)
        // `RUN npm ci` runs inside the image, not in the job: it is not the job's command.
        #expect(commands(sink).isEmpty)
        #expect(lines[1] == "[builder 2/4] RUN npm ci")
        #expect(lines[2] == "npm ERR! code ETARGET")
        #expect(lines[3] == "ERROR: process \"/bin/sh -c npm ci\" did not complete successfully: exit code: 1")
        #expect(lines[6] == "npm ERR! code ETARGET")
    }

    @Test func buildKitTimeColumnInsideARawGitHubLog() throws {
        let (pipeline, _, lines) = try paste("""
        2024-05-01T10:00:00.0000000Z ##[group]Run docker build .
        2024-05-01T10:00:01.0000000Z #8 3.456 go: github.com/x/y@v1.2.3: missing go.sum entry; to add it:
        2024-05-01T10:00:02.0000000Z #1 is the issue this fixes

        """)
        #expect(pipeline.format == .githubActions)
        #expect(lines[2] == "go: github.com/x/y@v1.2.3: missing go.sum entry; to add it:")
        // Outside BuildKit output, `#1 text` may be anything.
        #expect(lines[3] == "#1 is the issue this fixes")
    }

    @Test func composeServiceColumnAndVagrantMachineColumn() throws {
        let (_, _, compose) = try paste("web_1    | npm ERR! code ELIFECYCLE\ndb_1     | ready to accept connections\nweb_1    | npm ERR! errno 1\n")
        #expect(compose[1] == "npm ERR! code ELIFECYCLE")
        #expect(compose[2] == "ready to accept connections")
        let (_, _, vagrant) = try paste("""
        07:55:15      k8s1-1.23: OK
        07:55:16      k8s1-1.23: E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 8859 (apt-get)
        07:55:16      k8s1-1.23: E: Unable to acquire the dpkg frontend lock (/var/lib/dpkg/lock-frontend), is another process using it?

        """)
        #expect(vagrant[2] == "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 8859 (apt-get)")
        // apt's own `E: ` on every line is apt's text, not a column.
        let (_, _, apt) = try paste("E: Could not get lock /var/lib/dpkg/lock-frontend.\nE: Unable to acquire the dpkg frontend lock\n")
        #expect(apt[1] == "E: Could not get lock /var/lib/dpkg/lock-frontend.")
    }

    @Test func markdownQuotesFencesAndInlineCode() throws {
        let (_, _, quoted) = try paste("> ```\n> You are trying to install in deployment mode\n>\n> ```\n")
        #expect(quoted[2] == "You are trying to install in deployment mode")
        #expect(quoted[1] == "" && quoted[4] == "")
        let (_, _, inline) = try paste("`npm ERR! code ETARGET`\n`npm ERR! notarget No matching version found for a@1.`\n")
        #expect(inline[1] == "npm ERR! code ETARGET")
        // Gradle's own `>` lines are not a quote.
        let (_, _, gradle) = try paste("> Task :app:test FAILED\n")
        #expect(gradle[1] == "> Task :app:test FAILED")
    }

    @Test func wrappedMessagesAreJoinedOnTheirFirstLine() throws {
        let (_, _, lines) = try paste("""
        ERROR: failed to solve: golang:1.23.1: unexpected status code 429 Too Many Requests - Server message: toomanyrequests: 
        You have reached your pull rate limit. You may increase the limit by authenticating and upgrading
        WARNING: No output specified with docker-container driver. Build result
        will only remain in the build cache. To push result image into registry
        use --push or to load image into docker use --load

        """)
        #expect(lines[1] == "ERROR: failed to solve: golang:1.23.1: unexpected status code 429 Too Many Requests - Server message: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading")
        #expect(lines[2] == nil)
        #expect(lines[3] == "WARNING: No output specified with docker-container driver. Build result will only remain in the build cache. To push result image into registry use --push or to load image into docker use --load")
        #expect(Set(lines.keys) == [1, 3])
    }

    @Test func linesThatStartTheirOwnMessageAreNotJoined() throws {
        let text = """
        npm ERR! notarget In most cases you or one of your dependencies are requesting
        npm ERR! notarget a package version that doesn't exist.
           Compiling libc v0.2.154 (registry crates-io) with a long enough line here
        warning: package `libc v0.2.154` in Cargo.lock is yanked in registry `crates-io`
        added 120 packages, and audited 121 packages in 3s and more words
        Error: no space left on device while writing the layer to the cache
        -----BEGIN OPENSSH PRIVATE KEY----- b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAABlwAAAAdzc2gtcn
        nhAAAAAwEAAQAAAYEAx

        """
        let (_, _, lines) = try paste(text)
        #expect(lines.count == text.split(separator: "\n", omittingEmptySubsequences: false).count - 1)
        #expect(lines[6] == "no space left on device while writing the layer to the cache")
    }

    @Test func aWholeLogKeepsItsToolsOwnErrorWordAndItsLines() throws {
        let head = (1...300).map { "Installing dependency number \($0) of the build" }
        let tail = [
            "Error: openssl 1.0.2l is already installed",
            "To upgrade to 1.0.2o, run `brew upgrade openssl` in the build environment",
            "found 0 vulnerabilities",
        ]
        let (_, _, lines) = try paste((head + tail).joined(separator: "\n") + "\n")
        #expect(lines[301] == "Error: openssl 1.0.2l is already installed")
        #expect(lines[303] == "found 0 vulnerabilities")
        #expect(lines.count == 303)
    }

    @Test func rawLogsAreNotJoined() throws {
        let (pipeline, _, lines) = try paste("""
        2024-05-01T10:00:00.0000000Z WARNING: No output specified with docker-container driver. Build result
        2024-05-01T10:00:00.0000000Z will only remain in the build cache.

        """)
        #expect(pipeline.format == .githubActions)
        #expect(lines[2] == "will only remain in the build cache.")
    }

    @Test func aGitLabFragmentIsReadAsGitLab() throws {
        let (pipeline, sink, _) = try paste("""
        $ npm ci
        npm ERR! code ETARGET
        Cleaning up project directory and file based variables
        ERROR: Job failed: exit code 1

        """)
        #expect(pipeline.format == .gitlabRunner)
        #expect(pipeline.jobs[0].status == .failed)
        #expect(pipeline.jobs[0].exitCode == 1)
        #expect(commands(sink) == ["npm ci"])
        let (passed, _, _) = try paste("Creating cache gitlab-fixes-105...\nWARNING: /root/.npm: no matching files\nCreated cache\nJob succeeded\n")
        #expect(passed.format == .gitlabRunner)
        #expect(passed.jobs[0].status == .success)
    }

    @Test func profileOfAWebCopy() {
        let copy = Array("Run poetry lock --check\nError: poetry.lock is not consistent with pyproject.toml.\n".utf8)
        let profile = FormatDetector.profile(prefix: copy)
        #expect(profile.format == .plain)
        #expect(profile.githubWebCopy)
        let npm = Array("Run `npm audit` for details.\nfound 3 vulnerabilities\n".utf8)
        #expect(!FormatDetector.profile(prefix: npm).githubWebCopy)
    }

    @Test func theSeedAndTheRawFormatsHaveNoDecoration() throws {
        for path in [Repo.seed, Repo.fixtures + "/pipelines/seed-uv-github/test.log",
                     Repo.fixtures + "/pipelines/seed-uv-gh-run-view/gh-run-view.log"] {
            let source = try InputSource(path: path)
            #expect(FormatDetector.profile(prefix: source.prefix).decoration.isEmpty, "\(path)")
        }
    }
}
