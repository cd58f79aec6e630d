import Foundation
import TestSupport
import Testing
@testable import LogDx

/// `logdx ci` end to end: the built binary against the loopback GitLab and GitHub APIs serving the
/// seed pipeline (astral-sh/uv#10354) and its failure modes.
@Suite struct CIHookLoopbackTests {
    static let gitlabToken = "glpat-LgdxFakeSeedTkn7Qa9x"
    static let githubToken = "ghp_LgdxFakeSeedToken0000000000000000000"
    static let title = "rdflib installed by job uv-install into /usr/local is missing in job test"
    /// On GitHub's runners setup-python installs into the tool cache, not /usr/local.
    static let githubTitle = "rdflib installed by job uv-install into /opt/hostedtoolcache/Python/3.11.11/x64 is missing in job test"

    static func gitlab(_ server: FakeCIServer, _ project: ScratchFolder, pipeline: String = "1615234567", token: String = gitlabToken) -> [String: String] {
        ["GITLAB_CI": "true", "CI_API_V4_URL": server.baseURL + "/api/v4", "CI_PROJECT_ID": "64209871",
         "CI_PIPELINE_ID": pipeline, "LOGDX_GITLAB_TOKEN": token, "CI_PROJECT_DIR": project.path,
         "CI_JOB_ID": "8791234999", "CI_JOB_NAME": "logdx"]
    }

    static func github(_ server: FakeCIServer, _ project: ScratchFolder) -> [String: String] {
        ["GITHUB_ACTIONS": "true", "GITHUB_API_URL": server.baseURL, "GITHUB_REPOSITORY": "kg-lab/rdf-tools",
         "GITHUB_RUN_ID": "12649283211", "GITHUB_TOKEN": githubToken, "GITHUB_WORKSPACE": project.path,
         "GITHUB_STEP_SUMMARY": project.path + "/step-summary.md", "GITHUB_JOB": "diagnose"]
    }

    // MARK: GitLab

    @Test func gitlabSeedIsExplainedAcrossJobsWithReportsAndAPatch() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let project = ScratchFolder()
        try project.copy("Fixtures/config/seed-uv/.gitlab-ci.yml", to: ".gitlab-ci.yml")
        let result = try LogDxProcess.run(["ci", "--json", "diagnosis.json"], environment: Self.gitlab(server, project), in: project.path)

        #expect(result.status == 0)
        // The job log: the text report inside a collapsible section.
        #expect(result.stdout.hasPrefix("\u{1B}[0Ksection_start:"))
        #expect(result.stdout.contains(":logdx_diagnosis[collapsed=false]\r\u{1B}[0Klogdx diagnosis\n"))
        #expect(result.stdout.contains("\u{1B}[0Ksection_end:"))
        #expect(result.stdout.contains("ERROR  " + Self.title))
        #expect(result.stdout.contains("2 jobs: uv-install (success), test (failed, exit 1)"))
        // The config's own lines are evidence.
        #expect(result.stdout.contains(".gitlab-ci.yml:2   UV_SYSTEM_PYTHON: 1"))

        // Reports for artifacts:reports.
        let junit = try #require(project.read("logdx-junit.xml"))
        #expect(junit.contains("<testcase") && junit.contains("python-packages-not-carried"))
        let quality = try #require(project.read("logdx-codequality.json"))
        let issues = try #require(try JSONSerialization.jsonObject(with: Data(quality.utf8)) as? [[String: Any]])
        #expect(issues.contains { ($0["check_name"] as? String) == "python-packages-not-carried" })

        // The venv fix as a patch that applies to the checkout and gives the issue author's fix.
        let json = try #require(project.read("diagnosis.json"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        let first = try #require((document["diagnoses"] as? [[String: Any]])?.first)
        #expect(first["rule"] as? String == "python-packages-not-carried")
        let patches = (first["fixes"] as? [[String: Any]] ?? []).compactMap { $0["patch"] as? String }
        let venv = try #require(patches.first { $0.contains("uv venv --allow-existing") })
        try venv.write(toFile: project.path + "/venv.patch", atomically: true, encoding: .utf8)
        let apply = Process()
        apply.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        apply.arguments = ["git", "apply", "venv.patch"]
        apply.currentDirectoryURL = URL(fileURLWithPath: project.path)
        try apply.run()
        apply.waitUntilExit()
        #expect(apply.terminationStatus == 0)
        let patched = try #require(project.read(".gitlab-ci.yml"))
        #expect(!patched.contains("UV_SYSTEM_PYTHON"))
        #expect(patched.contains("      - $UV_CACHE_DIR\n        - .venv\n"))
        #expect(patched.contains("    - uv venv --allow-existing\n    - uv pip install rdflib\n"))

