import Foundation

/// Downloads the logs of a pipeline's jobs a few at a time and records the outcome on each job:
/// its log file, or a note saying why it has none or why it is incomplete. Both CIs' fetchers
/// use it; only the request differs.
struct JobLogDownloads {
    /// Parallel downloads: enough to hide latency, few enough not to trip rate limits.
    static let parallel = 4

    /// What the CI calls a job's log in messages ("trace" on GitLab).
    let noun: String
    let directory: String

    func path(of job: FetchedJob) -> String { directory + "/\(job.id).log" }

    /// Fetches the log of every job at `indices` with `fetch` and records the results on `jobs`.
    /// Throws the first authentication error when no log at all could be read: a token that
    /// lists jobs but may read no log is a setup problem, not a note.
    func run(
        _ indices: [Int], of jobs: inout [FetchedJob], notes: inout [String],
        fetch: @escaping @Sendable (FetchedJob, String) async throws(FetchError) -> HTTPResponse
    ) async throws(FetchError) {
        let snapshot = jobs
        let results = await withTaskGroup(of: (Int, Result<HTTPResponse, FetchError>).self) { group in
            var pending = indices[...]
            var collected: [(Int, Result<HTTPResponse, FetchError>)] = []
            func start(_ index: Int) {
                let job = snapshot[index]
                let target = path(of: job)
                group.addTask {
                    do throws(FetchError) {
                        return (index, .success(try await fetch(job, target)))
                    } catch {
                        return (index, .failure(error))
                    }
                }
            }
            for _ in 0..<Self.parallel { if let next = pending.popFirst() { start(next) } }
            for await result in group {
                collected.append(result)
                if let next = pending.popFirst() { start(next) }
            }
            return collected
        }
        var authError: FetchError?
        for (index, result) in results.sorted(by: { $0.0 < $1.0 }) {
            let name = jobs[index].name
            switch result {
            case .success(let response):
                guard response.bytesWritten > 0 else {
                    notes.append("job \(name): the \(noun) is empty (erased, or the job printed nothing)")
                    continue
                }
                jobs[index].logPath = path(of: jobs[index])
                if let cut = response.cutOff {
                    notes.append("job \(name): the \(noun) download was cut off — \(cut); diagnosed what arrived")
                }
            case .failure(let error):
                switch error {
                case .unauthorized, .forbidden: authError = authError ?? error
                default: break
                }
                notes.append("job \(name): no \(noun) — \(error.description)")
            }
        }
        if let authError, !jobs.contains(where: { $0.logPath != nil }) { throw authError }
    }
}
