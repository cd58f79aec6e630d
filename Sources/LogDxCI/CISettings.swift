import Foundation

/// What `logdx ci` needs to find the pipeline: read from the CI's predefined variables, each of
/// which an option can override (to diagnose another pipeline from a laptop).
public struct CISettings: Sendable {
    public var provider: CIProvider
    /// The REST API root: GitLab's `CI_API_V4_URL`, GitHub's `GITHUB_API_URL`.
    public var apiURL: URL
    /// GitLab project id or URL-encoded path; GitHub `owner/repo`.
    public var project: String
    /// GitLab pipeline id; GitHub run id.
    public var pipeline: String
    public var token: String
    /// The variable the token came from, for messages (the token itself is never printed).
    public var tokenVariable: String
    /// The job running logdx, left out of the analysis unless it is an after_script of a finished
    /// job (GitLab `CI_JOB_STATUS` set), in which case its status comes from there.
    public var currentJobID: String?
    public var currentJobStatus: String?
    /// GitLab merge request of a merge-request pipeline, for `--mr-note`.
    public var mergeRequestIID: String?
    /// Where the repository is checked out (config files are read from there).
    public var workspace: String?
    /// The CI config file: GitLab `CI_CONFIG_PATH` (default `.gitlab-ci.yml`); GitHub the running
    /// workflow's file from `GITHUB_WORKFLOW_REF`.
    public var configPath: String?
    /// GitHub `GITHUB_STEP_SUMMARY`.
    public var stepSummaryPath: String?
    /// Whether logdx runs inside that CI's job (not on a laptop naming a pipeline): only there
    /// does its output go into a job log that understands sections and workflow commands.
    public var insideCI = false

    public struct Overrides: Sendable {
        public var provider: CIProvider?
        public var apiURL: String?
        public var project: String?
        public var pipeline: String?
        public var tokenVariable: String?
        /// Asked only when the token variable is not set: a token found elsewhere (gh's or
        /// glab's login on a laptop), with where it came from for messages.
        public var fallbackToken: (@Sendable (CIProvider) -> CITokenLookup.Found?)?
        public init() {}
    }

    public enum SetupError: Error, Equatable, CustomStringConvertible {
        case noCIDetected
        case missing(provider: CIProvider, variables: [String])
        case invalidURL(variable: String, value: String)

        public var description: String {
            switch self {
            case .noCIDetected:
                return "no CI detected: neither GITLAB_CI nor GITHUB_ACTIONS is set. Run `logdx ci` in a GitLab job or a GitHub Actions step, or name the pipeline: --provider gitlab --api-url https://gitlab.com/api/v4 --project ID --pipeline ID (token in LOGDX_GITLAB_TOKEN)."
            case .missing(let provider, let variables):
                let advice = provider == .gitlab
                    ? "GitLab sets the CI_ variables in every job; the token is a project access token with read_api, stored as a masked CI/CD variable."
                    : "GitHub sets the GITHUB_ variables in every step; pass the token with `env: GITHUB_TOKEN: ${{ github.token }}`."
                return "\(provider.displayName): \(variables.joined(separator: ", ")) \(variables.count == 1 ? "is" : "are") not set. \(advice)"
            case .invalidURL(let variable, let value):
                return "\(variable) is not a URL: \(value)"
            }
        }
    }

