import Foundation
import LogDx

/// A pipeline as the CI's API describes it, with each job's log downloaded into memory.
public struct FetchedPipeline: Sendable {
    public var provider: CIProvider
    public var jobs: [FetchedJob]
    /// What the user should know about the fetch: jobs without logs, logs cut short, waits.
    public var notes: [String]

    /// Only jobs whose logs arrived can be diagnosed.
    public var jobsWithLogs: [FetchedJob] { jobs.filter { $0.log != nil } }
}

/// One job: the API's facts about it and where its log is.
public struct FetchedJob: Sendable {
    public var id: String
    public var name: String
    public var stage: String?
    /// Position of the stage in the pipeline, when known.
    public var stageOrder: Int?
    /// The status logdx uses; nil when the log should decide.
    public var status: JobStatus?
    public var startedAt: Double?
    public var webURL: String?
    /// The log as downloaded (within the size cap); nil when it could not be had.
    var log: MemoryLogFile?

    /// The log for the engine, read straight from memory and named after the job's page, with the
    /// API's facts about the job; nil when the log could not be had.
    public var logInput: LogInput? {
        guard let log else { return nil }
        return LogInput(
            origin: .descriptor(log.descriptor), name: sourceName,
            hint: JobHint(name: name, stage: stage, stageOrder: stageOrder, status: status, startedAt: startedAt))
    }

    /// How the job is named in evidence sources: its page on the CI, else `job ID`.
    public var sourceName: String { webURL ?? "job \(id)" }
}

extension FetchedPipeline {
    /// GitLab creates a pipeline's jobs stage by stage, so the smallest job id of each stage gives
    /// the stage order when the config file is not at hand.
    mutating func orderStagesByFirstJob() {
        var first: [String: Int] = [:]
        for job in jobs {
            guard let stage = job.stage, let id = Int(job.id) else { continue }
            first[stage] = min(first[stage] ?? id, id)
        }
        let order = first.sorted { $0.value < $1.value }.enumerated().reduce(into: [String: Int]()) { $0[$1.element.key] = $1.offset }
        for index in jobs.indices { jobs[index].stageOrder = jobs[index].stage.flatMap { order[$0] } }
    }

    /// Applies the config's `stages:` list, which is authoritative where it names the stage.
    public mutating func orderStages(_ stages: [String]) {
        guard !stages.isEmpty else { return }
        for index in jobs.indices {
            if let stage = jobs[index].stage, let position = stages.firstIndex(of: stage) { jobs[index].stageOrder = position }
        }
    }

    /// ISO 8601 as both APIs write it, with or without fractional seconds.
    static func seconds(_ text: String?) -> Double? {
        guard let text else { return nil }
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let date = formatter.date(from: text) { return date.timeIntervalSince1970 }
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.date(from: text)?.timeIntervalSince1970
    }
}
