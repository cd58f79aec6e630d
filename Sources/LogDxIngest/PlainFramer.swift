import LogDxModel

/// Any other text — in practice, what people paste: one job; a line starting with `$ ` is taken as
/// a command, as shells echo them.
///
/// A paste is often a copy of GitHub's job page, which renders the raw log's markers as text:
/// `##[error]msg` becomes `Error: msg` (also `Warning: `, `Notice: `), a step's `##[group]Run cmd`
/// becomes the header `Run cmd` with its inputs indented by two under it. The framer reads them
/// back as the raw log's framer does, so the same event patterns match: the annotation word is
/// cut, the header is a step and a command, its body loses the page's indent. `##[…]` markers
/// pasted as they are read as in a raw log.
struct PlainFramer: Framer {
    private let job: Int
    private let githubWebCopy: Bool
    /// Whether `Error: ` may be GitHub's annotation: in a web copy, or a pasted fragment, which is
    /// mostly one. A whole log read from a file is the tools' own text (`Error: openssl is
    /// already installed` is Homebrew's), and keeps the word.
    private let cutsAnnotations: Bool
    private var cleaner = LineCleaner()
    /// Inside the indented body of a `Run …` step header.
    private var inStepBody = false
    private var reportedError = false

    init(job: Int, githubWebCopy: Bool = false, fragment: Bool = false) {
        self.job = job
        self.githubWebCopy = githubWebCopy
        cutsAnnotations = githubWebCopy || fragment
    }

    mutating func frame(_ raw: UnsafeBufferPointer<UInt8>, into output: inout FrameOutput, jobs: inout JobTable) {
        output.job = job
        var text = cleaner.clean(raw)
        let marker = text.drop { $0 == PasteDecoration.space || $0 == PasteDecoration.tab }
        if Bytes.hasPrefix(marker, "##[") {
            inStepBody = false
            output.startsMessage = true
            if Bytes.hasPrefix(marker, "##[error]") { reportedError = true }
            output.text = GitHubLogLine.interpret(marker, job: job, output: &output, jobs: &jobs)
            return
        }
        if githubWebCopy {
            if inStepBody {
                if Bytes.trimmed(text).isEmpty || Bytes.hasPrefix(text, "  ") {
                    output.text = text.dropFirst(min(2, text.count))
                    return
                }
                inStepBody = false
            }
            if FormatEvidence.isStepHeader(text) {
                inStepBody = true
                output.startsMessage = true
                output.emit(StructuralEvent.section, ["name": Bytes.string(text)])
                output.emit(StructuralEvent.command, ["command": Bytes.string(Bytes.trimmed(text.dropFirst(4)))])
                output.text = text
                return
            }
        }
        if cutsAnnotations, let message = Self.annotationMessage(text) {
            if githubWebCopy && Bytes.hasPrefix(text, "Error: ") { reportedError = true }
            output.startsMessage = true
            text = message
        }
        output.text = text
        if Bytes.hasPrefix(text, "$ ") {
            output.emit(StructuralEvent.command, ["command": Bytes.string(text.dropFirst(2))])
        }
    }

    mutating func finish(jobs: inout JobTable) {
        if reportedError && jobs[job].status == .unknown {
            jobs.finish(job, status: .failed, exitCode: nil)
        }
    }

    /// The message of a line GitHub's page shows as an annotation (`Error: msg`), or `nil`.
    ///
    /// A tool that prints `Error: ` itself (Node.js, Poetry) loses the word too: the two cannot be
    /// told apart in a copy, so patterns for such tools keep the word optional.
    static func annotationMessage(_ text: ArraySlice<UInt8>) -> ArraySlice<UInt8>? {
        for word in ["Error: ", "Warning: ", "Notice: "] as [StaticString] where Bytes.hasPrefix(text, word) {
            let message = text.dropFirst(word.utf8CodeUnitCount)
            return message.isEmpty ? nil : message
        }
        return nil
    }
}