    /// Settings for the CI the environment describes.
    public static func detect(environment: [String: String], overrides: Overrides = Overrides()) throws(SetupError) -> CISettings {
        func value(_ name: String) -> String? {
            environment[name].flatMap { $0.isEmpty ? nil : $0 }
        }
        let provider: CIProvider
        if let forced = overrides.provider {
            provider = forced
        } else if value("GITLAB_CI") != nil {
            provider = .gitlab
        } else if value("GITHUB_ACTIONS") != nil {
            provider = .github
        } else {
            throw .noCIDetected
        }
        var missing: [String] = []
        var tokenSource: String?
        func token(_ variable: String) -> String {
            if let found = value(variable) { return found }
            if let fallback = overrides.fallbackToken?(provider) {
                tokenSource = fallback.source
                return fallback.token
            }
            missing.append(variable)
            return ""
        }
        func require(_ override: String?, _ variable: String) -> String {
            if let override, !override.isEmpty { return override }
            if let found = value(variable) { return found }
            missing.append(variable)
            return ""
        }
        switch provider {
        case .gitlab:
            let api = require(overrides.apiURL, "CI_API_V4_URL")
            let project = require(overrides.project, "CI_PROJECT_ID")
            let pipeline = require(overrides.pipeline, "CI_PIPELINE_ID")
            let variable = overrides.tokenVariable ?? "LOGDX_GITLAB_TOKEN"
            let token = token(variable)
            let tokenVariable = tokenSource ?? variable
            guard missing.isEmpty else { throw .missing(provider: .gitlab, variables: missing) }
            let url = try apiRoot(api, from: overrides.apiURL == nil ? "CI_API_V4_URL" : "--api-url")
            let workspace = value("CI_PROJECT_DIR")
            var settings = CISettings(
                provider: .gitlab, apiURL: url, project: project, pipeline: pipeline, token: token, tokenVariable: tokenVariable)
            // Only the pipeline the job belongs to has "the current job".
            if overrides.pipeline == nil || overrides.pipeline == value("CI_PIPELINE_ID") {
                settings.currentJobID = value("CI_JOB_ID")
                settings.currentJobStatus = value("CI_JOB_STATUS")
                settings.mergeRequestIID = value("CI_MERGE_REQUEST_IID")
            }
            settings.insideCI = value("GITLAB_CI") != nil
            settings.workspace = workspace
            if let workspace {
                settings.configPath = workspace + "/" + (value("CI_CONFIG_PATH") ?? ".gitlab-ci.yml")
            }
            return settings
        case .github:
            let api = overrides.apiURL ?? value("GITHUB_API_URL") ?? "https://api.github.com"
            let repository = require(overrides.project, "GITHUB_REPOSITORY")
            let run = require(overrides.pipeline, "GITHUB_RUN_ID")
            let variable = overrides.tokenVariable ?? "GITHUB_TOKEN"
            let token = token(variable)
            let tokenVariable = tokenSource ?? variable
            guard missing.isEmpty else { throw .missing(provider: .github, variables: missing) }
            let url = try apiRoot(api, from: overrides.apiURL == nil ? "GITHUB_API_URL" : "--api-url")
            var settings = CISettings(
                provider: .github, apiURL: url, project: repository, pipeline: run, token: token, tokenVariable: tokenVariable)
            if overrides.pipeline == nil || overrides.pipeline == value("GITHUB_RUN_ID") {
                settings.stepSummaryPath = value("GITHUB_STEP_SUMMARY")
            }
            settings.insideCI = value("GITHUB_ACTIONS") != nil
            settings.workspace = value("GITHUB_WORKSPACE")
            // owner/repo/.github/workflows/ci.yml@refs/heads/main → .github/workflows/ci.yml
            if let ref = value("GITHUB_WORKFLOW_REF"), let workspace = settings.workspace,
               let range = ref.range(of: "/.github/workflows/") {
                let file = ref[range.lowerBound...].dropFirst().split(separator: "@").first.map(String.init) ?? ""
                settings.configPath = workspace + "/" + file
            }
            return settings
        }
    }

    /// The API root without a trailing slash, so paths join with one.
    private static func apiRoot(_ text: String, from variable: String) throws(SetupError) -> URL {
        guard let url = URL(string: text.hasSuffix("/") ? String(text.dropLast()) : text), url.scheme != nil, url.host != nil else {
            throw .invalidURL(variable: variable, value: text)
        }
        return url
    }

    init(provider: CIProvider, apiURL: URL, project: String, pipeline: String, token: String, tokenVariable: String) {
        self.provider = provider
        self.apiURL = apiURL
        self.project = project
        self.pipeline = pipeline
        self.token = token
        self.tokenVariable = tokenVariable
    }
}
