import LogDxModel

/// How to read one input: its format, and what a copy added that reading must remove.
package struct PasteProfile: Sendable, Equatable {
    package var format: InputFormat
    package var decoration: PasteDecoration
    /// A copy of GitHub's job page (plain text with `Run …` step headers, `Error: ` annotations).
    package var githubWebCopy = false
    /// BuildKit output (`#12 0.512 …`), whose step and time columns hide the message.
    var buildKit = false
    /// The whole input is a few lines (at most `FormatDetector.sampleLines`): what people copy
    /// out of a terminal or a page, where long messages come wrapped. A log downloaded whole
    /// keeps one message per line, and its own short lines must stay apart.
    var fragment = false

    init(format: InputFormat, decoration: PasteDecoration = .none) {
        self.format = format
        self.decoration = decoration
    }
}
