/// The CI systems whose APIs `logdx ci` reads.
public enum CIProvider: String, Sendable, CaseIterable {
    case gitlab
    case github

    public var displayName: String {
        switch self {
        case .gitlab: "GitLab"
        case .github: "GitHub"
        }
    }

    /// How to get a token that works, for messages about one that did not.
    func tokenAdvice(_ variable: String) -> String {
        switch self {
        case .gitlab:
            return "Create a project access token with the read_api scope (api to post merge-request notes) and store it as a masked CI/CD variable named \(variable)."
        case .github:
            return "Give the workflow `permissions: actions: read` (and pull-requests: write only if it comments), or put a token with that access in \(variable)."
        }
    }
}