        // Every API call carried the token in GitLab's header; both traces were read.
        let requests = try server.requests()
        #expect(requests.allSatisfy { $0.headers["private-token"] == Self.gitlabToken })
        #expect(requests.contains { $0.path.hasSuffix("/jobs/8791234501/trace") })
        #expect(requests.contains { $0.path.hasSuffix("/jobs/8791234502/trace") })
        #expect(!result.all.contains(Self.gitlabToken))
    }

    @Test func gitlabPagesAreFollowed() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed", options: ["--page-size", "1"])
        let project = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--no-reports"], environment: Self.gitlab(server, project), in: project.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains(Self.title))
        let pages = try server.requests().filter { $0.path.hasSuffix("/pipelines/1615234567/jobs") }
        #expect(pages.count == 2)
        #expect(pages.last?.query?.contains("page=2") == true)
    }

    @Test func rateLimitsAreWaitedOutAsTheAPIAsks() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed", options: ["--rate-limit-once"])
        let project = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--no-reports"], environment: Self.gitlab(server, project), in: project.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains(Self.title))
        #expect(result.stderr.contains("HTTP 429; retrying in 1.0 s"))
        #expect(try server.requests().filter { $0.status == 429 }.count >= 3)
    }

    @Test func aRefusedTokenIsExplainedAndNeverFailsThePipeline() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let project = ScratchFolder()
        let wrong = "glpat-NotTheRightToken12345"
        let environment = Self.gitlab(server, project, token: wrong)
        let result = try LogDxProcess.run(["ci"], environment: environment, in: project.path)
        #expect(result.status == 0)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("401 Unauthorized — the token in LOGDX_GITLAB_TOKEN was refused"))
        #expect(result.stderr.contains("read_api"))
        #expect(result.stderr.contains("the hook exits 0"))
        #expect(!result.all.contains(wrong))
        #expect(project.read("logdx-junit.xml") == nil)

        let strict = try LogDxProcess.run(["ci", "--strict"], environment: environment, in: project.path)
        #expect(strict.status == 4)
        #expect(strict.stderr.contains("401 Unauthorized"))
    }

    @Test func forbiddenAndMissingPipelinesSayWhatToCheck() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed", options: ["--status", "/pipelines/1615234567/jobs$=403"])
        let project = ScratchFolder()
        let forbidden = try LogDxProcess.run(["ci"], environment: Self.gitlab(server, project), in: project.path)
        #expect(forbidden.status == 0)
        #expect(forbidden.stderr.contains("403 Forbidden (403 Forbidden) — the token in LOGDX_GITLAB_TOKEN may not read this pipeline"))

        let missing = try LogDxProcess.run(["ci"], environment: Self.gitlab(server, project, pipeline: "42"), in: project.path)
        #expect(missing.status == 0)
        #expect(missing.stderr.contains("404 Not Found"))
        #expect(missing.stderr.contains("Check the project or repository and pipeline or run ids"))
    }

    @Test func aTraceCutOffOnceIsFetchedAgain() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed", options: ["--truncate-log-once", "8791234502"])
        let project = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--no-reports"], environment: Self.gitlab(server, project), in: project.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains(Self.title))
        #expect(result.stderr.contains("retrying in"))
        #expect(!result.stderr.contains("cut off"))
    }

    @Test func aTraceAlwaysCutOffIsDiagnosedAsFarAsItGoesAndSaysSo() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed", options: ["--truncate-log", "8791234501"])
        let project = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--no-reports"], environment: Self.gitlab(server, project), in: project.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("job uv-install: the trace download was cut off — the connection closed after"))
        #expect(result.stderr.contains("diagnosed what arrived"))
        // Half of uv-install's trace still arrived; the failed test job is explained by what is left.
        #expect(result.stdout.contains("test (failed"))
    }

    @Test func noAnswerIsANoteNotAFailure() throws {
        let project = ScratchFolder()
        var environment = ["GITLAB_CI": "true", "CI_API_V4_URL": "http://127.0.0.1:9/api/v4", "CI_PROJECT_ID": "1",
                           "CI_PIPELINE_ID": "2", "LOGDX_GITLAB_TOKEN": Self.gitlabToken]
        let result = try LogDxProcess.run(["ci", "--timeout", "2"], environment: environment, in: project.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("GET http://127.0.0.1:9/api/v4/projects/1/pipelines/2/jobs?per_page=100: no answer"))
        environment["LOGDX_GITLAB_TOKEN"] = nil
        let unset = try LogDxProcess.run(["ci", "--strict"], environment: environment, in: project.path)
        #expect(unset.status == 2)
        #expect(unset.stderr.contains("GitLab: LOGDX_GITLAB_TOKEN is not set"))
    }

    @Test func theMergeRequestGetsTheDiagnosisAsANote() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let project = ScratchFolder()
        var environment = Self.gitlab(server, project)
        environment["CI_MERGE_REQUEST_IID"] = "17"
        let result = try LogDxProcess.run(["ci", "--mr-note", "--no-reports"], environment: environment, in: project.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("logdx: wrote merge request !17 (note posted)"))
        let post = try #require(try server.requests().first { $0.method == "POST" })
        #expect(post.path == "/api/v4/projects/64209871/merge_requests/17/notes")
        #expect(post.status == 201)
        let body = try #require(try JSONSerialization.jsonObject(with: Data((post.body ?? "").utf8)) as? [String: String])
        #expect(body["body"]?.contains("### ❌ " + Self.title) == true)

        // The next failed pipeline updates that note instead of adding another.
        let again = try LogDxProcess.run(["ci", "--mr-note", "--no-reports"], environment: environment, in: project.path)
        #expect(again.stderr.contains("logdx: wrote merge request !17 (note updated)"))
        let requests = try server.requests()
        #expect(requests.filter { $0.method == "POST" }.count == 1)
        let put = try #require(requests.first { $0.method == "PUT" })
        #expect(put.status == 200)
        #expect(put.path.hasPrefix("/api/v4/projects/64209871/merge_requests/17/notes/"))
    }

    @Test func fromALaptopTheReportIsPlainText() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let project = ScratchFolder()
        let result = try LogDxProcess.run(
            ["ci", "--provider", "gitlab", "--api-url", server.baseURL + "/api/v4", "--project", "kg-lab/rdf-tools",
             "--pipeline", "1615234567", "--no-reports"],
            environment: ["LOGDX_GITLAB_TOKEN": Self.gitlabToken], in: project.path)
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("logdx: gitlab pipeline, 2 jobs"))
        #expect(!result.stdout.contains("section_start"))
        #expect(result.stdout.contains(Self.title))
        #expect(try server.requests().first?.path == "/api/v4/projects/kg-lab%2Frdf-tools/pipelines/1615234567/jobs")
    }

    @Test func theJobRunningLogdxCountsOnlyInItsOwnAfterScript() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let project = ScratchFolder()
        // In test's after_script, CI_JOB_STATUS gives test's outcome: it is diagnosed with the rest.
        var environment = Self.gitlab(server, project)
        environment["CI_JOB_ID"] = "8791234502"
        environment["CI_JOB_STATUS"] = "failed"
        let afterScript = try LogDxProcess.run(["ci", "--no-reports"], environment: environment, in: project.path)
        #expect(afterScript.stdout.contains("2 jobs: uv-install (success), test (failed"))
        #expect(afterScript.stdout.contains(Self.title))
        // As a job of its own (no CI_JOB_STATUS yet), logdx leaves itself out.
        environment["CI_JOB_STATUS"] = "running"
        let ownJob = try LogDxProcess.run(["ci", "--no-reports"], environment: environment, in: project.path)
        #expect(ownJob.stdout.contains("1 job: uv-install (success)"))
        #expect(!ownJob.stdout.contains(Self.title))
    }

    @Test func failOnMakesFindingsFailTheJobOnlyWhenAsked() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let project = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--no-reports", "--fail-on", "error"], environment: Self.gitlab(server, project), in: project.path)
        #expect(result.status == 1)
        #expect(result.stdout.contains(Self.title))
    }

    /// The release build is not linked with libcurl: `logdx ci` loads it on its first request.
    /// Where the library found is no libcurl (here a copy of zlib named libcurl.so.4, first on
    /// LD_LIBRARY_PATH), the hook says what is missing instead of failing inside URLSession,
    /// exits as for any problem reaching the API, and every other command runs as usual. The
    /// debug build links the toolchain's shared FoundationNetworking, which itself needs libcurl
    /// to start; `make test-dist` checks the dist binary the same way on every CI run.
    @Test(.enabled(if: LogDxProcess.builds.contains(LogDxProcess.releaseBinary), "needs a release build newer than the sources (make build)"))
    func withoutLibcurlTheHookSaysWhatIsMissing() throws {
        let binary = LogDxProcess.releaseBinary
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let project = ScratchFolder()
        let zlibFolders = ["/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib/aarch64-linux-gnu",
                           "/usr/lib/aarch64-linux-gnu", "/lib64", "/usr/lib64", "/usr/lib"]
        let zlib = try #require(zlibFolders.map { $0 + "/libz.so.1" }.first { FileManager.default.fileExists(atPath: $0) })
        try FileManager.default.createDirectory(atPath: project.path + "/lib", withIntermediateDirectories: true)
        // The library itself, not its link (a copied link would name a file not beside it).
        let zlibFile = URL(fileURLWithPath: zlib).resolvingSymlinksInPath().path
        try FileManager.default.copyItem(atPath: zlibFile, toPath: project.path + "/lib/libcurl.so.4")
        var environment = Self.gitlab(server, project)
        environment["LD_LIBRARY_PATH"] = project.path + "/lib"

        let hook = try LogDxProcess.run(["ci"], environment: environment, in: project.path, binary: binary)
        #expect(hook.status == 0, "\(hook.stderr)")
        #expect(hook.stderr.contains("cannot fetch the pipeline: libcurl could not be loaded (libcurl.so.4 has no curl_"), "\(hook.stderr)")
        #expect(hook.stderr.contains("install it (Debian and Ubuntu: libcurl4"), "\(hook.stderr)")
        #expect(try server.requests().isEmpty)

        let strict = try LogDxProcess.run(["ci", "--strict"], environment: environment, in: project.path, binary: binary)
        #expect(strict.status == 4, "\(strict.stderr)")

        let diagnose = try LogDxProcess.run(["diagnose", RepositoryPaths.seed], environment: environment, in: project.path, binary: binary)
        #expect(diagnose.status == 0, "\(diagnose.stderr)")
        #expect(diagnose.stdout.contains("rdflib"))
    }

    // MARK: GitHub

    @Test func githubSeedAnnotatesSummarisesAndKeepsTheTokenAtHome() throws {
        let server = try FakeCIServer(scenario: "github-seed")
        let project = ScratchFolder()
        try "## Tests\n\nearlier step's summary\n".write(toFile: project.path + "/step-summary.md", atomically: true, encoding: .utf8)
        try project.copy("Fixtures/config/seed-uv-github/.github/workflows/ci.yml", to: ".github/workflows/ci.yml")
        var environment = Self.github(server, project)
        environment["GITHUB_WORKFLOW_REF"] = "kg-lab/rdf-tools/.github/workflows/ci.yml@refs/heads/main"
        let result = try LogDxProcess.run(["ci"], environment: environment, in: project.path)
        #expect(result.status == 0)
        // The workflow file's cache step is evidence, so the annotation sits on that line.
        #expect(result.stdout.hasPrefix("::error file=.github/workflows/ci.yml,line=21,title=\(Self.githubTitle)::Job uv-install installed rdflib"))
        #expect(result.stdout.contains("+      - run: uv pip install --system rdflib\n"))
        #expect(result.stdout.contains("::group::logdx diagnosis\n::stop-commands::"))
        #expect(result.stdout.hasSuffix("::endgroup::\n"))
        let summary = try #require(project.read("step-summary.md"))
        #expect(summary.hasPrefix("## Tests\n\nearlier step's summary\n## logdx diagnosis"))
        #expect(summary.contains("### ❌ " + Self.githubTitle))
        #expect(summary.contains("   ```diff\n   --- a/.github/workflows/ci.yml\n"))
        // No JUnit or Code Quality files on GitHub unless asked.
        #expect(project.read("logdx-junit.xml") == nil)

        let requests = try server.requests()
        let zip = try #require(requests.first { $0.path.hasPrefix("/blob/") })
        #expect(zip.headers["authorization"] == nil, "the token must not follow the redirect to blob storage")
        #expect(requests.filter { !$0.path.hasPrefix("/blob/") }.allSatisfy { $0.headers["authorization"] == "Bearer \(Self.githubToken)" })
        #expect(!result.all.contains(Self.githubToken))
    }

    @Test func withoutTheRunArchiveEachJobLogIsFetched() throws {
        let server = try FakeCIServer(scenario: "github-seed", options: ["--status", "/actions/runs/12649283211/logs$=404"])
        let project = ScratchFolder()
        let result = try LogDxProcess.run(["ci", "--no-step-summary"], environment: Self.github(server, project), in: project.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains(Self.githubTitle))
        #expect(result.stderr.contains("fetched each job's log instead"))
        let jobLogs = try server.requests().filter { $0.path.hasSuffix("/logs") && $0.path.contains("/actions/jobs/") }
        #expect(jobLogs.count == 2)
        #expect(project.read("step-summary.md") == nil)
    }

    // MARK: Secrets

    @Test func plantedSecretsReachNoOutputOfTheHook() throws {
        let secrets = try String(contentsOfFile: FakeCIServer.root + "/Fixtures/ci-api/gitlab-secrets/planted-secrets.txt", encoding: .utf8)
            .split(separator: "\n").map(String.init).filter { !$0.isEmpty }
        #expect(secrets.count >= 9)
        let server = try FakeCIServer(scenario: "gitlab-secrets")
        let project = ScratchFolder()
        var environment = Self.gitlab(server, project, pipeline: "1615240013", token: "glpat-LgdxFakeSecretTkn4Zr")
        environment["CI_MERGE_REQUEST_IID"] = "17"
        let result = try LogDxProcess.run(
            ["ci", "--mr-note", "--json", "d.json", "--markdown", "d.md", "--keep-logs", "logs"],
            environment: environment, in: project.path)
        #expect(result.status == 0)
        #expect(result.stdout.contains("deploy (failed"))
        var outputs = ["stdout": result.stdout, "stderr": result.stderr]
        for file in ["logdx-junit.xml", "logdx-codequality.json", "d.json", "d.md"] {
            let text: String = try #require(project.read(file), "\(file) was not written")
            outputs[file] = text
        }
        let note: String = try #require(try server.requests().first { $0.method == "POST" }?.body)
        outputs["merge-request note"] = note
        // The trace the API served must hold the secrets, or the test proves nothing.
        let input = try String(contentsOfFile: FakeCIServer.root + "/Fixtures/ci-api/gitlab-secrets/deploy.log", encoding: .utf8)
        #expect(secrets.allSatisfy { input.contains($0) })
        // --keep-logs writes the log as the reports show lines: through the redactor, line by line.
        let kept: String = try #require(project.read("logs/8791240077.log"), "the log was not kept")
        let redacted = input.split(separator: "\n", omittingEmptySubsequences: false).map { SecretRedactor().redact(String($0)) }
        #expect(kept == redacted.joined(separator: "\n"))
        #expect(kept != input)
        for (name, text) in outputs {
            for secret in secrets {
                #expect(!text.contains(secret), "\(name) shows a planted secret: \(secret.prefix(8))…")
            }
            #expect(!text.contains("glpat-LgdxFakeSecretTkn4Zr"), "\(name) shows the API token")
        }
    }
}
