/// Wraps prose to a width, keeping words whole, for terminal output.
enum TextWrapper {
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = indent
            for word in paragraph.split(separator: " ") {
                if line.count > indent.count && line.count + 1 + word.count > width {
                    lines.append(line)
                    line = indent
                }
                line += (line.count > indent.count ? " " : "") + word
            }
            lines.append(line)
        }
        return lines.map { $0.trimmingTrailingWhitespace() }.joined(separator: "\n")
    }
}
