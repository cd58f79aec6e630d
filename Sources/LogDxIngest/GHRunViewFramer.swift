import LogDxModel

/// `gh run view --log` output: `job<TAB>step<TAB>timestamped line`, every job of a run in one file.
struct GHRunViewFramer: Framer {
    private let source: String
    private var cleaner = LineCleaner()
    private var jobsByName: [String: Int] = [:]
    private var lastStep: [Int: String] = [:]
    private var reachedCleanup: Set<Int> = []
    private var reportedError: Set<Int> = []

    init(source: String) {
        self.source = source
    }

    mutating func frame(_ raw: UnsafeBufferPointer<UInt8>, into output: inout FrameOutput, jobs: inout JobTable) {
        let line = cleaner.clean(raw)
        guard let firstTab = line.firstIndex(of: 0x09),
              let secondTab = line[(firstTab + 1)...].firstIndex(of: 0x09)
        else { return }
        let name = Bytes.string(line[..<firstTab])
        let step = Bytes.string(line[(firstTab + 1)..<secondTab])
        let job: Int
        if let known = jobsByName[name] {
            job = known
        } else {
            job = jobs.add(name: name, source: source, format: .ghRunView)
            jobsByName[name] = job
        }
        output.job = job
        if lastStep[job] != step {
            lastStep[job] = step
            output.emit(StructuralEvent.section, ["name": step])
        }
        let (seconds, text) = GitHubLogLine.splitTimestamp(line[(secondTab + 1)...])
        if let seconds { jobs.noteTimestamp(seconds, of: job) }
        if GitHubLogLine.isCleanupLine(text) { reachedCleanup.insert(job) }
        if Bytes.hasPrefix(text, "##[error]") { reportedError.insert(job) }
        output.text = GitHubLogLine.interpret(text, job: job, output: &output, jobs: &jobs)
    }

    mutating func finish(jobs: inout JobTable) {
        for job in reportedError where jobs[job].status == .unknown {
            jobs.finish(job, status: .failed, exitCode: nil)
        }
        for job in reachedCleanup where jobs[job].status == .unknown {
            jobs.finish(job, status: .success, exitCode: 0)
        }
    }
}
