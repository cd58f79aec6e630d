import LogDxModel

/// The parts of a GitHub Actions log line shared by the raw job log and `gh run view --log`:
/// the timestamp prefix and the `##[…]` workflow markers.
enum GitHubLogLine {
    /// Splits `2025-01-07T10:24:54.1234567Z text` into seconds since 1970 and the text after it.
    static func splitTimestamp(_ line: ArraySlice<UInt8>) -> (Double?, ArraySlice<UInt8>) {
        var line = line
        // `gh run view --log` keeps the byte order mark of each job log after its TAB prefix.
        if Bytes.hasPrefix(line, "\u{FEFF}") { line = line.dropFirst(3) }
        guard line.count >= 21 else { return (nil, line) }
        let b = line.startIndex
        guard line[b + 4] == UInt8(ascii: "-"), line[b + 7] == UInt8(ascii: "-"),
              line[b + 10] == UInt8(ascii: "T"), line[b + 13] == UInt8(ascii: ":")
        else { return (nil, line) }
        var i = b + 19
        while i < line.endIndex && line[i] != UInt8(ascii: "Z") && i < b + 40 { i += 1 }
        guard i < line.endIndex, line[i] == UInt8(ascii: "Z") else { return (nil, line) }
        let seconds = epochSeconds(line[b..<(b + 19)])
        var textStart = i + 1
        if textStart < line.endIndex && line[textStart] == 0x20 { textStart += 1 }
        return (seconds, line[textStart...])
    }

    /// Whether `line` starts with GitHub's timestamp, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, after an
    /// optional byte order mark: every digit and separator checked, unlike `splitTimestamp`, which
    /// trusts a line already known to be GitHub's.
    static func startsWithTimestamp(_ line: ArraySlice<UInt8>) -> Bool {
        var line = line
        if Bytes.hasPrefix(line, "\u{FEFF}") { line = line.dropFirst(3) }
        guard line.count >= 20 else { return false }
        let b = line.startIndex
        // Literal checks, no arrays: asked of every sampled line, two array literals per call
        // were two allocations each time.
        guard line[b + 4] == 0x2d, line[b + 7] == 0x2d, line[b + 10] == 0x54, line[b + 13] == 0x3a, line[b + 16] == 0x3a // - - T : :
        else { return false }
        func digit(_ offset: Int) -> Bool { line[b + offset] &- 0x30 < 10 }
        guard digit(0), digit(1), digit(2), digit(3), digit(5), digit(6), digit(8), digit(9), digit(11), digit(12),
              digit(14), digit(15), digit(17), digit(18)
        else { return false }
        var i = b + 19
        if line[i] == UInt8(ascii: ".") {
            i += 1
            let digits = i
            while i < line.endIndex && (0x30...0x39).contains(line[i]) { i += 1 }
            guard i > digits else { return false }
        }
        return i < line.endIndex && line[i] == UInt8(ascii: "Z")
    }

    /// Reads the `##[group]`, `##[error]` … marker of `text` into structural events, and returns the
    /// text to tokenize (without the marker), or `nil` for marker-only lines.
    static func interpret(
        _ text: ArraySlice<UInt8>, job: Int, output: inout FrameOutput, jobs: inout JobTable
    ) -> ArraySlice<UInt8>? {
        guard Bytes.hasPrefix(text, "##[") else {
            if Bytes.hasPrefix(text, "Complete job name: ") {
                jobs.rename(job, to: Bytes.string(Bytes.trimmed(text.dropFirst(19))))
            }
            return text
        }
        if Bytes.hasPrefix(text, "##[group]") {
            let title = text.dropFirst(9)
            output.emit(StructuralEvent.section, ["name": Bytes.string(title)])
            if Bytes.hasPrefix(title, "Run ") {
                output.emit(StructuralEvent.command, ["command": Bytes.string(title.dropFirst(4))])
            }
            return title
        }
        if Bytes.hasPrefix(text, "##[endgroup]") { return nil }
        guard let close = text.firstIndex(of: UInt8(ascii: "]")) else { return text }
        let message = text[(close + 1)...]
        if Bytes.hasPrefix(text, "##[error]") {
            if Bytes.hasPrefix(message, "Process completed with exit code ") {
                let code = Bytes.integer(message.dropFirst(33))
                jobs.finish(job, status: .failed, exitCode: code)
                var fields = ["status": "failed"]
                if let code { fields["exit_code"] = String(code) }
                output.emit(StructuralEvent.jobFinished, fields)
            } else if Bytes.hasPrefix(message, "The operation was canceled") {
                jobs.finish(job, status: .canceled, exitCode: nil)
                output.emit(StructuralEvent.jobFinished, ["status": "canceled"])
            }
        }
        return message
    }

    /// A job log that reached the runner's own clean-up without an error ran to success.
    static func isCleanupLine(_ text: ArraySlice<UInt8>) -> Bool {
        Bytes.hasPrefix(text, "Cleaning up orphan processes")
    }

    /// Converts `YYYY-MM-DDTHH:MM:SS` (UTC) to seconds since 1970 without Foundation's date parser.
    static func epochSeconds(_ s: ArraySlice<UInt8>) -> Double? {
        // The digits read in place: a slice per field (six a line, on every line of a GitHub log)
        // retained and released the line's buffer each time.
        func number(_ offset: Int, _ length: Int) -> Int? {
            var index = s.startIndex + offset
            let end = min(index + length, s.endIndex)
            var value = 0
            var any = false
            while index < end, s[index] &- 0x30 < 10 {
                value = value &* 10 &+ Int(s[index] &- 0x30)
                any = true
                index += 1
            }
            return any ? value : nil
        }
        guard let year = number(0, 4), let month = number(5, 2), let day = number(8, 2),
              let hour = number(11, 2), let minute = number(14, 2), let second = number(17, 2),
              (1...12).contains(month)
        else { return nil }
        // Days from civil date (Howard Hinnant's algorithm), valid for the proleptic Gregorian calendar.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        return Double(days * 86_400 + hour * 3_600 + minute * 60 + second)
    }
}
