/// The log formats logdx reads. Raw values are the names `--input-format` accepts.
public enum InputFormat: String, Codable, Sendable, CaseIterable {
    case gitlabCILocal = "gitlab-ci-local"
    case gitlabRunner = "gitlab"
    case githubActions = "github"
    case ghRunView = "gh-run-view"
    case jenkins
    case plain

    /// One line each, for `--help` and error messages.
    public var summary: String {
        switch self {
        case .gitlabCILocal: "gitlab-ci-local output: every job in one paste, lines prefixed by the job name"
        case .gitlabRunner: "a GitLab runner job trace (section_start/section_end markers, ANSI colours)"
        case .githubActions: "a GitHub Actions job log as downloaded (timestamp prefix, ##[group])"
        case .ghRunView: "`gh run view --log` output: job<TAB>step<TAB>line, many jobs in one file"
        case .jenkins: "a Jenkins console log ([Pipeline] steps, Finished: STATUS)"
        case .plain: "any other text: one file is one job"
        }
    }
}
