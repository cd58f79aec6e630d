/// A GitHub Actions job log as downloaded: every line prefixed by an ISO-8601 timestamp, steps
/// opened by `##[group]Run …`, failures reported as `##[error]…`.
struct GitHubActionsFramer: Framer {
    private let job: Int
    private var cleaner = LineCleaner()
    private var reachedCleanup = false
    private var reportedError = false

    init(job: Int) {
        self.job = job
    }

    mutating func frame(_ raw: UnsafeBufferPointer<UInt8>, into output: inout FrameOutput, jobs: inout JobTable) {
        output.job = job
        let (seconds, text) = GitHubLogLine.splitTimestamp(cleaner.clean(raw))
        if let seconds { jobs.noteTimestamp(seconds, of: job) }
        if GitHubLogLine.isCleanupLine(text) { reachedCleanup = true }
        if Bytes.hasPrefix(text, "##[error]") { reportedError = true }
        output.text = GitHubLogLine.interpret(text, job: job, output: &output, jobs: &jobs)
    }

    mutating func finish(jobs: inout JobTable) {
        guard jobs[job].status == .unknown else { return }
        // An action that fails its step reports `##[error]…` without "Process completed with exit code".
        if reportedError {
            jobs.finish(job, status: .failed, exitCode: nil)
        } else if reachedCleanup {
            jobs.finish(job, status: .success, exitCode: 0)
        }
    }
}
