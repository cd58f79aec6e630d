/// How to read one input: its format, and what a copy added that reading must remove.
struct PasteProfile: Sendable, Equatable {
    var format: InputFormat
    var decoration: PasteDecoration
    /// A copy of GitHub's job page (plain text with `Run …` step headers, `Error: ` annotations).
    var githubWebCopy = false
    /// BuildKit output (`#12 0.512 …`), whose step and time columns hide the message.
    var buildKit = false

    init(format: InputFormat, decoration: PasteDecoration = .none) {
        self.format = format
        self.decoration = decoration
    }
}
