import LogDxCorrelate
import LogDxDiagnose

/// GitHub Actions workflow commands (`::error title=…::message`, with `file=…,line=…` when a line of
/// the workflow file is evidence): annotations on the run page, one per diagnosis and one per
/// failed job no rule explains.
public struct GitHubAnnotationsRenderer: Renderer {
    public init() {}

    public func render(_ analysis: Analysis) -> String {
        // Escaped first, so that only the newlines of prose remain for the %0A of the runner.
        let analysis = analysis.escapingControlCharacters()
        var out: [String] = []
        for d in analysis.diagnoses {
            let command = d.severity == .error ? "error" : d.severity == .warning ? "warning" : "notice"
            var properties = ["title=\(Self.property(d.title))"]
            // GitHub places annotations on files of the repository: a line of the workflow file
            // is one, a log line is not (a file= that is not in the repository hides where the
            // annotation belongs), so only config evidence gives a location.
            if let place = d.evidence.first(where: { $0.origin == .config }) {
                properties.insert("line=\(place.line)", at: 0)
                properties.insert("file=\(Self.property(place.source))", at: 0)
            }
            let message = d.explanation + SARIFRenderer.fixes(d)
            out.append("::\(command) \(properties.joined(separator: ","))::\(Self.data(message))")
        }
        for excerpt in analysis.excerpts where !excerpt.explained {
            let lines = excerpt.lines.map { "\(excerpt.job):\($0.line)  \($0.text)" }.joined(separator: "\n")
            let command = UnexplainedJobTitle.failed(excerpt, in: analysis.pipeline) ? "error" : "warning"
            out.append("::\(command) title=\(Self.property(UnexplainedJobTitle.title(excerpt, job: excerpt.job, in: analysis.pipeline)))::\(Self.data(lines))")
        }
        return out.joined(separator: "\n") + (out.isEmpty ? "" : "\n")
    }

    /// The escaping the runner undoes for a command's message.
    package static func data(_ text: String) -> String {
        text.replacingAll("%", "%25").replacingAll("\r", "%0D").replacingAll("\n", "%0A")
    }

    /// The escaping the runner undoes for a command's properties.
    static func property(_ text: String) -> String {
        data(text).replacingAll(":", "%3A").replacingAll(",", "%2C")
    }
}
