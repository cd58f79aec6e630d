import LogDxRules

/// Wraps prose to a width, keeping words whole, for terminal output. A list item (`- …`) wraps
/// under its text, not under its dash.
enum TextWrapper {
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let continuation = paragraph.hasPrefix("- ") ? indent + "  " : indent
            var line = indent
            // Counted as words are added: `String.count` walks the characters each time, which
            // for the long word lists of a thousand-job pipeline was a twentieth of `diagnose`.
            var length = indent.count
            var lead = length
            for word in paragraph.split(separator: " ") {
                let wordLength = word.count
                if length > lead && length + 1 + wordLength > width {
                    lines.append(line)
                    line = continuation
                    length = continuation.count
                    lead = length
                }
                if length > lead {
                    line += " "
                    length += 1
                }
                line += word
                length += wordLength
            }
            lines.append(line)
        }
        return lines.map { $0.trimmingTrailingWhitespace() }.joined(separator: "\n")
    }
}
