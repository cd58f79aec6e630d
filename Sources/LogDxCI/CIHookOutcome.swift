import LogDx

/// What one run of the hook produced: the analysis (when the logs could be read), what it wrote,
/// and every problem met on the way. Problems never make the hook fail unless asked to.
public struct CIHookOutcome: Sendable {
    public var analysis: Analysis?
    /// For the job log: the diagnosis in the CI's own markup (GitLab section, GitHub commands).
    public var output: String
    /// Files written or appended to.
    public var written: [String]
    /// Fetch notes and problems, one sentence each, for standard error.
    public var notes: [String]
    /// The reason there is no analysis.
    public var failure: String?
}
