import LogDxModel

/// Reads a job's outcome from the lines CIs print when a job or its script ends, for jobs whose
/// framing did not settle it (a pasted fragment has no `Job succeeded` footer or `##[error]`
/// marker to frame). A job none of them speaks for stays `unknown`: logdx says only what the log
/// says.
///
/// A failure anywhere wins over a later success line (Travis runs `after_success` scripts that
/// exit 0 after a failed one), and the first failing exit code is the job's.
package struct JobOutcomeReader {
    private var outcomes: [Int: (status: JobStatus, exitCode: Int?)] = [:]

    mutating func observe(_ text: ArraySlice<UInt8>, job: Int) {
        // Every line is observed; almost none can be an exit line, as its first letter tells.
        guard let first = text.first(where: { $0 != 0x20 && $0 != 0x09 }), Self.firstBytes.contains(first),
              let (status, code) = Self.outcome(Bytes.trimmed(text))
        else { return }
        if let known = outcomes[job], known.status == .failed { return }
        outcomes[job] = (status, code)
    }

    /// Sets the outcome of every job still `unknown` that a line spoke for.
    package func finish(jobs: inout JobTable) {
        for (job, outcome) in outcomes.sorted(by: { $0.key < $1.key }) where jobs[job].status == .unknown {
            jobs.finish(job, status: outcome.status, exitCode: outcome.exitCode)
        }
    }

    /// The first bytes of the lines `outcome` reads: `Error:`, `ERROR:`, `Exited`, `##[error]`,
    /// `Process`, `Job`, `Finished:`, `Build step`, `The command`, `The build`, `Done.`, `Your build`.
    private static let firstBytes = Array("E#PJFBTDY".utf8)

    /// The outcome one line states, in the wording of the CI that prints it.
    package static func outcome(_ line: ArraySlice<UInt8>) -> (JobStatus, Int?)? {
        var text = line
        // A copy of GitHub's job page renders `##[error]` as `Error: `.
        if Bytes.hasPrefix(text, "Error: ") { text = text.dropFirst(7) }
        if Bytes.hasPrefix(text, "##[error]") { text = text.dropFirst(9) }
        // GitHub Actions (runner), also Azure Pipelines' `##[error]Bash exited with code '1'.`
        if let code = number(after: "Process completed with exit code ", in: text) { return exit(code) }
        if Bytes.hasPrefix(line, "##[error]") { return (.failed, nil) }
        // GitLab runner
        if Bytes.hasPrefix(text, "Job succeeded") { return (.success, 0) }
        if Bytes.hasPrefix(text, "ERROR: Job failed") {
            if Bytes.firstIndex(of: "canceled", in: text) != nil { return (.canceled, nil) }
            let code = Bytes.firstIndex(of: "exit code ", in: text).flatMap { Bytes.integer(text[($0 + 10)...]) }
            return (.failed, code)
        }
        // Jenkins
        if let code = number(after: "ERROR: script returned exit code ", in: text) { return exit(code) }
        if Bytes.hasPrefix(text, "Finished: ") {
            let result = text.dropFirst(10)
            if Bytes.hasPrefix(result, "SUCCESS") { return (.success, nil) }
            if Bytes.hasPrefix(result, "FAILURE") { return (.failed, nil) }
            if Bytes.hasPrefix(result, "UNSTABLE") { return (.warning, nil) }
            if Bytes.hasPrefix(result, "ABORTED") || Bytes.hasPrefix(result, "NOT_BUILT") { return (.canceled, nil) }
            return nil
        }
        if Bytes.hasPrefix(text, "Build step '"), Bytes.firstIndex(of: "' marked build as failure", in: text) != nil {
            return (.failed, nil)
        }
        // Travis CI
        if Bytes.hasPrefix(text, "The command \"") {
            if let at = Bytes.firstIndex(of: "\" failed and exited with ", in: text) {
                return (.failed, Bytes.integer(text[(at + 25)...]))
            }
            if let at = Bytes.firstIndex(of: "\" exited with ", in: text), let code = Bytes.integer(text[(at + 14)...]) {
                return code == 0 ? nil : (.failed, code)
            }
            return nil
        }
        if let code = number(after: "Done. Your build exited with ", in: text) { return exit(code) }
        if Bytes.hasPrefix(text, "The build has been terminated") || Bytes.hasPrefix(text, "Your build has been stopped.") {
            return (.failed, nil)
        }
        // CircleCI
        if let code = number(after: "Exited with code exit status ", in: text) ?? number(after: "Exited with code ", in: text) {
            return exit(code)
        }
        return nil
    }

    private static func number(after prefix: StaticString, in text: ArraySlice<UInt8>) -> Int? {
        guard Bytes.hasPrefix(text, prefix) else { return nil }
        return Bytes.integer(text.dropFirst(prefix.utf8CodeUnitCount))
    }

    private static func exit(_ code: Int) -> (JobStatus, Int?) {
        code == 0 ? (.success, 0) : (.failed, code)
    }
}
