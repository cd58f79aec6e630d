/// Rewrites a framed line so that event patterns, which mostly anchor at the start of the line,
/// meet the tool's message:
/// - the markdown links a web page made of numbers it took for line numbers are read as their
///   text (`7.0.[4](https://github.com/…#step:4:4)08` → `7.0.408`);
/// - BuildKit's step and time columns are cut (`#12 3.456 npm ERR! …` → `npm ERR! …`). Its
///   `[builder 2/5] RUN cmd` is not made a command: it runs inside the image being built, and a
///   rule reading it as the job's own command would place what it installs in the wrong place.
///
/// Writes into a buffer it owns and reuses; let go of the result before the next call.
struct MessageNormalizer {
    private let buildKit: Bool
    private var buffer: [UInt8] = []

    init(buildKit: Bool) {
        self.buildKit = buildKit
    }

    /// Whether `normalize` would return `text` unchanged: no link, no BuildKit column. Nearly
    /// every line, and answered without copying or retaining anything.
    func leavesAsIs(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        !mayHaveColumns(text.first) && !Self.hasLink(text)
    }

    mutating func normalize(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var result = text
        if text.withUnsafeBufferPointer(Self.hasLink) {
            buffer.removeAll(keepingCapacity: true)
            Self.appendWithoutLinks(text, to: &buffer)
            result = buffer[...]
        }
        if mayHaveColumns(result.first) {
            result = buildKitMessage(result)
        }
        return result
    }

    /// Whether a line starting with `first` may start with BuildKit's step or time column.
    private func mayHaveColumns(_ first: UInt8?) -> Bool {
        guard let first else { return false }
        return first == UInt8(ascii: "#") || (buildKit && (0x30...0x39).contains(first))
    }

    /// Whether `text` holds `](http`: each `]` found by memchr (a vector at a time), which rules
    /// out most lines at once.
    private static func hasLink(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var from = 0
        while let bracket = Bytes.firstIndex(of: 0x5d, in: text, from: from) {
            if bracket + 6 <= text.count, text[bracket + 1] == UInt8(ascii: "("), text[bracket + 2] == UInt8(ascii: "h"),
               text[bracket + 3] == UInt8(ascii: "t"), text[bracket + 4] == UInt8(ascii: "t"), text[bracket + 5] == UInt8(ascii: "p") {
                return true
            }
            from = bracket + 1
        }
        return false
    }

    /// Appends `text` with every `[label](http…)` replaced by its label.
    static func appendWithoutLinks(_ text: ArraySlice<UInt8>, to out: inout [UInt8]) {
        var copied = text.startIndex
        var searchFrom = text.startIndex
        while let close = Bytes.firstIndex(of: "](http", in: text, from: searchFrom) {
            searchFrom = close + 1
            var open = close - 1
            while open >= copied && text[open] != UInt8(ascii: "[") && text[open] != UInt8(ascii: "]") { open -= 1 }
            guard open >= copied, text[open] == UInt8(ascii: "["), open + 1 < close else { continue }
            let url = close + 2
            guard Bytes.hasPrefix(text[url...], "http://") || Bytes.hasPrefix(text[url...], "https://") else { continue }
            var end = url
            while end < text.endIndex && text[end] != UInt8(ascii: ")") && !GitLabCILocalLine.isWhitespace(text[end]) { end += 1 }
            guard end < text.endIndex, text[end] == UInt8(ascii: ")") else { continue }
            out.append(contentsOf: text[copied..<open])
            out.append(contentsOf: text[(open + 1)..<close])
            copied = end + 1
            searchFrom = copied
        }
        out.append(contentsOf: text[copied...])
    }

    /// `#12 3.456 text` → `text`; in BuildKit output also `#12 text` → `text` and the summary's
    /// `3.456 text` → `text`.
    private func buildKitMessage(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var rest = text
        var step = false
        if rest.first == UInt8(ascii: "#") {
            let digits = rest.dropFirst().prefix { (0x30...0x39).contains($0) }
            guard !digits.isEmpty, digits.endIndex < rest.endIndex, rest[digits.endIndex] == PasteDecoration.space
            else { return text }
            rest = rest[(digits.endIndex + 1)...]
            step = true
        }
        if let time = Self.timeLength(rest) {
            rest = rest.dropFirst(time)
        } else if !(step && (buildKit || rest.first == UInt8(ascii: "["))) {
            // `#1 text` outside BuildKit output may be anything (a numbered list, an issue number).
            return text
        }
        return rest
    }

    /// `3.456 ` (seconds since the step started) → its length with the space.
    private static func timeLength(_ text: ArraySlice<UInt8>) -> Int? {
        let whole = text.prefix { (0x30...0x39).contains($0) }
        guard !whole.isEmpty, whole.endIndex < text.endIndex, text[whole.endIndex] == UInt8(ascii: ".") else { return nil }
        let fraction = text[(whole.endIndex + 1)...].prefix { (0x30...0x39).contains($0) }
        guard !fraction.isEmpty, fraction.endIndex < text.endIndex, text[fraction.endIndex] == PasteDecoration.space
        else { return nil }
        return fraction.endIndex + 1 - text.startIndex
    }
}
