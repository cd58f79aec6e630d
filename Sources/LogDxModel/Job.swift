/// One CI job as read from the logs.
public struct Job: Codable, Sendable, Equatable {
    /// The job's identity: its position in `Pipeline.jobs`, in the order the logs introduced it.
    public var index: Int
    /// Position in pipeline order (by stage, then start time, then input order).
    public var order: Int
    public var name: String
    public var stage: String?
    /// Index of the stage in pipeline order when the logs name stages; used for ordering only.
    public var stageOrder: Int?
    public var status: JobStatus
    public var exitCode: Int?
    /// Lines of the input that belong to this job.
    public var lineCount: Int
    /// The file the job was read from (`-` for standard input).
    public var source: String
    public var format: InputFormat
    /// Seconds since 1970 of the first timestamp in the job's log, when it has one.
    public var startedAt: Double?
    /// Which run of the pipeline the job belongs to (1 = the earliest), when the input holds
    /// several runs; nil for a single run.
    public var run: Int?
    /// How the input names that run: `run 1043` from a path, else `run 2`.
    public var runLabel: String?

    /// The name prose and evidence use: with several runs, two `build` jobs must read apart.
    public var displayName: String {
        runLabel.map { "\(name) (\($0))" } ?? name
    }

    public init(index: Int, name: String, source: String, format: InputFormat) {
        self.index = index
        self.order = index
        self.name = name
        self.status = .unknown
        self.lineCount = 0
        self.source = source
        self.format = format
    }
}
