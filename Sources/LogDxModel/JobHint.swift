/// What a CI's API knows about a job whose log logdx reads from a file: its real name, stage and
/// outcome, which a raw trace does not carry. Applied over what the log says.
public struct JobHint: Sendable, Equatable {
    public var name: String
    public var stage: String?
    /// Position of the stage in the pipeline, when known.
    public var stageOrder: Int?
    /// The outcome the API reports; nil leaves it to the log.
    public var status: JobStatus?
    public var startedAt: Double?
    /// Shown as the job's source instead of the (temporary) file it was read from.
    public var source: String?

    public init(name: String, stage: String? = nil, stageOrder: Int? = nil, status: JobStatus? = nil, startedAt: Double? = nil, source: String? = nil) {
        self.name = name
        self.stage = stage
        self.stageOrder = stageOrder
        self.status = status
        self.startedAt = startedAt
        self.source = source
    }
}
