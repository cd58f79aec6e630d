import PCRE2

/// Recognises the input format from the first lines of an input.
///
/// Each format has a signature that the others cannot produce (GitLab's section markers, GitHub's
/// timestamp on every line, gitlab-ci-local's `NAME starting IMAGE (STAGE)`), so the first strong
/// signal wins; plain text is what is left.
public enum FormatDetector {
    static let sampleLines = 200

    private static let gclStarting = try! Pattern(#"^\S.*? +starting .* \([^()]+\)$"#)
    private static let gclSummary = try! Pattern(#"^ (?:PASS|FAIL|WARN)  \S"#)
    private static let ghRunView = try! Pattern(#"^[^\t]+\t[^\t]*\t\x{FEFF}?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"#)
    private static let githubTimestamp = try! Pattern(#"^\x{FEFF}?\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z"#)

    public static func detect(prefix: [UInt8]) -> InputFormat {
        let scratch = MatchScratch()
        var cleaner = LineCleaner()
        var lines = 0
        var timestamped = 0
        var nonEmpty = 0
        var jenkins = 0
        var format: InputFormat?

        prefix.withUnsafeBufferPointer { buffer in
            var start = 0
            while start < buffer.count && lines < sampleLines && format == nil {
                var end = start
                while end < buffer.count && buffer[end] != 0x0a { end += 1 }
                let raw = UnsafeBufferPointer(rebasing: buffer[start..<end])
                start = end + 1
                lines += 1
                if raw.starts(with: "section_start:".utf8) || raw.starts(with: "Running with gitlab-runner ".utf8) {
                    format = .gitlabRunner
                    break
                }
                let text = cleaner.clean(raw)
                if text.isEmpty { continue }
                nonEmpty += 1
                let matches = { (pattern: Pattern) -> Bool in
                    text.withUnsafeBufferPointer {
                        if case .matched = pattern.firstMatch(in: $0, scratch: scratch) { return true }
                        return false
                    }
                }
                if text.contains(0x09), matches(ghRunView) {
                    format = .ghRunView
                } else if matches(githubTimestamp) {
                    timestamped += 1
                } else if matches(gclStarting) || matches(gclSummary) {
                    format = .gitlabCILocal
                } else if text.starts(with: "[Pipeline] ".utf8) || text.starts(with: "Started by ".utf8)
                            || text.starts(with: "Finished: ".utf8) || text.starts(with: "Building in workspace ".utf8) {
                    jenkins += 1
                }
            }
        }
        if let format { return format }
        if nonEmpty > 0 && timestamped * 2 > nonEmpty { return .githubActions }
        if jenkins >= 2 { return .jenkins }
        return .plain
    }
}
