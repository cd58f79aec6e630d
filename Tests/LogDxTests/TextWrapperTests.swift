import Testing
@testable import LogDxReport

/// `TextWrapper` splits and measures ASCII text by bytes and other text by characters; both must
/// wrap exactly as splitting and counting by characters does. The reference below is that
/// character-by-character wrapper, compared on generated prose: ASCII words, words with accents,
/// emoji and combining marks, list items, blank lines, and widths from narrow to unbounded.
@Suite struct TextWrapperTests {
    static func reference(_ text: String, width: Int, indent: String) -> String {
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
                if line.count > lead { line += " " }
                line += word
            }
            lines.append(line)
        }
        return lines.map { line in
            var trimmed = Substring(line)
            while let last = trimmed.last, last == " " || last == "\n" || last == "\t" { trimmed = trimmed.dropLast() }
            return String(trimmed)
        }.joined(separator: "\n")
    }

    @Test func wrapsAsCountingCharactersDoes() {
        var generator = SystemRandomNumberGenerator()
        let ascii = ["uv", "pip", "install", "--system", "rdflib", "/usr/local/lib/python3.12", "job-7,", "`cache:paths`", "a", "\t"]
        let other = ["café", "🙂", "e\u{301}", "日本語", "Ångström", "\u{200B}"]
        for round in 0..<3_000 {
            let pool = round % 2 == 0 ? ascii : ascii + other
            let paragraphs = (0..<Int.random(in: 1...4, using: &generator)).map { _ -> String in
                let words = (0..<Int.random(in: 0...30, using: &generator)).map { _ in pool.randomElement(using: &generator) ?? "x" }
                let spaces = words.map { _ in Bool.random(using: &generator) ? " " : "  " }
                let body = zip(words, spaces).map { $0 + $1 }.joined()
                return (Int.random(in: 0..<4, using: &generator) == 0 ? "- " : "") + body
            }
            let text = paragraphs.joined(separator: "\n")
            let width = [8, 20, 40, 72, 100, Int.max].randomElement(using: &generator) ?? 40
            let indent = ["", "  ", "       "].randomElement(using: &generator) ?? ""
            #expect(TextWrapper.wrap(text, width: width, indent: indent) == Self.reference(text, width: width, indent: indent),
                    "width \(width), indent \(indent.count): \(text.debugDescription)")
        }
    }
}
