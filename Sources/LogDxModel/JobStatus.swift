/// The outcome of a job as its log reports it.
public enum JobStatus: String, Codable, Sendable, CaseIterable {
    case success
    case failed
    /// Failed, but allowed to fail (gitlab-ci-local `WARN`, GitLab `allow_failure`).
    case warning
    case canceled
    /// The log does not say (plain text, a truncated trace).
    case unknown
}
