import Foundation
import LogDx

/// Fetches a GitHub run: its jobs, then the logs — the run's zip when the run has finished, else
/// each finished job's log (the job running logdx is still in progress, so its run is too).
struct GitHubFetcher: Sendable {
    let api: GitHubAPI
    let directory: String
    static let parallelDownloads = 4

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
                id: String(job.id), name: job.name, stage: nil, apiStatus: "\(job.status)/\(job.conclusion ?? "none")",
                status: status, startedAt: FetchedPipeline.seconds(job.started_at), webURL: job.html_url))
            sources[jobs.count - 1] = job
        }
        if run.status == "completed", try await fetchArchive(into: &jobs, notes: &notes) {
            return FetchedPipeline(provider: .github, jobs: jobs, notes: notes)
        }
        let results = await withTaskGroup(of: (Int, Result<HTTPResponse, FetchError>).self) { group in
            var pending = sources.keys.sorted()[...]
            var collected: [(Int, Result<HTTPResponse, FetchError>)] = []
            func start(_ index: Int) {
                let job = sources[index]!
                let path = directory + "/\(job.id).log"
                group.addTask {
                    do throws(FetchError) {
                        return (index, .success(try await api.downloadJobLog(job, to: path)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<Self.parallelDownloads { if let next = pending.popFirst() { start(next) } }
            for await result in group {
                collected.append(result)
                if let next = pending.popFirst() { start(next) }
            }
            return collected
        }
        var authError: FetchError?
        for (index, result) in results.sorted(by: { $0.0 < $1.0 }) {
            switch result {
            case .success(let response):
                guard response.bytesWritten > 0 else {
                    notes.append("job \(jobs[index].name): the log is empty")
                    continue
                }
                jobs[index].logPath = directory + "/\(jobs[index].id).log"
                if let cut = response.cutOff { notes.append("job \(jobs[index].name): the log download was cut off — \(cut); diagnosed what arrived") }
            case .failure(let error):
                if case .unauthorized = error { authError = authError ?? error }
                if case .forbidden = error { authError = authError ?? error }
                notes.append("job \(jobs[index].name): no log — \(error.description)")
            }
        }
        if let authError, !jobs.contains(where: { $0.logPath != nil }) { throw authError }
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
