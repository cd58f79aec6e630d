import Foundation
import PCRE2

/// Masks what varies between occurrences of one failure — times, ids, numbers, paths, quoted
/// values — so that the same unknown failure in many logs reads the same.
public enum LineNormalizer {
    // Order matters: a timestamp or UUID must be masked before its digits become <NUM>, a URL
    // before its path becomes <PATH>.
    static let patterns: [(pattern: String, replacement: String)] = [
        (#"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?"#, "<TS>"),
        (#"\b\d{1,2}:\d{2}:\d{2}(\.\d+)?\b"#, "<TS>"),
        (#"\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b"#, "<UUID>"),
        (#"\b[a-zA-Z][a-zA-Z0-9+.-]*://\S+"#, "<URL>"),
        (#""[^"]*"|'[^'\s][^']*'|‘[^’]*’|“[^”]*”"#, "<STR>"),
        (#"(?<![\w.<>-])(~|\.{1,2})?(/[\w.@+~-]+)+/?(:\d+)*|\b[\w.@+-]+(/[\w.@+-]+)+(:\d+)*|\b[A-Za-z]:\\[^\s]+"#, "<PATH>"),
        (#"\b0x[0-9a-fA-F]+\b"#, "<HEX>"),
        (#"\b(?=[0-9a-fA-F]*\d)(?=[0-9a-fA-F]*[a-fA-F])[0-9a-fA-F]{7,}\b"#, "<HEX>"),
        (#"\d+(\.\d+)*"#, "<NUM>"),
    ]

    /// The patterns compiled. They are constants, so one that does not compile is a programming
    /// error: it is left out (lines are then masked less) rather than stopping a scan, and the
    /// tests fail on it (`uncompiled`).
    /// PCRE2 with Unicode properties (`(*UCP)`): `\d`, `\w` and `\b` take every script's digits
    /// and letters, as a log in any language needs.
    private static let rules: [(Pattern, String)] = patterns.compactMap { entry in
        (try? Pattern("(*UCP)" + entry.pattern)).map { ($0, entry.replacement) }
    }

    /// The patterns that do not compile; empty unless the source is wrong.
    static var uncompiled: [String] {
        patterns.map(\.pattern).filter { (try? Pattern("(*UCP)" + $0)) == nil }
    }

    public static func normalize(_ line: String) -> String {
        var text = line
        // Signatures are made on many threads at once; a scratch is per call.
        let scratch = MatchScratch()
        for (pattern, replacement) in rules {
            // A line that hits a match limit keeps that part unmasked rather than stopping a scan.
            text = pattern.replacingMatches(in: text, with: replacement, scratch: scratch) ?? text
        }
        return text.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }
}
