import LogDxConfig
import LogDxModel

/// The result of diagnosing one pipeline: what was read and what it means, root cause first.
public struct Analysis: Sendable {
    public var pipeline: Pipeline
    public var diagnoses: [Diagnosis]
    /// For each failed job (or job of unknown outcome), the lines that most likely explain it.
    public var excerpts: [Excerpt]
    /// Whether a passing run was given to compare with.
    public var hasBaseline: Bool
    /// The CI config read with the logs, if any: reports that point into the repository
    /// (Code Quality) point at its lines, since the logs are not in the repository.
    public var config: CIConfig?

    public init(pipeline: Pipeline, diagnoses: [Diagnosis], excerpts: [Excerpt] = [], hasBaseline: Bool = false, config: CIConfig? = nil) {
        self.pipeline = pipeline
        self.diagnoses = diagnoses
        self.excerpts = excerpts
        self.hasBaseline = hasBaseline
        self.config = config
    }
}
