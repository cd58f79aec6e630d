import LogDxRules

/// Wraps prose to a width, keeping words whole, for terminal output. A list item (`- …`) wraps
/// under its text, not under its dash.
enum TextWrapper {
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let continuation = paragraph.hasPrefix("- ") ? indent + "  " : indent
            var line = indent
            var lead = indent.count
            for word in paragraph.split(separator: " ") {
                if line.count > lead && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = continuation
                    lead = continuation.count
                }
                line += (line.count > lead ? " " : "") + word
            }
            lines.append(line)
        }
        return lines.map { $0.trimmingTrailingWhitespace() }.joined(separator: "\n")
    }
}
