import LogDxModel

/// gitlab-ci-local output: every job in one stream, each line prefixed by the job name padded to
/// the longest name; `$ ` marks a script command and `> ` the command's output.
struct GitLabCILocalFramer: Framer {
    private let source: String
    private var cleaner = LineCleaner()
    /// Known job names as bytes, longest first so `test-unit` wins over `test`.
    private var names: [(bytes: [UInt8], job: Int)] = []

    init(source: String) {
        self.source = source
    }

    mutating func frame(_ raw: UnsafeBufferPointer<UInt8>, into output: inout FrameOutput, jobs: inout JobTable) {
        let line = cleaner.clean(raw)
        if let job = startingJob(line, jobs: &jobs) {
            output.job = job
            output.text = jobPrefix(line)?.1
            return
        }
        guard let (job, rest) = jobPrefix(line) else {
            summaryLine(line, jobs: &jobs)
            return
        }
        output.job = job
        if Bytes.hasPrefix(rest, "$ ") {
            output.emit(StructuralEvent.command, ["command": Bytes.string(rest.dropFirst(2))])
            output.text = rest
        } else if Bytes.hasPrefix(rest, "> ") {
            output.text = rest.dropFirst(2)
        } else if rest.count == 1 && rest.first == UInt8(ascii: ">") {
            output.text = rest.dropFirst()
        } else {
            output.text = rest
            finishedLine(rest, job: job, output: &output, jobs: &jobs)
        }
    }

    private mutating func startingJob(_ line: ArraySlice<UInt8>, jobs: inout JobTable) -> Int? {
        guard let starting = GitLabCILocalLine.starting(line) else { return nil }
        let name = Array(line[starting.name])
        let stage = Bytes.string(line[starting.stage])
        let job: Int
        if let known = names.first(where: { $0.bytes == name }) {
            job = known.job
        } else {
            job = jobs.add(name: String(decoding: name, as: UTF8.self), source: source, format: .gitlabCILocal)
            names.append((name, job))
            names.sort { $0.bytes.count > $1.bytes.count }
        }
        jobs.setStage(stage, of: job)
        return job
    }

    private func jobPrefix(_ line: ArraySlice<UInt8>) -> (Int, ArraySlice<UInt8>)? {
        for (name, job) in names where line.count > name.count && line.starts(with: name) {
            let after = line.startIndex + name.count
            guard line[after] == 0x20 else { continue }
            var start = after
            while start < line.endIndex && line[start] == 0x20 { start += 1 }
            // Output lines keep their own leading spaces after "> ", so only the padding is skipped.
            return (job, line[start...])
        }
        return nil
    }

    private func finishedLine(_ rest: ArraySlice<UInt8>, job: Int, output: inout FrameOutput, jobs: inout JobTable) {
        guard let finished = GitLabCILocalLine.finished(rest) else { return }
        var status = JobStatus.success
        var code: Int? = 0
        if let result = finished.result {
            status = result == UInt8(ascii: "F") ? .failed : .warning
            code = finished.code
        }
        jobs.finish(job, status: status, exitCode: code)
        var fields = ["status": status.rawValue]
        if let code { fields["exit_code"] = String(code) }
        output.emit(StructuralEvent.jobFinished, fields)
    }

    /// The closing ` PASS  name` lines are the authoritative result of each job.
    private func summaryLine(_ line: ArraySlice<UInt8>, jobs: inout JobTable) {
        guard let summary = GitLabCILocalLine.summary(line) else { return }
        let name = Array(line[summary.name])
        guard let job = names.first(where: { $0.bytes == name })?.job else { return }
        let status: JobStatus
        switch summary.result {
        case UInt8(ascii: "P"): status = .success
        case UInt8(ascii: "F"): status = .failed
        default: status = .warning
        }
        jobs.finish(job, status: status, exitCode: nil)
    }
}
