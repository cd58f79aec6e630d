import Foundation
import TestSupport
import Testing
@testable import LogDxCI
import LogDx

/// Finding the pipeline from the variables GitLab and GitHub set in every job.
@Suite struct CISettingsTests {
    static let gitlab = [
        "GITLAB_CI": "true", "CI_API_V4_URL": "https://gitlab.example.com/api/v4", "CI_PROJECT_ID": "64209871",
        "CI_PIPELINE_ID": "1614212345", "LOGDX_GITLAB_TOKEN": "glpat-abcdefghijklmnopqrst", "CI_JOB_ID": "8801",
        "CI_JOB_NAME": "logdx", "CI_PROJECT_DIR": "/builds/kg-lab/rdf-tools", "CI_MERGE_REQUEST_IID": "17",
    ]

    @Test func gitLabJobGivesTheProjectPipelineAndConfigFile() throws {
        let settings = try CISettings.detect(environment: Self.gitlab)
        #expect(settings.provider == .gitlab)
        #expect(settings.apiURL.absoluteString == "https://gitlab.example.com/api/v4")
        #expect(settings.project == "64209871")
        #expect(settings.pipeline == "1614212345")
        #expect(settings.tokenVariable == "LOGDX_GITLAB_TOKEN")
        #expect(settings.currentJobID == "8801")
        #expect(settings.mergeRequestIID == "17")
        #expect(settings.configPath == "/builds/kg-lab/rdf-tools/.gitlab-ci.yml")
        #expect(settings.insideCI)
    }

    @Test func namingAPipelineFromALaptopIsNotInsideCI() throws {
        var overrides = CISettings.Overrides()
        overrides.provider = .gitlab
        overrides.apiURL = "https://gitlab.com/api/v4"
        overrides.project = "kg-lab/rdf-tools"
        overrides.pipeline = "1615234567"
        let settings = try CISettings.detect(environment: ["LOGDX_GITLAB_TOKEN": "glpat-abcdefghijklmnopqrst"], overrides: overrides)
        #expect(!settings.insideCI)
        #expect(settings.project == "kg-lab/rdf-tools")
        #expect(settings.configPath == nil)
    }

    @Test func ciConfigPathIsHonoured() throws {
        var environment = Self.gitlab
        environment["CI_CONFIG_PATH"] = "ci/pipeline.yml"
        #expect(try CISettings.detect(environment: environment).configPath == "/builds/kg-lab/rdf-tools/ci/pipeline.yml")
    }

    @Test func missingVariablesAreAllNamedWithoutTheToken() {
        var environment = Self.gitlab
        environment["CI_PIPELINE_ID"] = nil
        environment["LOGDX_GITLAB_TOKEN"] = ""
        #expect(throws: CISettings.SetupError.missing(provider: .gitlab, variables: ["CI_PIPELINE_ID", "LOGDX_GITLAB_TOKEN"])) {
            try CISettings.detect(environment: environment)
        }
    }

    @Test func tokenEnvNamesAnotherVariable() throws {
        var environment = Self.gitlab
        environment["LOGDX_GITLAB_TOKEN"] = nil
        environment["READ_API_TOKEN"] = "glpat-zyxwvutsrqponmlkjihg"
        var overrides = CISettings.Overrides()
        overrides.tokenVariable = "READ_API_TOKEN"
        let settings = try CISettings.detect(environment: environment, overrides: overrides)
        #expect(settings.token == "glpat-zyxwvutsrqponmlkjihg")
        #expect(settings.tokenVariable == "READ_API_TOKEN")
    }

    @Test func anotherPipelineHasNoCurrentJob() throws {
        var overrides = CISettings.Overrides()
        overrides.pipeline = "99"
        let settings = try CISettings.detect(environment: Self.gitlab, overrides: overrides)
        #expect(settings.pipeline == "99")
        #expect(settings.currentJobID == nil)
        #expect(settings.mergeRequestIID == nil)
    }

    @Test func gitHubStepGivesTheRunSummaryAndWorkflowFile() throws {
        let settings = try CISettings.detect(environment: [
            "GITHUB_ACTIONS": "true", "GITHUB_REPOSITORY": "kg-lab/rdf-tools", "GITHUB_RUN_ID": "12771234567",
            "GITHUB_TOKEN": "ghs_0123456789abcdefghijklmnopqrstuvwxyz", "GITHUB_STEP_SUMMARY": "/home/runner/summary.md",
            "GITHUB_WORKSPACE": "/home/runner/work/rdf-tools/rdf-tools",
            "GITHUB_WORKFLOW_REF": "kg-lab/rdf-tools/.github/workflows/ci.yml@refs/heads/main",
        ])
        #expect(settings.provider == .github)
        #expect(settings.apiURL.absoluteString == "https://api.github.com")
        #expect(settings.stepSummaryPath == "/home/runner/summary.md")
        #expect(settings.configPath == "/home/runner/work/rdf-tools/rdf-tools/.github/workflows/ci.yml")
    }

    @Test func outsideCINothingIsGuessed() {
        #expect(throws: CISettings.SetupError.noCIDetected) { try CISettings.detect(environment: ["HOME": "/root"]) }
        #expect(CISettings.SetupError.noCIDetected.description.contains("--provider gitlab"))
    }
}

