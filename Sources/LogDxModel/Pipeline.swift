/// Everything ingest learned about the pipeline: its jobs in order, and how the input was read.
public struct Pipeline: Sendable {
    /// The detected (or forced) format; `nil` when the inputs mixed formats.
    public var format: InputFormat?
    public var jobs: [Job]
    public var notices: [Notice]
    /// Compressed inputs whose data broke off or went bad, by name, with what happened; what came
    /// before the damage was read (a notice says so too).
    public var damagedInputs: [String: String] = [:]
    /// XXH64 of each file read to its end, by name, as stored on disk (see `ContentHash`).
    public var contentHashes: [String: UInt64] = [:]

    public init(format: InputFormat?, jobs: [Job], notices: [Notice]) {
        self.format = format
        self.jobs = jobs
        self.notices = notices
    }

    /// The jobs sorted in pipeline order.
    public var jobsInOrder: [Job] { jobs.sorted { $0.order < $1.order } }

    /// `true` when job `a` ran before job `b`: an earlier run, an earlier stage when both stages are known, else an
    /// earlier position. Jobs of one stage run in parallel, so neither is before the other.
    public func job(_ a: Int, runsBefore b: Int) -> Bool {
        let ja = jobs[a], jb = jobs[b]
        if let ra = ja.run, let rb = jb.run, ra != rb { return ra < rb }
        if let sa = ja.stageOrder, let sb = jb.stageOrder {
            return sa < sb
        }
        return ja.order < jb.order
    }
}
