import Foundation
import LogDx

/// Fetches a GitHub run: its jobs, then the logs — the run's zip when the run has finished, else
/// each finished job's log (the job running logdx is still in progress, so its run is too).
struct GitHubFetcher: Sendable {
    let api: GitHubAPI
    let limits: FetchLimits

    func fetch() async throws(FetchError) -> FetchedPipeline {
        let run = try await api.run()
        let (listed, cap) = try await api.jobs(limits: limits)
        var notes: [String] = []
        if let cap { notes.append(limits.note(cap, kept: listed.count, pipeline: "run")) }
        var jobs: [FetchedJob] = []
        var sources: [Int: GitHubAPI.Job] = [:]
        for job in listed.sorted(by: { ($0.started_at ?? "", $0.id) < ($1.started_at ?? "", $1.id) }) {
            guard let status = GitHubAPI.status(job) else {
                if job.status != "completed" {
                    notes.append("job \(job.name) was still \(job.status.replacingOccurrences(of: "_", with: " ")); its log is not available until it finishes")
                }
                continue
            }
            jobs.append(FetchedJob(
                id: String(job.id), name: job.name, stage: nil, status: status,
                startedAt: FetchedPipeline.seconds(job.started_at), webURL: job.html_url))
            sources[jobs.count - 1] = job
        }
        if run.status == "completed", try await fetchArchive(into: &jobs, notes: &notes) {
            return FetchedPipeline(provider: .github, jobs: jobs, notes: notes)
        }
        let api = self.api
        let byID = Dictionary(sources.values.map { (String($0.id), $0) }, uniquingKeysWith: { first, _ in first })
        try await JobLogDownloads(noun: "log", limits: limits).run(sources.keys.sorted(), of: &jobs, notes: &notes) { fetched, capture throws(FetchError) in
            guard let job = byID[fetched.id] else {
                throw .invalidResponse(request: "log of job \(fetched.id)", reason: "not in the job list")
            }
            return try await api.downloadJobLog(job, into: capture)
        }
        return FetchedPipeline(provider: .github, jobs: jobs, notes: notes)
    }

    /// Reads the run's zip into the jobs; false (with a note) when it cannot be had, so the caller
    /// falls back to one download per job.
    private func fetchArchive(into jobs: inout [FetchedJob], notes: inout [String]) async throws(FetchError) -> Bool {
        // The zip is read whole or not at all: a zip cut in the middle has no directory.
        let zip: LogCapture
        do {
            zip = LogCapture(file: try MemoryLogFile(), limit: limits.maxTotalLogBytes, keepsTail: false)
        } catch {
            notes.append("the run's log archive could not be held (\(error.description)); fetched each job's log instead")
            return false
        }
        let response: HTTPResponse
        do {
            response = try await api.downloadRunLogs(into: zip)
        } catch {
            switch error {
            case .unauthorized, .forbidden: throw error
            default:
                notes.append("the run's log archive could not be fetched (\(error.description)); fetched each job's log instead")
                return false
            }
        }
        if let cut = response.cutOff {
            notes.append("the run's log archive was cut off (\(cut)); fetched each job's log instead")
            return false
        }
        let logs: [String: LogCapture]
        let capped: Bool
        do {
            (logs, capped) = try RunLogArchive(path: zip.file.path).extractJobLogs(limits: limits)
        } catch {
            notes.append("\(error.description); fetched each job's log instead")
            return false
        }
        let byKey = Dictionary(logs.map { (RunLogArchive.key($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        for index in jobs.indices {
            let name = jobs[index].name
            guard let log = logs[jobs[index].name] ?? byKey[RunLogArchive.key(jobs[index].name)] else {
                notes.append(capped
                    ? "job \(name): its log was not read from the run's archive: the logs read reached the caps (--max-jobs, --max-total-mb)"
                    : "job \(name): not in the run's log archive")
                continue
            }
            jobs[index].log = log.file
            if log.received > log.file.size {
                notes.append("job \(name): the log is larger than \(ByteCount.text(log.limit)); diagnosed its first and last \(ByteCount.text(log.limit / 2)) (--max-log-mb)")
            }
        }
        return true
    }
}
