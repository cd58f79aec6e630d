import PCRE2

/// gitlab-ci-local output: every job in one stream, each line prefixed by the job name padded to
/// the longest name; `$ ` marks a script command and `> ` the command's output.
struct GitLabCILocalFramer: Framer {
    private let source: String
    private var cleaner = LineCleaner()
    /// Known job names as bytes, longest first so `test-unit` wins over `test`.
    private var names: [(bytes: [UInt8], job: Int)] = []
    private let scratch = MatchScratch()

    // `uv-install starting ghcr.io/astral-sh/uv:0.5-python3.11-alpine (.pre)`
    private static let starting = try! Pattern(#"^(?<name>\S.*?) +starting (?<image>.*) \((?<stage>[^()]+)\)$"#)
    // `test       finished in 1.35 s  FAIL 1` (gitlab-ci-local pads the badge with trailing spaces)
    private static let finished = try! Pattern(#"^finished in .*?(?:\s+(?<result>FAIL|WARN) (?<code>\d+))?\s*$"#)
    // ` PASS  uv-install` in the closing summary
    private static let summary = try! Pattern(#"^ (?<result>PASS|FAIL|WARN)  (?<name>\S.*?)\s*$"#)

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
        guard Bytes.firstIndex(of: " starting ", in: line) != nil else { return nil }
        let outcome = line.withUnsafeBufferPointer { Self.starting.firstMatch(in: $0, scratch: scratch) }
        guard case .matched(let match) = outcome,
              let nameRange = match.range(named: "name"), let stageRange = match.range(named: "stage")
        else { return nil }
        let base = line.startIndex
        let name = Array(line[(base + nameRange.lowerBound)..<(base + nameRange.upperBound)])
        let stage = Bytes.string(line[(base + stageRange.lowerBound)..<(base + stageRange.upperBound)])
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
        guard Bytes.hasPrefix(rest, "finished in ") else { return }
        let outcome = rest.withUnsafeBufferPointer { Self.finished.firstMatch(in: $0, scratch: scratch) }
        guard case .matched(let match) = outcome else { return }
        let base = rest.startIndex
        var status = JobStatus.success
        var code: Int? = 0
        if let result = match.range(named: "result"), let codeRange = match.range(named: "code") {
            status = rest[base + result.lowerBound] == UInt8(ascii: "F") ? .failed : .warning
            code = Bytes.integer(rest[(base + codeRange.lowerBound)...])
        }
        jobs.finish(job, status: status, exitCode: code)
        var fields = ["status": status.rawValue]
        if let code { fields["exit_code"] = String(code) }
        output.emit(StructuralEvent.jobFinished, fields)
    }

    /// The closing ` PASS  name` lines are the authoritative result of each job.
    private func summaryLine(_ line: ArraySlice<UInt8>, jobs: inout JobTable) {
        guard line.first == 0x20 else { return }
        let outcome = line.withUnsafeBufferPointer { Self.summary.firstMatch(in: $0, scratch: scratch) }
        guard case .matched(let match) = outcome, let nameRange = match.range(named: "name"),
              let resultRange = match.range(named: "result") else { return }
        let base = line.startIndex
        let name = Array(line[(base + nameRange.lowerBound)..<(base + nameRange.upperBound)])
        guard let job = names.first(where: { $0.bytes == name })?.job else { return }
        let status: JobStatus
        switch line[base + resultRange.lowerBound] {
        case UInt8(ascii: "P"): status = .success
        case UInt8(ascii: "F"): status = .failed
        default: status = .warning
        }
        jobs.finish(job, status: status, exitCode: nil)
    }
}
