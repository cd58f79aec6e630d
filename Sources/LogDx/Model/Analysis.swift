/// The result of diagnosing one pipeline: what was read and what it means, root cause first.
public struct Analysis: Sendable {
    public var pipeline: Pipeline
    public var diagnoses: [Diagnosis]

    public init(pipeline: Pipeline, diagnoses: [Diagnosis]) {
        self.pipeline = pipeline
        self.diagnoses = diagnoses
    }
}