/// The pieces of the API clients that need no server.
@Suite struct CIAPIPiecesTests {
    @Test func linkHeaderNextIsFound() {
        let header = #"<https://api.github.com/repositories/1/actions/runs/2/jobs?per_page=1&page=2>; rel="next", <https://api.github.com/repositories/1/actions/runs/2/jobs?per_page=1&page=3>; rel="last""#
        #expect(APIRequester.nextLink(header)?.absoluteString == "https://api.github.com/repositories/1/actions/runs/2/jobs?per_page=1&page=2")
        #expect(APIRequester.nextLink(#"<https://x/?page=1>; rel="prev", <https://x/?page=1>; rel="first""#) == nil)
        #expect(APIRequester.nextLink(nil) == nil)
    }

    @Test func projectPathsAreOneSegment() {
        #expect(APIRequester.segment("kg-lab/rdf-tools") == "kg-lab%2Frdf-tools")
        #expect(APIRequester.segment("64209871") == "64209871")
    }

    @Test func retryAfterReadsSecondsAndDates() {
        func response(_ value: String) -> HTTPResponse {
            HTTPResponse(status: 429, headers: ["retry-after": value], body: Data(), url: URL(string: "http://x")!)
        }
        #expect(HTTPClient.retryAfter(response("7")) == 7)
        let later = Date().addingTimeInterval(30)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
        let seconds = HTTPClient.retryAfter(response(formatter.string(from: later))) ?? -1
        #expect(seconds > 25 && seconds <= 30)
    }

    @Test func messagesShowNoUserInfo() {
        #expect(HTTPClient.display(URL(string: "https://ci:hunter22@gitlab.example.com/api/v4/projects/1")!) == "https://gitlab.example.com/api/v4/projects/1")
    }

    @Test func theTokenItselfIsRedactedWhateverItsShape() {
        let redactor = OutputRedactor(token: "plainopaquevalue123")
        #expect(redactor.redact("refused plainopaquevalue123 and glpat-abcdefghijklmnopqrstu") == "refused [REDACTED] and [REDACTED]")
    }
}

/// A GitLab config kept in a subfolder resolves local includes from the checkout, as GitLab does.
@Suite struct CIConfigPathTests {
    @Test func includesOfAConfigInASubfolderAreReadFromTheCheckout() throws {
        let project = ScratchFolder()
        try FileManager.default.createDirectory(atPath: project.path + "/ci", withIntermediateDirectories: true)
        try """
        include:
          - local: ci/common.yml
        test:
          stage: test
          script:
            - pytest
        """.write(toFile: project.path + "/ci/pipeline.yml", atomically: true, encoding: .utf8)
        try """
        build:
          stage: build
          script:
            - make
          artifacts:
            paths: [dist/]
        """.write(toFile: project.path + "/ci/common.yml", atomically: true, encoding: .utf8)
        let config = try CIConfig.load(path: project.path + "/ci/pipeline.yml", repository: project.path)
        #expect(config.notices.isEmpty)
        #expect(config.files == ["ci/pipeline.yml", "ci/common.yml"])
        let build = try #require(config.job(matching: "build"))
        #expect(build.facts.contains { $0.kind == "config.artifact" && $0.fields["path"] == "dist/" && $0.file == "ci/common.yml" })
    }
}
