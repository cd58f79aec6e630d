import Foundation
import LogDx

/// Fetches a GitHub run: its jobs, then the logs — the run's zip when the run has finished, else
/// each finished job's log (the job running logdx is still in progress, so its run is too).
struct GitHubFetcher: Sendable {
    let api: GitHubAPI
    let directory: String

    func fetch() async throws(FetchError) -> FetchedPipeline {
        let run = try await api.run()
        let listed = try await api.jobs()
        var notes: [String] = []
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
        try await JobLogDownloads(noun: "log", directory: directory).run(sources.keys.sorted(), of: &jobs, notes: &notes) { fetched, path throws(FetchError) in
            guard let job = byID[fetched.id] else {
                throw .invalidResponse(request: "log of job \(fetched.id)", reason: "not in the job list")
            }
            return try await api.downloadJobLog(job, to: path)
        }
        return FetchedPipeline(provider: .github, jobs: jobs, notes: notes)
    }

    /// Reads the run's zip into the jobs; false (with a note) when it cannot be had, so the caller
    /// falls back to one download per job.
    private func fetchArchive(into jobs: inout [FetchedJob], notes: inout [String]) async throws(FetchError) -> Bool {
        let zip = directory + "/run-logs.zip"
        let response: HTTPResponse
        do {
            response = try await api.downloadRunLogs(to: zip)
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
        let logs: [String: String]
        do {
            logs = try RunLogArchive(path: zip).extractJobLogs(into: directory)
        } catch {
            notes.append("\(error.description); fetched each job's log instead")
            return false
        }
        try? FileManager.default.removeItem(atPath: zip)
        let byKey = Dictionary(logs.map { (RunLogArchive.key($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })
        for index in jobs.indices {
            jobs[index].logPath = logs[jobs[index].name] ?? byKey[RunLogArchive.key(jobs[index].name)]
            if jobs[index].logPath == nil { notes.append("job \(jobs[index].name): not in the run's log archive") }
        }
        return true
    }
}
