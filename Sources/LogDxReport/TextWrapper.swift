import LogDxRules

/// Wraps prose to a width, keeping words whole, for terminal output. A list item (`- …`) wraps
/// under its text, not under its dash.
enum TextWrapper {
    static func wrap(_ text: String, width: Int, indent: String) -> String {
        // Text of ASCII bytes but CR (which joins a following LF into one character) is split
        // and measured by bytes, which are then its characters: splitting and counting by
        // grapheme was 400,000 instructions for one explanation naming forty jobs, two thirds
        // of rendering a large pipeline's text report.
        let ascii = text.utf8.allSatisfy { $0 < 0x80 && $0 != UInt8(ascii: "\r") }
        var lines: [String] = []
        for paragraph in split(Substring(text), at: "\n", ascii: ascii, omittingEmpty: false) {
            let continuation = paragraph.hasPrefix("- ") ? indent + "  " : indent
            var line = indent
            // Counted as words are added: `String.count` walks the characters each time, which
            // for the long word lists of a thousand-job pipeline was a twentieth of `diagnose`.
            var length = indent.count
            var lead = length
            for word in split(paragraph, at: " ", ascii: ascii, omittingEmpty: true) {
                let wordLength = ascii ? word.utf8.count : word.count
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

    /// `text` split at `separator` (an ASCII character): by bytes when `ascii`, else by characters.
    private static func split(_ text: Substring, at separator: Character, ascii: Bool, omittingEmpty: Bool) -> [Substring] {
        guard ascii, let byte = separator.asciiValue else {
            return text.split(separator: separator, omittingEmptySubsequences: omittingEmpty)
        }
        return text.utf8.split(separator: byte, omittingEmptySubsequences: omittingEmpty).map { Substring($0) }
    }
}
