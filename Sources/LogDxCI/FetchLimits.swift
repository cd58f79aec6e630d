import LogDx

/// How much of a pipeline the hook reads, so that no API answer (an endless job list, a log that
/// never ends, a pipeline of thousands of jobs) can make it grow without bound. Each cap that is
/// reached is a note; what was read within it is still diagnosed.
public struct FetchLimits: Sendable {
    /// Jobs read from the API's list (the list is newest first, so the latest jobs are kept).
    public var maxJobs = 500
    /// Bytes kept of one job's log: its first and last halves when it is larger.
    public var maxLogBytes = 64 * ByteCount.mebibyte
    /// Bytes of logs held at once; jobs past it are not downloaded (failed jobs come first).
    public var maxTotalLogBytes = 512 * ByteCount.mebibyte
    /// Pages of the job list followed at most.
    public var maxPages = 50

    public init() {}

    /// The cap that stopped reading a job list that went on.
    public enum ListCap: Sendable {
        case jobs, pages
    }

    /// What the user is told when a job list was cut.
    func note(_ cap: ListCap, kept: Int, pipeline: String) -> String {
        switch cap {
        case .jobs: "the \(pipeline) lists more than \(maxJobs) jobs; read the first \(maxJobs) (--max-jobs)"
        case .pages: "the \(pipeline)'s job list goes on past \(maxPages) pages; read the first \(kept) jobs"
        }
    }
}
