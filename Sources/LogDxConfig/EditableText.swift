/// A YAML file's text as lines, edited in place so that everything not edited stays byte for
/// byte (comments, quoting, blank lines, line endings). Line indices are 0-based here; YAML marks
/// are 1-based.
struct EditableText {
    /// Without "\n"; a CRLF file's lines keep their "\r".
    private(set) var lines: [String]
    private let carriageReturn: Bool

    init(_ text: String) {
        lines = Self.split(text)
        carriageReturn = lines.first?.hasSuffix("\r") == true
    }

    var text: String { lines.joined(separator: "\n") }

    /// Lines split at "\n" bytes. Splitting the String itself would not split CRLF files:
    /// Swift sees "\r\n" as one Character.
    static func split(_ text: String) -> [String] {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }
    var count: Int { lines.count }

    /// The line without its "\r".
    func content(_ index: Int) -> String {
        guard index >= 0, index < lines.count else { return "" }
        let line = lines[index]
        return line.hasSuffix("\r") ? String(line.dropLast()) : line
    }

    func indent(_ index: Int) -> Int {
        content(index).prefix { $0 == " " }.count
    }

    func trimmed(_ index: Int) -> Substring {
        let line = content(index)
        return line.drop { $0 == " " || $0 == "\t" }
    }

    func isBlank(_ index: Int) -> Bool {
        trimmed(index).allSatisfy { $0 == " " || $0 == "\t" }
    }

    func isComment(_ index: Int) -> Bool {
        trimmed(index).hasPrefix("#")
    }

    func isSequenceItem(_ index: Int) -> Bool {
        let text = trimmed(index)
        return text == "-" || text.hasPrefix("- ")
    }

    /// The last line of a block node starting on `start`: a key at column `indent` (0-based) or a
    /// list item whose dash is there. It runs on while lines are indented deeper, and for a key
    /// also over an indentless list (`key:` followed by `- x` at the key's own column). Trailing
    /// blank and comment lines are not part of it.
    func blockEnd(_ start: Int, indent: Int, isKey: Bool) -> Int {
        var end = start
        var indentlessList: Bool?
        var index = start + 1
        while index < lines.count {
            defer { index += 1 }
            if isBlank(index) { continue }
            let lineIndent = self.indent(index)
            if lineIndent == 0 && (trimmed(index).hasPrefix("---") || trimmed(index).hasPrefix("...")) { break }
            if isComment(index) {
                if lineIndent > indent { end = index }
                continue
            }
            if indentlessList == nil {
                indentlessList = isKey && lineIndent == indent && isSequenceItem(index)
            }
            if lineIndent > indent || (indentlessList == true && lineIndent == indent && isSequenceItem(index)) {
                end = index
                continue
            }
            break
        }
        // Comments deeper than the node but after its last value belong to what follows.
        while end > start, isComment(end) || isBlank(end) { end -= 1 }
        return end
    }

    /// The items of a block list under the key on line `keyLine` at column `keyIndent`: the line
    /// and dash column of each.
    func blockItems(underKey keyLine: Int, keyIndent: Int) -> [(line: Int, dash: Int)] {
        let end = blockEnd(keyLine, indent: keyIndent, isKey: true)
        guard end > keyLine else { return [] }
        var dash: Int?
        var items: [(line: Int, dash: Int)] = []
        for index in (keyLine + 1)...end where !isBlank(index) && !isComment(index) {
            if dash == nil {
                guard isSequenceItem(index) else { return [] }
                dash = self.indent(index)
            }
            if self.indent(index) == dash, isSequenceItem(index) {
                items.append((index, self.indent(index)))
            }
        }
        return items
    }

    /// The indentation step the file uses (2 unless its first nested line says otherwise).
    var indentUnit: Int {
        for index in 1..<max(lines.count, 1) where !isBlank(index) && !isComment(index) {
            let lineIndent = self.indent(index)
            if lineIndent > 0 && lineIndent <= 8 {
                var previous = index - 1
                while previous >= 0, isBlank(previous) || isComment(previous) { previous -= 1 }
                if previous >= 0, self.indent(previous) == 0 { return lineIndent }
            }
        }
        return 2
    }

    mutating func insert(_ newLines: [String], at index: Int) {
        let ending = carriageReturn ? "\r" : ""
        // Callers insert after a content line, so a final "" (the text's last newline) stays last.
        let position = min(max(index, 0), lines.count)
        lines.insert(contentsOf: newLines.map { $0 + ending }, at: position)
    }

    mutating func remove(_ range: ClosedRange<Int>) {
        guard range.lowerBound >= 0, range.upperBound < lines.count else { return }
        lines.removeSubrange(range)
    }

    /// Replaces columns `from..<to` (0-based, in Unicode scalars) of a line.
    mutating func replace(line index: Int, from: Int, to: Int, with replacement: String) {
        guard index >= 0, index < lines.count else { return }
        var scalars = Array(content(index).unicodeScalars)
        let lower = min(max(from, 0), scalars.count)
        let upper = min(max(to, lower), scalars.count)
        scalars.replaceSubrange(lower..<upper, with: Array(replacement.unicodeScalars))
        var text = String(String.UnicodeScalarView(scalars))
        if lines[index].hasSuffix("\r") { text += "\r" }
        lines[index] = text
    }

    func scalars(_ index: Int) -> [Unicode.Scalar] {
        Array(content(index).unicodeScalars)
    }
}
