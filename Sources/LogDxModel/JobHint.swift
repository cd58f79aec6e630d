/// What a CI's API knows about the job a log is of: its real name, stage and outcome, which a raw
/// trace does not carry. Applied over what the log says.
public struct JobHint: Sendable, Equatable {
    public var name: String
    public var stage: String?
    /// Position of the stage in the pipeline, when known.
    public var stageOrder: Int?
    /// The outcome the API reports; nil leaves it to the log.
    public var status: JobStatus?
    public var startedAt: Double?

    public init(name: String, stage: String? = nil, stageOrder: Int? = nil, status: JobStatus? = nil, startedAt: Double? = nil) {
        self.name = name
        self.stage = stage
        self.stageOrder = stageOrder
        self.status = status
        self.startedAt = startedAt
    }
}
