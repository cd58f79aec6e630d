/// A problem in a rule file, located precisely enough to fix without searching.
public struct RuleError: Error, Equatable, Sendable, CustomStringConvertible {
    public var file: String
    /// The rule or event definition id, when the problem is inside one.
    public var rule: String?
    public var line: Int?
    public var message: String
    /// What to change.
    public var hint: String?

    public init(file: String, rule: String? = nil, line: Int? = nil, message: String, hint: String? = nil) {
        self.file = file
        self.rule = rule
        self.line = line
        self.message = message
        self.hint = hint
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let rule { text += "rule '\(rule)': " }
        text += message
        if let hint { text += "\n    fix: \(hint)" }
        return text
    }
}

/// Every problem found while loading rules; loading reports them all at once.
public struct RuleLoadErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [RuleError]

    public var description: String {
        errors.map(\.description).joined(separator: "\n")
    }
}
