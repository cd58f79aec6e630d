import Foundation
import TestSupport
import Testing
@testable import LogDxCI

/// `logdx ci URL`: a pipeline's or run's web address as copied from the browser, read as the API
/// coordinates, with the token from the environment or the CLIs a developer is logged in with.
@Suite struct CIRunURLTests {
    // MARK: Reading the address

    @Test func gitlabPipelineURLsGiveTheAPIOnTheSameHostAndTheProjectPath() throws {
        let run = try CIRunURL.parse("https://gitlab.com/kg-lab/tools/rdf-tools/-/pipelines/1615234567/failures")
        #expect(run == CIRunURL(provider: .gitlab, apiURL: "https://gitlab.com/api/v4", project: "kg-lab/tools/rdf-tools", pipeline: "1615234567", host: "gitlab.com"))
        let own = try CIRunURL.parse("http://127.0.0.1:8080/g/p/-/pipelines/9")
        #expect(own.apiURL == "http://127.0.0.1:8080/api/v4")
        #expect(own.host == "127.0.0.1:8080")
    }

    @Test func githubRunURLsGiveApiGithubComOrTheEnterpriseAPI() throws {
        let run = try CIRunURL.parse("https://github.com/astral-sh/uv/actions/runs/12649283211/job/35246000001")
        #expect(run == CIRunURL(provider: .github, apiURL: "https://api.github.com", project: "astral-sh/uv", pipeline: "12649283211", host: "github.com"))
        #expect(try CIRunURL.parse("https://ghe.example.com/o/r/actions/runs/5").apiURL == "https://ghe.example.com/api/v3")
    }

    @Test func otherAddressesAreRefusedWithWhatToPass() {
        for (url, reason) in [
            ("https://gitlab.com/g/p/-/jobs/123", "a job's page"),
            ("https://github.com/o/r/pull/4", "neither a GitLab pipeline nor a GitHub Actions run"),
            ("https://gitlab.com/g/p/-/pipelines/latest", "the pipeline id is missing"),
            ("gitlab.com/g/p/-/pipelines/1", "not a web address"),
        ] {
            #expect(throws: CIRunURL.ParseError.self) { try CIRunURL.parse(url) }
            do {
                _ = try CIRunURL.parse(url)
            } catch {
                #expect(error.description.contains(reason), "\(url): \(error.description)")
                #expect(error.description.contains("/-/pipelines/ID") && error.description.contains("/actions/runs/ID"))
            }
        }
    }

    // MARK: Tokens a laptop already has

    @Test func glabsConfigGivesTheHostsToken() throws {
        let home = ScratchFolder()
        try Self.writeGlabConfig(in: home, host: "gitlab.example.com", token: "glpat-FromGlabConfig0001")
        let lookup = CITokenLookup(environment: ["HOME": home.path, "PATH": ""])
        #expect(lookup.token(for: .gitlab, host: "gitlab.example.com")?.token == "glpat-FromGlabConfig0001")
        // A port that glab did not record still finds the host's entry.
        #expect(lookup.token(for: .gitlab, host: "gitlab.example.com:8443")?.token == "glpat-FromGlabConfig0001")
        #expect(lookup.token(for: .gitlab, host: "gitlab.com")?.token == "glpat-NotThisHostsToken0000")
        #expect(lookup.token(for: .gitlab, host: "other.example") == nil)
        let moved = CITokenLookup(environment: ["GLAB_CONFIG_DIR": home.path + "/nowhere", "HOME": home.path])
        #expect(moved.token(for: .gitlab, host: "gitlab.example.com") == nil)
    }

    @Test func aGhThatHangsIsNotWaitedFor() throws {
        let bin = ScratchFolder()
        try Self.writeGh(in: bin, body: "sleep 30")
        var lookup = CITokenLookup(environment: ["PATH": bin.path, "HOME": bin.path])
        lookup.timeout = 1
        let started = Date()
        #expect(lookup.token(for: .github, host: "github.com") == nil)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    static func writeGlabConfig(in home: ScratchFolder, host: String, token: String) throws {
        let folder = home.path + "/.config/glab-cli"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try """
        git_protocol: ssh
        hosts:
            gitlab.com:
                token: glpat-NotThisHostsToken0000
                api_host: gitlab.com
            \(host):
                token: \(token)
                api_protocol: https
                user: dev
        """.write(toFile: folder + "/config.yml", atomically: true, encoding: .utf8)
    }

    /// A `gh` that runs `body`; it records its arguments in `gh.args` next to it.
    static func writeGh(in bin: ScratchFolder, body: String) throws {
        let path = bin.path + "/gh"
        try "#!/bin/sh\necho \"$@\" > \"\(bin.path)/gh.args\"\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
    }

    // MARK: End to end on the loopback APIs

    static let gitlabSeedURL = "/kg-lab/rdf-tools/-/pipelines/1615234567"

