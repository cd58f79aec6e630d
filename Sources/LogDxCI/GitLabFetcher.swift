import Foundation
import LogDx

/// Fetches a GitLab pipeline: the job list, then every trace that exists, a few at a time.
struct GitLabFetcher: Sendable {
    let api: GitLabAPI
    let settings: CISettings
    let directory: String
    static let parallelDownloads = 4

    func fetch() async throws(FetchError) -> FetchedPipeline {
        let listed = try await api.jobs()
        var notes: [String] = []
        var jobs: [FetchedJob] = []
        var wanted: [(index: Int, job: GitLabAPI.Job)] = []
        for job in listed.sorted(by: { $0.id < $1.id }) {
            var status = GitLabAPI.status(job)
            if let current = settings.currentJobID, String(job.id) == current {
                // After a job's script, CI_JOB_STATUS holds its outcome; in a job of its own,
                // logdx is not part of the failure it explains.
                guard let finished = settings.currentJobStatus, ["success", "failed", "canceled"].contains(finished) else { continue }
                status = finished == "success" ? .some(.success) : finished == "failed" ? .some(job.allow_failure == true ? .warning : .failed) : .some(.canceled)
            }
            guard let known = status else {
                continue
            }
            jobs.append(FetchedJob(
                id: String(job.id), name: job.name, stage: job.stage, apiStatus: job.status, status: known,
                startedAt: FetchedPipeline.seconds(job.started_at ?? job.created_at), webURL: job.web_url))
            wanted.append((jobs.count - 1, job))
        }
        let results = await withTaskGroup(of: (Int, Result<HTTPResponse, FetchError>).self) { group in
            var pending = wanted[...]
            var collected: [(Int, Result<HTTPResponse, FetchError>)] = []
            func start(_ item: (index: Int, job: GitLabAPI.Job)) {
                let path = directory + "/\(item.job.id).log"
                group.addTask {
                    do throws(FetchError) {
                        return (item.index, .success(try await api.downloadTrace(of: item.job, to: path)))
                    } catch {
                        return (item.index, .failure(error))
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
        var firstAuthError: FetchError?
        for (index, result) in results.sorted(by: { $0.0 < $1.0 }) {
            let job = jobs[index]
            switch result {
            case .success(let response):
                guard response.bytesWritten > 0 else {
                    notes.append("job \(job.name): the trace is empty (erased, or the job printed nothing)")
                    continue
                }
                jobs[index].logPath = directory + "/\(job.id).log"
                if let cut = response.cutOff {
                    notes.append("job \(job.name): the trace download was cut off — \(cut); diagnosed what arrived")
                }
                if Self.exceededLogLimit(jobs[index].logPath!) {
                    notes.append("job \(job.name): the runner stopped collecting its log (\"Job's log exceeded limit\"); the end of the job is missing. Raise output_limit in the runner's config.toml to keep it")
                }
            case .failure(let error):
                if case .unauthorized = error { firstAuthError = firstAuthError ?? error }
                if case .forbidden = error { firstAuthError = firstAuthError ?? error }
                notes.append("job \(job.name): no trace — \(error.description)")
            }
        }
        // A token that lists jobs but may not read any trace is a setup problem, not a note.
        if let firstAuthError, !jobs.contains(where: { $0.logPath != nil }) { throw firstAuthError }
        var pipeline = FetchedPipeline(provider: .gitlab, jobs: jobs, notes: notes)
        pipeline.orderStagesByFirstJob()
        return pipeline
    }

    /// The runner writes this line (then nothing more) when a job's output passes `output_limit`.
    static func exceededLogLimit(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let size = (try? handle.seekToEnd()) ?? 0
        try? handle.seek(toOffset: size > 4096 ? size - 4096 : 0)
        let tail = handle.readDataToEndOfFile()
        return String(decoding: tail, as: UTF8.self).contains("Job's log exceeded limit of")
    }
}
