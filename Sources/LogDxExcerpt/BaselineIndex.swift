import LogDxIngest
import LogDxModel

/// The lines of a passing run, masked and hashed, per job name and for the whole run: a failing
/// line absent from it is new, and new lines are where a regression shows.
public struct BaselineIndex: IngestSink, Sendable {
    /// At most this many distinct lines per job are kept (8 bytes each).
    public static let maxLinesPerJob = 4_000_000

    private var byJob: [Int: Set<UInt64>] = [:]
    package private(set) var jobNames: [String: Set<UInt64>] = [:]
    private var all: Set<UInt64> = []

    public init() {}

    public mutating func structural(kind: String, job: Int, line: Int, text: UnsafeBufferPointer<UInt8>, fields: [String: String]) {}

    public mutating func line(job: Int, number: Int, text: UnsafeBufferPointer<UInt8>) {
        guard byJob[job, default: []].count < Self.maxLinesPerJob else { return }
        let hash = VolatileMask.hash(text)
        byJob[job, default: []].insert(hash)
        all.insert(hash)
    }

    /// Names the jobs once the baseline pipeline has been read.
    public mutating func finish(_ pipeline: Pipeline) {
        for (index, hashes) in byJob {
            jobNames[pipeline.jobs[index].name, default: []].formUnion(hashes)
        }
        byJob = [:]
    }

    /// The passing lines to compare a failing job with: the job of the same name, else all of them.
    package func lines(forJob name: String) -> Set<UInt64> {
        jobNames[name] ?? all
    }

    public var isEmpty: Bool { all.isEmpty }
}
