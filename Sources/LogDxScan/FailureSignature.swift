import Foundation
import LogDx
import PCRE2

/// The line that names an unexplained failure, and its normalised form (the signature clustered
/// across logs). The excerpt already ranks lines; this picks the first one that says what went
/// wrong rather than that something did (`ERROR: Job failed: exit code 1` says only the latter).
public struct FailureSignature: Sendable, Equatable {
    public var line: Int
    public var text: String
    public var normalized: String

    static let errorWordsPattern =
        #"(?i)\b(error|fatal|fail(ed|ure)?|exception|panic|denied|refused|timed? ?out|cannot|can't|unable|not found|no such|segmentation fault|abort(ed)?|killed|invalid|missing|traceback)\b"#
    /// Footers and wrappers that every failing job prints, whatever went wrong.
    static let genericPattern = #"(?i)^\s*("#
        + #"ERROR: Job failed\b|##\[error\]Process completed with exit code|Process completed with exit code|"#
        + #"Finished: (FAILURE|ABORTED|UNSTABLE)|make(\[\d+\])?: \*\*\*|npm ERR! (code|errno|A complete log|\s*$)|"#
        + #"Error: Process completed|The command .* exited with \d+|Cleaning up|Uploading artifacts|"#
        + #"section_end|\$ |\+ |FAILED$|exit( status| code)? \d+$|Command exited with|Error: exit status \d+$)"#

    // Constants, so a pattern that does not compile is a programming error the tests catch
    // (`uncompiled`); at run time the signature is then only less choosy, never a crash.
    private static let errorWords = try? Pattern(errorWordsPattern)
    private static let generic = try? Pattern(genericPattern)

    /// The patterns that do not compile; empty unless the source is wrong.
    static var uncompiled: [String] {
        [errorWordsPattern, genericPattern].filter { (try? Pattern($0)) == nil }
    }

    public static func pick(_ excerpt: Excerpt) -> FailureSignature? {
        let scratch = MatchScratch()
        func matches(_ pattern: Pattern?, _ text: String) -> Bool {
            guard let pattern, case .matched = pattern.firstMatch(in: text, scratch: scratch) else { return false }
            return true
        }
        let candidates = excerpt.lines.filter { line in
            line.text.value.contains { !$0.isWhitespace } && !matches(generic, line.text.value)
        }
        let chosen = candidates.first { matches(errorWords, $0.text.value) } ?? candidates.last ?? excerpt.lines.last
        guard let chosen else { return nil }
        // Trimmed in Swift: Foundation's trimmingCharacters bridges through NSString, which cost a
        // scan of many small pipelines more than choosing the line did.
        let value = chosen.text.value
        let start = value.firstIndex { !$0.isWhitespace } ?? value.endIndex
        let end = value.lastIndex { !$0.isWhitespace }.map(value.index(after:)) ?? start
        let text = String(value[start..<max(start, end)].prefix(500))
        return FailureSignature(line: chosen.line, text: text, normalized: LineNormalizer.normalize(text))
    }
}
