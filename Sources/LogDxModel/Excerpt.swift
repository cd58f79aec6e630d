/// The lines that most likely explain why a job failed, chosen without a rule: what logdx shows
/// when no diagnosis explains a failure, and beside diagnoses as supporting evidence.
public struct Excerpt: Sendable, Equatable {
    public struct Line: Sendable, Equatable {
        /// 1-based line number in the job's source file.
        public var line: Int
        public var text: Redacted
        /// Whether the line is absent from the baseline (passing) run; `nil` without a baseline.
        public var new: Bool?

        package init(line: Int, text: Redacted, new: Bool? = nil) {
            self.line = line
            self.text = text
            self.new = new
        }
    }

    public var job: String
    public var jobIndex: Int
    public var source: String
    public var lines: [Line]
    /// Whether a diagnosis already explains the job's failure.
    public var explained: Bool

    package init(job: String, jobIndex: Int, source: String, lines: [Line], explained: Bool) {
        self.job = job
        self.jobIndex = jobIndex
        self.source = source
        self.lines = lines
        self.explained = explained
    }
}
