import Foundation
import LogDx

/// Fetches a GitLab pipeline: the job list, then every trace that exists, a few at a time.
struct GitLabFetcher: Sendable {
    let api: GitLabAPI
    let settings: CISettings
    let limits: FetchLimits

    func fetch() async throws(FetchError) -> FetchedPipeline {
        let (listed, cap) = try await api.jobs(limits: limits)
        var notes: [String] = []
        if let cap { notes.append(limits.note(cap, kept: listed.count, pipeline: "pipeline")) }
        var jobs: [FetchedJob] = []
        var byIndex: [Int: GitLabAPI.Job] = [:]
        for job in listed.sorted(by: { $0.id < $1.id }) {
            var readable = GitLabAPI.readable(job)
            if let current = settings.currentJobID, String(job.id) == current {
                // After a job's script, CI_JOB_STATUS holds its outcome; in a job of its own,
                // logdx is not part of the failure it explains.
                let finished = settings.currentJobStatus.flatMap { GitLabAPI.status(word: $0, allowFailure: job.allow_failure == true) }
                readable = finished.map { .read($0) } ?? .skip
            }
            guard case .read(let status) = readable else { continue }
            jobs.append(FetchedJob(
                id: String(job.id), name: job.name, stage: job.stage, status: status,
                startedAt: FetchedPipeline.seconds(job.started_at ?? job.created_at), webURL: job.web_url))
            byIndex[jobs.count - 1] = job
        }
        let api = self.api
        let byID = Dictionary(byIndex.values.map { (String($0.id), $0) }, uniquingKeysWith: { first, _ in first })
        let downloads = JobLogDownloads(noun: "trace", limits: limits)
        try await downloads.run(Array(byIndex.keys.sorted()), of: &jobs, notes: &notes) { fetched, capture throws(FetchError) in
            guard let job = byID[fetched.id] else {
                throw .invalidResponse(request: "trace of job \(fetched.id)", reason: "not in the job list")
            }
            return try await api.downloadTrace(of: job, into: capture)
        }
        for job in jobs {
            if let log = job.log, Self.exceededLogLimit(log) {
                notes.append("job \(job.name): the runner stopped collecting its log (\"Job's log exceeded limit\"); the end of the job is missing. Raise output_limit in the runner's config.toml to keep it")
            }
        }
        var pipeline = FetchedPipeline(provider: .gitlab, jobs: jobs, notes: notes)
        pipeline.orderStagesByFirstJob()
        return pipeline
    }

    /// The runner writes this line (then nothing more) when a job's output passes `output_limit`.
    static func exceededLogLimit(_ log: MemoryLogFile) -> Bool {
        let tail = log.read(at: max(0, log.size - 4096), count: 4096)
        return String(decoding: tail, as: UTF8.self).contains("Job's log exceeded limit of")
    }
}
