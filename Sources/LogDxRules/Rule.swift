import PCRE2
import LogDxModel

/// A diagnosis rule: events to find (joined across jobs through named bindings), events whose
/// presence rules the diagnosis out, and the text that explains it and says how to fix it.
public struct Rule: Sendable, Codable {
    public var id: String
    public var ecosystem: String
    public var severity: Severity
    /// Orders rules of one severity: the more specific explanation leads.
    public var priority: Int
    public var title: Template
    /// What the rule detects, in one or two sentences, for `rules list` and `rules explain`.
    public var summary: String
    public var explanation: Template
    public var fixes: [FixTemplate]
    public var docs: [String]
    /// Rules whose diagnoses this one explains; when both fire on a shared line, they are grouped
    /// under this one as symptoms.
    public var supersedes: [String]
    public var match: [Binding]
    /// Conditions that must find nothing for the diagnosis to hold.
    public var absent: [Binding]
    /// Matches that agree on these references merge into one diagnosis.
    public var groupBy: [Template.Reference]
    public var file: String
    public var line: Int?

    public struct FixTemplate: Sendable, Codable {
        public var summary: Template
        public var detail: Template
        /// Changes to the CI config that make the fix, shown as a patch when the config is known.
        public var patch: [EditTemplate] = []
    }
}

/// One event a rule looks for, named so that later conditions and templates can refer to it.
public struct Binding: Sendable, Codable {
    public var name: String
    public var kinds: [String]
    /// Collect matching events instead of requiring one; never stops the rule from matching.
    public var collect: Bool
    /// Which collected events to keep: all of them, or only the first or last in pipeline order
    /// (the command that was running when a job timed out).
    public var keep: Keep = .all

    public enum Keep: String, Sendable, Codable {
        case all, first, last
    }
    public var job: JobConstraint
    public var order: LineOrder?
    public var conditions: [FieldCondition]
    public var line: Int?
}

/// Where the event's job stands relative to an earlier binding's job, and its status.
public struct JobConstraint: Sendable, Codable {
    public enum Relation: String, Sendable, Codable, CaseIterable {
        case same, other, before, after
        /// Both jobs belong to the same run of the pipeline (always, when the input is one run).
        case sameRun = "same_run"
    }

    public var relations: [(Relation, String)] = []
    public var status: [JobStatus]?

    init(relations: [(Relation, String)] = [], status: [JobStatus]? = nil) {
        self.relations = relations
        self.status = status
    }

    private enum CodingKeys: String, CodingKey {
        case relations, status
    }

    private struct RelationToBinding: Codable {
        var relation: Relation
        var binding: String
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        relations = try container.decode([RelationToBinding].self, forKey: .relations).map { ($0.relation, $0.binding) }
        status = try container.decodeIfPresent([JobStatus].self, forKey: .status)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(relations.map { RelationToBinding(relation: $0.0, binding: $0.1) }, forKey: .relations)
        try container.encodeIfPresent(status, forKey: .status)
    }
}

/// Before or after an earlier binding's event, within the same job.
public struct LineOrder: Sendable, Codable {
    public var isBefore: Bool
    public var binding: String
}

/// A test on one field of the event.
public struct FieldCondition: Sendable, Codable {
    public enum Operator: Sendable, Codable {
        case equals(Template)
        case notEquals(Template)
        /// Package names compared as package indexes do (case-insensitive, `-`, `_` and `.` alike).
        case sameName(Template)
        case oneOf([Template])
        case matches(Pattern)
        /// The field is a path that contains the operand path (a cache path covering an install path).
        case covers(Template)
        /// The field is a path inside the operand path.
        case inside(Template)
        /// The field is a path outside the job's project directory (`/usr/local`, `~/.local`).
        case outsideProject(Bool)
        case exists(Bool)
    }

    public var field: String
    public var op: Operator
    public var line: Int?

    /// The references the operand uses.
    package var references: [Template.Reference] {
        switch op {
        case .equals(let t), .notEquals(let t), .sameName(let t), .covers(let t), .inside(let t): t.references
        case .oneOf(let ts): ts.flatMap(\.references)
        case .matches, .outsideProject, .exists: []
        }
    }
}