    @Test func aGitLabPipelineURLIsDiagnosedWithTheTokenFromTheEnvironment() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let folder = ScratchFolder()
        let result = try LogDxProcess.run(
            ["ci", server.baseURL + Self.gitlabSeedURL, "--no-reports"],
            environment: ["LOGDX_GITLAB_TOKEN": CIHookLoopbackTests.gitlabToken, "HOME": folder.path], in: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("ERROR  " + CIHookLoopbackTests.title), "\(result.all)")
        // From a laptop the report is plain text, without GitLab's section markup.
        #expect(!result.stdout.contains("section_start"))
        let requests = try server.requests()
        #expect(requests.contains { $0.path == "/api/v4/projects/kg-lab%2Frdf-tools/pipelines/1615234567/jobs" })
        #expect(requests.allSatisfy { $0.headers["private-token"] == CIHookLoopbackTests.gitlabToken })
    }

    @Test func aGitLabPipelineURLTakesTheTokenFromGlabsConfig() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let home = ScratchFolder()
        let host = try #require(URLComponents(string: server.baseURL)?.host)
        try Self.writeGlabConfig(in: home, host: host, token: CIHookLoopbackTests.gitlabToken)
        let result = try LogDxProcess.run(
            ["ci", server.baseURL + Self.gitlabSeedURL, "--no-reports"], environment: ["HOME": home.path], in: home.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(CIHookLoopbackTests.title), "\(result.all)")
        #expect(!result.all.contains(CIHookLoopbackTests.gitlabToken))
    }

    @Test func aRefusedTokenFromGlabNamesWhereItCameFrom() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let home = ScratchFolder()
        let host = try #require(URLComponents(string: server.baseURL)?.host)
        try Self.writeGlabConfig(in: home, host: host, token: "glpat-ExpiredGlabToken000")
        let result = try LogDxProcess.run(["ci", server.baseURL + Self.gitlabSeedURL], environment: ["HOME": home.path], in: home.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("401 Unauthorized — the token in glab's config (\(home.path)/.config/glab-cli/config.yml) was refused"), "\(result.stderr)")
        #expect(!result.all.contains("glpat-ExpiredGlabToken000"))
    }

    @Test func aGitHubRunURLTakesTheTokenFromGh() throws {
        let server = try FakeCIServer(scenario: "github-seed")
        let bin = ScratchFolder()
        try Self.writeGh(in: bin, body: "echo \(CIHookLoopbackTests.githubToken)")
        let result = try LogDxProcess.run(
            ["ci", server.baseURL + "/kg-lab/rdf-tools/actions/runs/12649283211", "--no-reports"],
            environment: ["PATH": bin.path + ":/usr/bin:/bin", "HOME": bin.path], in: bin.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains(CIHookLoopbackTests.githubTitle), "\(result.all)")
        let host = try #require(URLComponents(string: server.baseURL).map { "\($0.host ?? ""):\($0.port ?? 0)" })
        #expect(bin.read("gh.args") == "auth token --hostname \(host)\n")
        // Not github.com: the Enterprise Server API root.
        #expect(try server.requests().contains { $0.path == "/api/v3/repos/kg-lab/rdf-tools/actions/runs/12649283211/jobs" })
        #expect(!result.all.contains(CIHookLoopbackTests.githubToken))
    }

    @Test func withoutAnyTokenTheHookSaysHowToGetOne() throws {
        let server = try FakeCIServer(scenario: "gitlab-seed")
        let home = ScratchFolder()
        let result = try LogDxProcess.run(["ci", server.baseURL + Self.gitlabSeedURL], environment: ["HOME": home.path], in: home.path)
        #expect(result.status == 0)
        #expect(result.stderr.contains("no token for GitLab: LOGDX_GITLAB_TOKEN is not set and no CLI login was found"), "\(result.stderr)")
        #expect(result.stderr.contains("glab auth login"))
        #expect(try server.requests().isEmpty)
        let strict = try LogDxProcess.run(["ci", "--strict", "https://gitlab.com/g/p/-/jobs/1"], environment: ["HOME": home.path], in: home.path)
        #expect(strict.status == 2)
        #expect(strict.stderr.contains("a job's page"))
    }

    @Test func thePlainGitLabServerIsReadFromItsPipelineURL() throws {
        let server = try FakeCIServer(tool: "plain_gitlab_api.py", arguments: ["--jobs", "5", "--mode", "close"])
        let folder = ScratchFolder()
        let result = try LogDxProcess.run(
            ["ci", server.baseURL + "/plain/pipelines/-/pipelines/70", "--json", "d.json"],
            environment: ["LOGDX_GITLAB_TOKEN": CIHookPlainServerTests.token, "HOME": folder.path], in: folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(Set(try CIHookPlainServerTests.jobNames(folder)) == Set((0..<5).map(CIHookPlainServerTests.name)))
    }
}
