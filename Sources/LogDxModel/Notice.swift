/// Something the user should know about how the input was read (a skipped binary file, a long
/// line that was shortened). Notices never stop the analysis.
public struct Notice: Codable, Sendable, Equatable {
    public var source: String
    public var line: Int?
    public var message: String

    public init(source: String, line: Int? = nil, message: String) {
        self.source = source
        self.line = line
        self.message = message
    }
}
