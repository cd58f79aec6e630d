import LogDxModel

/// A Jenkins console log: `[Pipeline]` step lines, `+ command` shell echoes (`set -x`), and a
/// closing `Finished: SUCCESS|UNSTABLE|FAILURE|ABORTED`.
struct JenkinsFramer: Framer {
    private let job: Int
    private var cleaner = LineCleaner()

    init(job: Int) {
        self.job = job
    }

    mutating func frame(_ raw: UnsafeBufferPointer<UInt8>, into output: inout FrameOutput, jobs: inout JobTable) {
        output.job = job
        var text = cleaner.clean(raw)
        // The Timestamper plugin prefixes `[2024-05-01T10:00:00.000Z] `.
        if text.first == UInt8(ascii: "["), text.count > 22, text[text.startIndex + 5] == UInt8(ascii: "-"),
           let close = text.firstIndex(of: UInt8(ascii: "]")) {
            if let seconds = GitHubLogLine.epochSeconds(text[(text.startIndex + 1)...]) {
                jobs.noteTimestamp(seconds, of: job)
            }
            text = Bytes.trimmed(text[(close + 1)...])
        }
        output.text = text
        if Bytes.hasPrefix(text, "[Pipeline] { (") {
            let name = text.dropFirst(14).dropLast(text.last == UInt8(ascii: ")") ? 1 : 0)
            output.emit(StructuralEvent.section, ["name": Bytes.string(name)])
        } else if Bytes.hasPrefix(text, "+ ") {
            output.emit(StructuralEvent.command, ["command": Bytes.string(text.dropFirst(2))])
        } else if Bytes.hasPrefix(text, "ERROR: script returned exit code ") {
            // The pipeline `sh` step's exit code; `Finished:` later gives the job's status.
            if let code = Bytes.integer(text.dropFirst(33)) {
                jobs.finish(job, status: jobs[job].status, exitCode: code)
                output.emit(StructuralEvent.jobFinished, ["status": "failed", "exit_code": String(code)])
            }
        } else if Bytes.hasPrefix(text, "Finished: ") {
            let result = Bytes.string(text.dropFirst(10))
            let status: JobStatus
            switch result {
            case "SUCCESS": status = .success
            case "UNSTABLE": status = .warning
            case "ABORTED", "NOT_BUILT": status = .canceled
            default: status = .failed
            }
            jobs.finish(job, status: status, exitCode: nil)
            output.emit(StructuralEvent.jobFinished, ["status": status.rawValue])
        }
    }
}
