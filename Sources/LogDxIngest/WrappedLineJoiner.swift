/// Joins a message that a terminal, a web page or the tool itself broke over several lines back
/// into one, so a pattern meets it whole (`…Server message: toomanyrequests: ` + `You have reached
/// your pull rate limit…`; bundler's `You are trying to install in deployment mode after changing`
/// + `your Gemfile. Run …`). The joined line keeps the number of its first line.
///
/// Only what is clearly a wrap is joined: the first part is long and ends mid-sentence, the next
/// starts at the left margin in lower case (or the first ends in `: `/`, ` and a space), is not a
/// message of its own (`warning: …`, a repeated `npm ERR!` prefix) and is prose, not a hash or a
/// key. One line is held back while the next is read; a joined line is bounded in parts and bytes.
struct WrappedLineJoiner {
    struct Pending {
        var job: Int
        var number: Int
        var text: [UInt8] = []
        var hasText: Bool
        var structural: [FrameOutput.Structural]
        var parts = 1
    }

    static let maxParts = 4
    /// Shorter lines are whole: terminals and pages wrap long ones, and tools that break a
    /// message themselves do so near 60 columns or more.
    static let minWrappedLength = 50
    private let maxBytes: Int
    private(set) var pending: Pending?

    init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    /// Takes the framed line; hands the line before it to `sink` unless this one continues it.
    mutating func take<Sink: IngestSink>(job: Int, number: Int, output: FrameOutput, text: ArraySlice<UInt8>?, into sink: inout Sink) {
        if var held = pending, held.job == job, output.structural.isEmpty, !output.startsMessage, held.structural.isEmpty,
           held.parts < Self.maxParts, let text, held.hasText,
           held.text.count + 1 + text.count <= maxBytes, Self.continues(held.text[...], with: text) {
            if held.text.last != PasteDecoration.space { held.text.append(PasteDecoration.space) }
            held.text.append(contentsOf: text)
            held.parts += 1
            pending = held
            return
        }
        flush(into: &sink)
        pending = Pending(job: job, number: number, text: text.map(Array.init) ?? [], hasText: text != nil, structural: output.structural)
    }

    mutating func flush<Sink: IngestSink>(into sink: inout Sink) {
        guard let held = pending else { return }
        pending = nil
        held.text.withUnsafeBufferPointer { bytes in
            for event in held.structural {
                sink.structural(kind: event.kind, job: held.job, line: held.number, text: bytes, fields: event.fields)
            }
            if held.hasText { sink.line(job: held.job, number: held.number, text: bytes) }
        }
    }

    /// Whether `next` is the rest of the message `previous` began.
    static func continues(_ previous: ArraySlice<UInt8>, with next: ArraySlice<UInt8>) -> Bool {
        guard previous.count >= minWrappedLength, let first = next.first, let last = previous.last,
              !GitLabCILocalLine.isWhitespace(first), previous.contains(PasteDecoration.space),
              next.contains(PasteDecoration.space), !startsOwnMessage(next), firstWord(previous) != firstWord(next)
        else { return false }
        if last == PasteDecoration.space {
            // Broken at a space that was kept: `…toomanyrequests: ` + `You have reached …`.
            let beforeSpace = previous[previous.index(before: previous.endIndex) - 1]
            let single = beforeSpace != PasteDecoration.space
            return single && (beforeSpace == UInt8(ascii: ":") || beforeSpace == UInt8(ascii: ","))
        }
        // Broken between words: `…Build result` + `will only remain in the build cache.`
        let midSentence = isLetterOrDigit(last) || last == UInt8(ascii: ",")
        return midSentence && (0x61...0x7a).contains(first)
    }

    /// `warning: …`, `go: …`, `E: …`, `npm ERR! …`, `open /tmp/x.tar: …` — a first or second word
    /// that ends in a colon (or `!`, `]`) starts a message of its own; a line that ends like code
    /// (`import a.b.C;`, `{`, `}`) is not the rest of a sentence.
    private static func startsOwnMessage(_ text: ArraySlice<UInt8>) -> Bool {
        if let last = text.last, last == UInt8(ascii: ";") || last == UInt8(ascii: "{") || last == UInt8(ascii: "}") { return true }
        var rest = text
        for _ in 0..<2 {
            let word = rest.prefix { $0 != PasteDecoration.space }
            guard let end = word.last else { return false }
            if word.count > 1 && (end == UInt8(ascii: ":") || end == UInt8(ascii: "!") || end == UInt8(ascii: "]")) { return true }
            guard word.endIndex < rest.endIndex else { return false }
            rest = rest[(word.endIndex + 1)...]
        }
        return false
    }

    private static func firstWord(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        text.prefix { $0 != PasteDecoration.space }
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        (0x30...0x39).contains(byte) || (0x41...0x5a).contains(byte) || (0x61...0x7a).contains(byte)
    }
}
