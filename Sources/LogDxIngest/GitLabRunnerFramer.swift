import LogDxModel

/// A GitLab runner job trace, as the job page or `GET /projects/:id/jobs/:job_id/trace` returns it:
/// one job, ANSI colours, and collapsible sections marked by `section_start:<unix>:<name>\r\e[0K`.
struct GitLabRunnerFramer: Framer {
    private let job: Int
    private var cleaner = LineCleaner()
    private var marked: [UInt8] = []

    init(job: Int) {
        self.job = job
    }

    mutating func frame(_ raw: UnsafeBufferPointer<UInt8>, into output: inout FrameOutput, jobs: inout JobTable) {
        output.job = job
        var start = 0
        // Markers may follow each other on one line (`section_end:…\r\e[0Ksection_start:…`).
        while let marker = Self.sectionMarker(raw, at: start) {
            if marker.isStart {
                output.emit(StructuralEvent.section, ["name": marker.name])
                jobs.noteTimestamp(marker.timestamp, of: job)
            }
            start = marker.end
        }
        let text = cleaner.clean(UnsafeBufferPointer(rebasing: raw[start...]))
        output.text = text
        // Nearly every line is none of these, as its first byte tells without a comparison each.
        guard let first = text.first, first == UInt8(ascii: "$") || first == UInt8(ascii: "J") || first == UInt8(ascii: "E") else {
            return
        }
        if Bytes.hasPrefix(text, "$ ") {
            output.emit(StructuralEvent.command, ["command": Bytes.string(text.dropFirst(2))])
        } else if Bytes.hasPrefix(text, "Job succeeded") {
            jobs.finish(job, status: .success, exitCode: 0)
            output.emit(StructuralEvent.jobFinished, ["status": "success", "exit_code": "0"])
        } else if Bytes.hasPrefix(text, "ERROR: Job failed") {
            let status: JobStatus = Bytes.firstIndex(of: "canceled", in: text) != nil ? .canceled : .failed
            var fields = ["status": status.rawValue]
            var code: Int?
            if let at = Bytes.firstIndex(of: "exit code ", in: text) {
                code = Bytes.integer(text[(at + 10)...])
                if let code { fields["exit_code"] = String(code) }
            }
            jobs.finish(job, status: status, exitCode: code)
            output.emit(StructuralEvent.jobFinished, fields)
        }
    }

    struct SectionMarker {
        var isStart: Bool
        var timestamp: Double
        var name: String
        var end: Int
    }

    /// Parses `section_(start|end):<digits>:<name>[options]\r\e[0K` at `at`.
    static func sectionMarker(_ raw: UnsafeBufferPointer<UInt8>, at: Int) -> SectionMarker? {
        // Asked at the start of every line of a GitLab log: most are refused on their first byte
        // before the generic prefix comparisons.
        guard at < raw.count, raw[at] == UInt8(ascii: "s") else { return nil }
        let slice = raw[at...]
        let isStart: Bool
        let afterKeyword: Int
        if slice.starts(with: "section_start:".utf8) {
            isStart = true
            afterKeyword = at + 14
        } else if slice.starts(with: "section_end:".utf8) {
            isStart = false
            afterKeyword = at + 12
        } else {
            return nil
        }
        var i = afterKeyword
        var seconds = 0.0
        while i < raw.count, (0x30...0x39).contains(raw[i]) {
            seconds = seconds * 10 + Double(raw[i] - 0x30)
            i += 1
        }
        guard i < raw.count, raw[i] == UInt8(ascii: ":") else { return nil }
        i += 1
        let nameStart = i
        while i < raw.count, raw[i] != 0x0d, raw[i] != UInt8(ascii: "["), raw[i] != 0x1b { i += 1 }
        let name = String(decoding: UnsafeBufferPointer(rebasing: raw[nameStart..<i]), as: UTF8.self)
        if i < raw.count, raw[i] == UInt8(ascii: "[") {
            while i < raw.count, raw[i] != UInt8(ascii: "]") { i += 1 }
            i = min(i + 1, raw.count)
        }
        if i < raw.count, raw[i] == 0x0d { i += 1 }
        // The marker ends with ESC [ 0 K (erase line), which hides it on a terminal.
        if i + 3 < raw.count, raw[i] == 0x1b, raw[i + 1] == UInt8(ascii: "["),
           raw[i + 2] == UInt8(ascii: "0"), raw[i + 3] == UInt8(ascii: "K") {
            i += 4
        }
        return SectionMarker(isStart: isStart, timestamp: seconds, name: name, end: i)
    }
}
