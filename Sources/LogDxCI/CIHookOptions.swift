/// What `logdx ci` writes besides its log output, and how it reads the pipeline.
public struct CIHookOptions: Sendable {
    /// Report files; nil writes none. GitLab's defaults are set by the command.
    public var junitPath: String?
    public var codeQualityPath: String?
    public var jsonPath: String?
    public var markdownPath: String?
    /// Append the Markdown report to GitHub's step summary (when `GITHUB_STEP_SUMMARY` is set).
    public var stepSummary = true
    /// Post the Markdown report on the merge request (GitLab merge-request pipelines only).
    public var mergeRequestNote = false
    /// The CI config to read; nil uses the one the environment names, when it exists.
    public var configPath: String?
    public var readConfig = true
    /// Also write each downloaded log here, redacted (logs are otherwise only held in memory).
    public var keepLogsIn: String?
    public var limits = FetchLimits()
    public var excerptLines = 20
    public var color = false

    public init() {}
}
