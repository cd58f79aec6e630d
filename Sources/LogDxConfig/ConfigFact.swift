import LogDxModel

/// One thing a CI configuration says about a job (a cache path, a variable, a command), with the
/// place it is written so that evidence and fixes can point at the line to edit.
public struct ConfigFact: Sendable, Equatable {
    /// `config.job`, `config.cache`, `config.artifact`, `config.download`, `config.needs`,
    /// `config.variable` or `config.command`.
    public var kind: String
    public var fields: [String: String]
    /// Relative to the configuration's root: the file the value is written in, which may be an
    /// included file or the one holding a template, not the file of the job.
    public var file: String
    /// 1-based line of the value in `file`.
    public var line: Int
    /// That line's text, trimmed, with secrets masked.
    public var text: Redacted

    public init(kind: String, fields: [String: String], file: String, line: Int, text: Redacted) {
        self.kind = kind
        self.fields = fields
        self.file = file
        self.line = line
        self.text = text
    }
}
