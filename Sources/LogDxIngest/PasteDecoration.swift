/// What copying a log out of a web page, a console view or a chat puts around each line: a
/// line-number gutter, markdown quotes, fences and inline code, a clock or ISO timestamp column, a
/// docker compose service column.
///
/// Found once per input from its first lines (`detect`), then cut from every raw line before it is
/// framed (`content(of:)`), so framers and event patterns see the line as the tool printed it.
/// Cutting only narrows the line, so line numbers stay those of the input.
package struct PasteDecoration: Sendable, Equatable {
    enum Clock: Sendable, Equatable {
        /// `[2021-08-15T13:03:19.235Z] ` (Jenkins Timestamper in a pipeline's log).
        case iso
        /// `13:03:19 `, `13:03:19.235 ` or `13:03:19:235 ` (a console view, a logger's time).
        case time(spaces: Int)
    }

    /// The number of the first line, when every line starts with its own consecutive number.
    var gutter: Int?
    /// Every line starts with `>`: a markdown quote.
    var quoted = false
    /// Every line is wrapped in backticks: markdown inline code.
    var inlineCode = false
    var clock: Clock?
    /// Lines start with `service  | `, as `docker compose up` prints them.
    var compose = false
    /// Every line starts with the same `name: ` column, as Vagrant labels a machine's output
    /// (`    k8s1-1.23: E: Could not get lock …`).
    var label: [UInt8]?

    /// The gutter number the next line should carry.
    private var nextGutter: Int?

    static let none = PasteDecoration()

    package var isEmpty: Bool { gutter == nil && !quoted && !inlineCode && clock == nil && !compose && label == nil }

    /// The range of `line` that is the tool's text, or `nil` for a markdown fence line, which
    /// holds none.
    mutating func content(of line: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        if isEmpty { return 0..<line.count }
        var start = 0
        var end = line.count
        if gutter != nil {
            start = cutGutter(line)
        }
        if quoted, start < end, line[start] == Self.greaterThan {
            start += 1
            if start < end && line[start] == Self.space { start += 1 }
        }
        if Self.isFence(line[start..<end]) { return nil }
        if inlineCode, end - start >= 2, line[start] == Self.backtick, line[end - 1] == Self.backtick {
            start += 1
            end -= 1
        }
        if let clock {
            start += Self.clockLength(line[start..<end], clock) ?? 0
        }
        if compose {
            start += Self.composeLength(line[start..<end]) ?? 0
        }
        if let label {
            start += Self.labelLength(line[start..<end], label) ?? 0
        }
        return start..<end
    }

    /// Cuts this line's gutter number; a line that skipped one number (a paste that lost a line)
    /// is still recognised, so one gap does not end the gutter.
    private mutating func cutGutter(_ line: UnsafeBufferPointer<UInt8>) -> Int {
        guard let expected = nextGutter ?? gutter else { return 0 }
        for candidate in [expected, expected + 1] {
            let digits = Array(String(candidate).utf8)
            if line.count >= digits.count && line.prefix(digits.count).elementsEqual(digits) {
                nextGutter = candidate + 1
                var start = digits.count
                if start < line.count && (line[start] == Self.space || line[start] == Self.tab) { start += 1 }
                return start
            }
        }
        return 0
    }

    // MARK: - Detection

    /// The decoration of a sample of cleaned lines (the first lines of an input), and the lines
    /// with it removed, for format detection to read.
    static func detect(_ sample: [ArraySlice<UInt8>]) -> (PasteDecoration, [ArraySlice<UInt8>]) {
        var decoration = PasteDecoration()
        var lines = sample
        while let last = lines.last, last.isEmpty { lines.removeLast() }

        if let first = detectGutter(lines) {
            decoration.gutter = first
            lines = lines.enumerated().map { index, line in
                let digits = String(first + index).utf8.count
                var rest = line.dropFirst(digits)
                if let next = rest.first, next == space || next == tab { rest = rest.dropFirst() }
                return rest
            }
        }

        // Each test below counts in one loop and copies the lines only when it applies: a filter
        // per test made arrays of slices (a retain a line) that most logs then threw away, a
        // third of detecting the format of a short log.
        var quotable = 0, quotes = 0, notGradle = false
        for line in lines where !Bytes.trimmed(line).isEmpty {
            quotable += 1
            guard line.first == greaterThan else { continue }
            quotes += 1
            // Gradle's `> Task :app:test FAILED` starts with `>` too; a paste of nothing else is Gradle's.
            if !Bytes.hasPrefix(line, "> Task :") && !Bytes.hasPrefix(line, "> Configure project") { notGradle = true }
        }
        if quotes > 0, quotes == quotable, notGradle {
            decoration.quoted = true
            lines = lines.map { line in
                guard line.first == greaterThan else { return line }
                let rest = line.dropFirst()
                return rest.first == space ? rest.dropFirst() : rest
            }
        }

        if lines.contains(where: { isFence($0) }) { lines = lines.filter { !isFence($0) } }
        var textLines = 0, allInlineCode = true
        for line in lines where !Bytes.trimmed(line).isEmpty {
            textLines += 1
            if !(line.count >= 2 && line.first == backtick && line.last == backtick) {
                allInlineCode = false
                break
            }
        }
        if textLines > 0, allInlineCode {
            decoration.inlineCode = true
            lines = lines.map { $0.count >= 2 && $0.first == backtick && $0.last == backtick ? $0.dropFirst().dropLast() : $0 }
        }

        if let clock = detectClock(lines) {
            decoration.clock = clock
            lines = lines.map { $0.dropFirst(clockLength($0, clock) ?? 0) }
        }

        var composed = 0, nonEmpty = 0
        for line in lines {
            if composeLength(line) != nil { composed += 1 }
            if !Bytes.trimmed(line).isEmpty { nonEmpty += 1 }
        }
        if composed >= 2 && composed * 2 >= nonEmpty {
            decoration.compose = true
            lines = lines.map { $0.dropFirst(composeLength($0) ?? 0) }
        }

        if let label = detectLabel(lines) {
            decoration.label = label
            lines = lines.map { $0.dropFirst(labelLength($0, label) ?? 0) }
        }
        return (decoration, lines)
    }

    /// The first line's number when every line (at least three) starts with its own number,
    /// counting up by one: the gutter a web page's log view copies along.
    static func detectGutter(_ lines: [ArraySlice<UInt8>]) -> Int? {
        guard lines.count >= 3, let first = lines.first else { return nil }
        var run = 0
        for byte in first {
            guard (0x30...0x39).contains(byte), run < 7 else { break }
            run += 1
        }
        // The number may run into text that starts with digits (`12` + `100%`): try each length.
        for length in stride(from: 1, through: run, by: 1) {
            guard let start = Bytes.integer(first.prefix(length)), first.first != 0x30 else { continue }
            let consecutive = lines.enumerated().allSatisfy { index, line in
                line.starts(with: String(start + index).utf8)
            }
            if consecutive { return start }
        }
        return nil
    }

    /// A clock column on at least half the lines that carry text (Jenkins writes `[Pipeline]`
    /// lines without one), with the spaces after it that every one of them has.
    static func detectClock(_ lines: [ArraySlice<UInt8>]) -> Clock? {
        var counted = 0
        var iso = 0
        var time = 0
        var spaces = Int.max
        for line in lines where !Bytes.trimmed(line).isEmpty && !Bytes.hasPrefix(line, "[Pipeline]") {
            counted += 1
            if isoLength(line) != nil {
                iso += 1
            } else if let digits = timeDigitsLength(line) {
                time += 1
                var i = line.startIndex + digits
                var run = 0
                while i < line.endIndex && line[i] == space { i += 1; run += 1 }
                spaces = min(spaces, run)
            }
        }
        guard counted > 0 else { return nil }
        if iso > 0 && iso * 2 >= counted { return .iso }
        if time > 0 && time * 2 >= counted { return .time(spaces: max(1, spaces)) }
        return nil
    }

    /// Words tools start their own messages with (`E: …` is apt's, `go: …` Go's): a column of
    /// them is the tools' text, not a label.
    private static let messageWords: Set<String> = [
        "e", "w", "n", "i", "error", "warning", "warn", "note", "info", "debug", "fatal", "panic", "hint",
        "help", "caused by", "go", "npm", "yarn", "pnpm", "remote", "fatal", "cargo", "pip", "uv", "ruby",
    ]

    /// The `name: ` every line with text starts with (at least two lines; three when the name is
    /// a plain word, which a tool's own prefix could be).
    static func detectLabel(_ lines: [ArraySlice<UInt8>]) -> [UInt8]? {
        // The first line with text decides most logs: only a label there needs the rest.
        guard let first = lines.first(where: { !Bytes.trimmed($0).isEmpty }), let name = labelName(first), name.count >= 2 else {
            return nil
        }
        let text = lines.filter { !Bytes.trimmed($0).isEmpty }
        guard text.count >= 2,
              !messageWords.contains(String(decoding: name, as: UTF8.self).lowercased()),
              text.count >= 3 || name.contains(where: { !(0x41...0x5a).contains($0) && !(0x61...0x7a).contains($0) }),
              text.allSatisfy({ labelName($0).map { $0.elementsEqual(name) } ?? false })
        else { return nil }
        return Array(name)
    }

    /// `  name: text` → `name`.
    private static func labelName(_ line: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        let indented = line.drop { $0 == space }
        guard let first = indented.first, isNameByte(first), first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else { return nil }
        let name = indented.prefix { isNameByte($0) }
        guard name.endIndex + 1 < indented.endIndex, indented[name.endIndex] == UInt8(ascii: ":"),
              indented[name.endIndex + 1] == space
        else { return nil }
        return name
    }

    static func labelLength(_ line: some Collection<UInt8>, _ label: [UInt8]) -> Int? {
        let bytes = Array(line.prefix(label.count + 80))
        let indent = bytes.prefix { $0 == space }.count
        let rest = bytes[indent...]
        guard rest.starts(with: label), rest.count >= label.count + 2,
              rest[indent + label.count] == UInt8(ascii: ":"), rest[indent + label.count + 1] == space
        else { return nil }
        return indent + label.count + 2
    }

    // MARK: - Line shapes

    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let greaterThan = UInt8(ascii: ">")
    static let backtick = UInt8(ascii: "`")

    /// A markdown code fence: three backticks or tildes, an optional language.
    static func isFence(_ line: some Collection<UInt8>) -> Bool {
        var bytes = line.drop { $0 == space }
        guard let first = bytes.first, first == backtick || first == UInt8(ascii: "~") else { return false }
        var count = 0
        while let next = bytes.first, next == first {
            count += 1
            bytes = bytes.dropFirst()
        }
        return count >= 3 && !bytes.contains(backtick)
    }

    static func clockLength(_ line: some Collection<UInt8>, _ clock: Clock) -> Int? {
        switch clock {
        case .iso:
            return isoLength(line)
        case .time(let spaces):
            guard let digits = timeDigitsLength(line) else { return nil }
            var length = digits
            var index = line.index(line.startIndex, offsetBy: digits)
            // Keep indentation beyond the spaces every line has: it is the tool's.
            while length < digits + spaces, index < line.endIndex, line[index] == space {
                length += 1
                index = line.index(after: index)
            }
            return length > digits ? length : nil
        }
    }

    /// `[YYYY-MM-DDTHH:MM:SS(.fff)Z] ` → its length with the space.
    static func isoLength(_ line: some Collection<UInt8>) -> Int? {
        // Asked of every line: most are refused on their first byte, before any copy.
        guard line.first == UInt8(ascii: "[") else { return nil }
        let bytes = Array(line.prefix(40))
        guard bytes.count > 22, bytes[0] == UInt8(ascii: "["),
              GitHubLogLine.startsWithTimestamp(bytes[1...]),
              let close = bytes.firstIndex(of: UInt8(ascii: "]")), close > 20
        else { return nil }
        return close + 1 < bytes.count && bytes[close + 1] == space ? close + 2 : close + 1
    }

    /// `HH:MM:SS`, optionally `.fff` or `:fff`, followed by a space → the length of the time.
    static func timeDigitsLength(_ line: some Collection<UInt8>) -> Int? {
        guard let first = line.first, (0x30...0x39).contains(first) else { return nil }
        let bytes = Array(line.prefix(20))
        guard bytes.count >= 9 else { return nil }
        func digit(_ i: Int) -> Bool { i < bytes.count && (0x30...0x39).contains(bytes[i]) }
        guard digit(0), digit(1), bytes[2] == UInt8(ascii: ":"), digit(3), digit(4),
              bytes[5] == UInt8(ascii: ":"), digit(6), digit(7)
        else { return nil }
        var end = 8
        if end < bytes.count, bytes[end] == UInt8(ascii: ".") || bytes[end] == UInt8(ascii: ":"), digit(end + 1) {
            end += 1
            while digit(end) && end < 15 { end += 1 }
        }
        return end < bytes.count && bytes[end] == space ? end : nil
    }

    /// `web_1  | ` or `api-1  | ` (a service name, padding, a bar) → its length.
    static func composeLength(_ line: some Collection<UInt8>) -> Int? {
        // Asked of every line, most of which start with a name byte: read in place, not copied.
        if let length = line.withContiguousStorageIfAvailable({ composeLength(bytes: UnsafeBufferPointer(rebasing: $0.prefix(80))) }) {
            return length
        }
        return Array(line.prefix(80)).withUnsafeBufferPointer { composeLength(bytes: $0) }
    }

    private static func composeLength(bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let first = bytes.first, isNameByte(first), first != UInt8(ascii: "-"), first != UInt8(ascii: ".") else { return nil }
        var i = 1
        while i < bytes.count && isNameByte(bytes[i]) { i += 1 }
        let nameEnd = i
        while i < bytes.count && bytes[i] == space { i += 1 }
        guard i > nameEnd, i < bytes.count, bytes[i] == UInt8(ascii: "|") else { return nil }
        i += 1
        if i < bytes.count && bytes[i] == space { i += 1 }
        return i
    }

    private static func isNameByte(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
            || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
    }
}
