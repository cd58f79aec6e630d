/// Turns an analysis into one output format. Each format is one renderer with one golden file.
public protocol Renderer {
    func render(_ analysis: Analysis) -> String
}

/// The output formats `--format` accepts.
public enum OutputFormat: String, CaseIterable, Sendable {
    case text
    case json
    case markdown

    public func renderer(color: Bool = false) -> any Renderer {
        switch self {
        case .text: TextRenderer(color: color)
        case .json: JSONRenderer()
        case .markdown: MarkdownRenderer()
        }
    }
}

public enum LogDxVersion {
    public static let current = "0.1.0"
}
