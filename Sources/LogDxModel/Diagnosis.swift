/// One explained failure: what happened, the lines that show it, and how to fix it.
public struct Diagnosis: Sendable, Equatable {
    public var rule: String
    public var severity: Severity
    public var title: String
    public var explanation: String
    /// Names of the jobs involved, in pipeline order.
    public var jobs: [String]
    public var evidence: [Evidence]
    public var fixes: [Fix]
    public var docs: [String]
    /// Diagnoses this one explains (their rules are superseded by this one's).
    public var symptoms: [Diagnosis]
    /// Sort key within a severity: more specific rules explain more.
    public var priority: Int
    /// The line the diagnosis is about (its first required event), for one-line references.
    public var anchor: Evidence?
    /// Whether the failed job went on past every line of this diagnosis to another error, which
    /// it then failed on: the job survived this one, so it ranks below those it did not.
    public var survived = false
    /// How many more times the rule fired for the same jobs, merged into this finding.
    public var repeats = 0
    /// The values the rule bound, by reference as the rule writes it (`missing.package` →
    /// `["rdflib"]`): what the prose says, as data for JSON, the scan database and clusters.
    public var bindings: [String: [String]] = [:]

    public init(
        rule: String, severity: Severity, title: String, explanation: String, jobs: [String],
        evidence: [Evidence], fixes: [Fix], docs: [String], symptoms: [Diagnosis] = [], priority: Int = 0, anchor: Evidence? = nil
    ) {
        self.rule = rule
        self.severity = severity
        self.title = title
        self.explanation = explanation
        self.jobs = jobs
        self.evidence = evidence
        self.fixes = fixes
        self.docs = docs
        self.symptoms = symptoms
        self.priority = priority
        self.anchor = anchor
    }
}

/// A log line that supports a diagnosis.
public struct Evidence: Sendable, Equatable, Hashable {
    public var job: String
    /// Index of the job, for ordering.
    public var jobIndex: Int
    public var source: String
    public var line: Int
    public var text: Redacted
    /// The event kind the line produced.
    public var event: String
    /// A log line, or a line of the CI config (then `source` is the config file).
    public var origin: Origin = .log

    package init(job: String, jobIndex: Int, source: String, line: Int, text: Redacted, event: String, origin: Origin = .log) {
        self.job = job
        self.jobIndex = jobIndex
        self.source = source
        self.line = line
        self.text = text
        self.event = event
        self.origin = origin
    }

    public enum Origin: String, Sendable, Hashable {
        case log, config
    }

    /// How outputs name the line: `job:line` for a log line, `file:line` for a config line.
    public var place: String {
        origin == .config ? "\(source):\(line)" : "\(job):\(line)"
    }
}

/// A concrete change that removes the cause.
public struct Fix: Sendable, Equatable {
    public var summary: String
    public var detail: String
    /// The fix as a unified diff of the CI config, when the config was given and the rule says how.
    public var patch: String?

    public init(summary: String, detail: String, patch: String? = nil) {
        self.summary = summary
        self.detail = detail
        self.patch = patch
    }
}
