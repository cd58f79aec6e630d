import PCRE2

/// How one kind of event is recognised in a log line: a PCRE2 pattern whose named groups become the
/// event's fields, plus what a single regex cannot say (list splitting, fields inherited from an
/// earlier event, the command or section the line must be under, continuation lines).
public struct EventDefinition: Sendable, Codable {
    public enum Target: String, Sendable, Codable {
        /// The pattern is matched against every line of output.
        case line
        /// The pattern is matched against the text of each command the job runs.
        case command
    }

    /// Splits one captured list (`Package(s) not found for: a, b`) into one event per item.
    public struct Split: Sendable, Codable {
        public var field: String
        public var separator: String
        /// Optional pattern applied to each item, whose named groups become fields of that event.
        public var item: Pattern?
    }

    /// Takes a field from the most recent earlier event of another kind in the same job.
    public struct Inherit: Sendable, Codable {
        public var field: String
        public var fromKind: String
        public var fromField: String
        /// Only when that event came after the current command started (uv prints the environment
        /// once per command, so an older one may describe another environment).
        public var withinCommand: Bool
    }

    public var id: String
    public var kind: String
    public var pattern: Pattern
    public var target: Target
    /// Required literals for the prefilter (lowercase); empty means "run on every line".
    public var literals: [String]
    public var split: Split?
    public var constants: [String: String]
    public var inherit: [Inherit]
    /// The line must be inside a command whose text matches this.
    public var whenCommand: Pattern?
    /// The line must be inside a section (GitLab section, GitHub group/step) whose name matches this.
    public var whenSection: Pattern?
    /// Following lines that match this belong to the event (indented continuation of a warning).
    public var continuation: Pattern?
    /// Lines that must produce this event, and lines that must not: the definition's own tests.
    public var examples: [String]
    public var counterexamples: [String]
    public var file: String
    public var line: Int?

    /// The fields events of this definition can carry.
    public var fieldNames: Set<String> {
        var names = Set(pattern.groupNames)
        names.formUnion(constants.keys)
        names.formUnion(inherit.map(\.field))
        if let item = split?.item { names.formUnion(item.groupNames) }
        return names
    }
}
