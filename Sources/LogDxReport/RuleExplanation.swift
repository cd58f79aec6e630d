import LogDxRules

/// `logdx rules explain ID`: what a rule detects, the events it joins, an example line, its fix and
/// its documentation, written for the person deciding whether to trust a diagnosis.
public struct RuleExplanation {
    public let rule: Rule
    public let rules: RuleSet
    /// The rule's fixture cases, when the fixtures are at hand.
    public let fixtureCases: [String]

    public init(rule: Rule, rules: RuleSet, fixtureCases: [String] = []) {
        self.rule = rule
        self.rules = rules
        self.fixtureCases = fixtureCases
    }

    public func render(width: Int = 100) -> String {
        var out: [String] = []
        out.append("\(rule.id)  (\(rule.ecosystem) · \(rule.severity.rawValue) · priority \(rule.priority))")
        out.append("")
        out.append("What it detects")
        out.append(TextWrapper.wrap(rule.summary, width: width, indent: "  "))
        out.append("")
        out.append("Looks for")
        let nameWidth = rule.match.map(\.name.count).max() ?? 0
        for binding in rule.match {
            out.append("  " + binding.name.padding(toLength: nameWidth) + "  " + describe(binding))
        }
        if !rule.absent.isEmpty {
            out.append("Unless there is")
            for binding in rule.absent { out.append("  " + describe(binding)) }
        }
        if let example = exampleLine() {
            out.append("")
            out.append("Example line")
            out.append("  \(example.line)")
            out.append("  (event \(example.kind), from definition '\(example.definition)')")
        }
        out.append("")
        out.append("Diagnosis")
        out.append("  " + placeholders(rule.title))
        out.append(TextWrapper.wrap(placeholders(rule.explanation), width: width, indent: "  "))
        if !rule.fixes.isEmpty {
            out.append("")
            out.append("Fix")
            for (n, fix) in rule.fixes.enumerated() {
                out.append("  \(n + 1). \(placeholders(fix.summary))")
                if !fix.detail.source.isEmpty {
                    out.append(TextWrapper.wrap(placeholders(fix.detail), width: width, indent: "     "))
                }
            }
        }
        if !rule.docs.isEmpty {
            out.append("")
            out.append("Docs")
            for link in rule.docs { out.append("  \(link)") }
        }
        if !rule.supersedes.isEmpty {
            out.append("")
            out.append("Explains (supersedes): \(rule.supersedes.joined(separator: ", "))")
        }
        out.append("")
        out.append("Defined in \(rule.file)")
        if !fixtureCases.isEmpty {
            out.append("Fixtures: \(fixtureCases.joined(separator: ", "))")
        }
        return out.joined(separator: "\n") + "\n"
    }

    /// A template as text, with its placeholders shown as ‹binding.field›.
    package func placeholders(_ template: Template) -> String {
        template.render { ["‹\($0.path)›"] }.trimmingTrailingWhitespace()
    }

    package func describe(_ binding: Binding) -> String {
        var parts = [binding.kinds.joined(separator: " | ")]
        if binding.collect { parts.append("(all of them, if any)") }
        for (relation, other) in binding.job.relations {
            switch relation {
            case .same: parts.append("in the same job as \(other)")
            case .other: parts.append("in another job than \(other)")
            case .before: parts.append("in a job that ran before \(other)'s")
            case .after: parts.append("in a job that ran after \(other)'s")
            case .sameRun: parts.append("in the same run as \(other)'s job")
            }
        }
        if let statuses = binding.job.status {
            parts.append("in a job that " + (statuses == [.failed] ? "failed" : "ended \(statuses.map(\.rawValue).joined(separator: " or "))"))
        }
        if let order = binding.order {
            parts.append("\(order.isBefore ? "before" : "after") \(order.binding) in its job")
        }
        for condition in binding.conditions {
            parts.append("where \(condition.field) " + describe(condition.op))
        }
        return parts.joined(separator: ", ")
    }

    private func describe(_ op: FieldCondition.Operator) -> String {
        switch op {
        case .equals(let t): "is \(placeholders(t))"
        case .notEquals(let t): "is not \(placeholders(t))"
        case .sameName(let t): "names the same package as \(placeholders(t))"
        case .oneOf(let ts): "is one of \(ts.map(placeholders).joined(separator: ", "))"
        case .matches(let pattern): "matches /\(pattern.source)/"
        case .covers(let t): "contains the path \(placeholders(t))"
        case .inside(let t): "lies inside \(placeholders(t))"
        case .outsideProject(let outside): outside ? "lies outside the project directory" : "lies inside the project directory"
        case .exists(let exists): exists ? "is present" : "is absent"
        }
    }

    /// A real line the rule's first required event comes from: the first example of a definition of
    /// that kind.
    func exampleLine() -> (line: String, kind: String, definition: String)? {
        guard let binding = rule.match.first(where: { !$0.collect }) else { return nil }
        for kind in binding.kinds {
            if let definition = rules.events.first(where: { $0.kind == kind }), let example = definition.examples.first {
                return (example, kind, definition.id)
            }
        }
        return nil
    }
}
