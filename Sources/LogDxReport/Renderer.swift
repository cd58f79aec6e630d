import LogDxDiagnose

/// Turns an analysis into one output format. Each format is one renderer with one golden file.
public protocol Renderer {
    func render(_ analysis: Analysis) -> String
}

/// The output formats `--format` accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text
    case json
    case markdown
    case sarif
    case junit
    /// GitLab Code Quality.
    case codequality
    /// GitHub Actions workflow commands (annotations).
    case github
    /// One line per finding, `JOB:LINE: SEVERITY: TITLE [rule-id]`.
    case compact

    /// `width` is where the text format wraps its prose; nil leaves it unwrapped.
    public func renderer(color: Bool = false, width: Int? = TextRenderer.defaultWidth) -> any Renderer {
        switch self {
        case .text: TextRenderer(color: color, width: width)
        case .json: JSONRenderer()
        case .markdown: MarkdownRenderer()
        case .sarif: SARIFRenderer()
        case .junit: JUnitRenderer()
        case .codequality: CodeQualityRenderer()
        case .github: GitHubAnnotationsRenderer()
        case .compact: CompactRenderer()
        }
    }
}

public enum LogDxVersion {
    public static let current = "0.1.0"
}
