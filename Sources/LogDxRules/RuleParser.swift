import PCRE2
import LogDxModel

/// Reads one rule file (one rule, `id` equal to the file name) into a `Rule`.
package enum RuleParser {
    package static let keys = [
        "id", "ecosystem", "severity", "priority", "title", "summary", "explanation", "match", "absent",
        "group_by", "fixes", "docs", "supersedes", "tags",
    ]
    package static let bindingKeys = ["as", "event", "job", "line", "where", "collect"]

    static func parse(_ root: YAMLValue) throws(RuleError) -> Rule {
        var root = root
        let id = try root.required("id", hint: "start the file with `id: <file name without .yaml>`").string()
        root.rule = id
        try root.checkKeys(keys, in: "a rule")

        let severityValue = try root.required("severity", hint: "one of: error, warning, info")
        guard let severity = Severity(rawValue: try severityValue.string()) else {
            throw severityValue.error("severity must be error, warning or info")
        }
        let match = try root.required("match", hint: "list the events the rule looks for under `match:`")
        var bindings: [Binding] = []
        for item in try match.list() {
            bindings.append(try binding(item, named: nil))
        }
        if bindings.allSatisfy(\.collect) {
            throw match.error("every binding is `collect: true`, so the rule would match an empty pipeline", hint: "make at least one binding required")
        }
        var absent: [Binding] = []
        for (index, item) in (try root.child("absent")?.list() ?? []).enumerated() {
            absent.append(try binding(item, named: "absent#\(index + 1)"))
        }

        var fixes: [Rule.FixTemplate] = []
        for item in try root.child("fixes")?.list() ?? [] {
            try item.checkKeys(["summary", "detail", "patch"], in: "a fix")
            var edits: [EditTemplate] = []
            for edit in try item.child("patch")?.list() ?? [] {
                edits.append(try editTemplate(edit))
            }
            fixes.append(.init(
                summary: try template(try item.required("summary")),
                detail: try item.child("detail").map { v throws(RuleError) in try template(v) } ?? .empty,
                patch: edits))
        }
        if fixes.isEmpty && severity != .info {
            throw root.error("an \(severity.rawValue) rule needs at least one fix", hint: "add `fixes:` with a `summary:` (and a `detail:`) saying what to change")
        }

        var groupBy: [Template.Reference] = []
        for path in try root.child("group_by")?.strings() ?? [] {
            groupBy.append(Template.Reference(path))
        }

        return Rule(
            id: id,
            ecosystem: try root.required("ecosystem", hint: "e.g. `ecosystem: python`").string(),
            severity: severity,
            priority: try root.child("priority")?.int() ?? 50,
            title: try template(try root.required("title")),
            summary: try root.required("summary", hint: "say in a sentence what the rule detects").string().trimmingTrailingWhitespace(),
            explanation: try template(try root.required("explanation", hint: "explain the cause with the bound values")),
            fixes: fixes,
            docs: try root.child("docs")?.strings() ?? [],
            supersedes: try root.child("supersedes")?.strings() ?? [],
            match: bindings,
            absent: absent,
            groupBy: groupBy,
            file: root.file,
            line: root.line)
    }

    static func template(_ value: YAMLValue) throws(RuleError) -> Template {
        let text = try value.string()
        do {
            return try Template(text)
        } catch {
            throw value.error("bad template: \(error.description)", hint: "placeholders look like {{binding.field}}; sections like {{#binding}}…{{/binding}}")
        }
    }

    /// One `patch:` entry: a map with one operation key, e.g. `add_cache_path: { job: …, path: … }`
    /// or `unset_variable: NAME`.
    private static func editTemplate(_ item: YAMLValue) throws(RuleError) -> EditTemplate {
        let names = EditTemplate.operations.keys.sorted()
        var keys = try item.keys()
        // `ci: gitlab` beside the operation: an edit for that CI only.
        var ci: String?
        if keys.contains("ci") {
            let value = try item.required("ci").string()
            guard ["gitlab", "github"].contains(value) else {
                throw item.error("`ci:` is gitlab or github", hint: "an edit for one CI only, e.g. `ci: gitlab`")
            }
            ci = value
            keys.removeAll { $0 == "ci" }
        }
        let edit = try editTemplate(item, keys: keys, names: names)
        return ci.map { .onlyOn(ci: $0, edit) } ?? edit
    }

    private static func editTemplate(_ item: YAMLValue, keys: [String], names: [String]) throws(RuleError) -> EditTemplate {
        guard keys.count == 1, let operation = keys.first, let expected = EditTemplate.operations[operation] else {
            throw item.error("a patch entry is one of: \(names.joined(separator: ", "))", hint: "e.g. `- add_cache_path: { job: '{{installed.job}}', path: .venv }`")
        }
        let value = try item.required(operation)
        if expected.isEmpty {
            return .unsetVariable(name: try template(value))
        }
        try value.checkKeys(expected, in: "`\(operation)`")
        func part(_ key: String) throws(RuleError) -> Template {
            try template(try value.required(key, hint: "`\(operation)` takes \(expected.joined(separator: ", "))"))
        }
        switch operation {
        case "set_variable": return .setVariable(name: try part("name"), value: try part("value"))
        case "add_cache_path": return .addCachePath(path: try part("path"), job: try part("job"))
        case "add_artifact_path": return .addArtifactPath(path: try part("path"), job: try part("job"))
        case "add_dependency": return .addDependency(job: try part("job"), from: try part("from"))
        case "append_to_command": return .appendToCommand(job: try part("job"), command: try part("command"), text: try part("text"))
        case "set_step_input":
            return .setStepInput(
                job: try part("job"), action: try part("action"), input: try part("input"), value: try part("value"),
                replacing: try value.child("replacing").map { v throws(RuleError) in try template(v) })
        default:
            return .addScriptLine(job: try part("job"), line: try part("line"), before: try value.child("before").map { v throws(RuleError) in try template(v) })
        }
    }

    private static func binding(_ item: YAMLValue, named defaultName: String?) throws(RuleError) -> Binding {
        try item.checkKeys(bindingKeys, in: "a match entry")
        let name: String
        if let given = item.child("as") {
            name = try given.string()
        } else if let defaultName {
            name = defaultName
        } else {
            throw item.error("a match entry needs a name", hint: "add `as: <name>` so other entries and templates can refer to it")
        }
        let eventValue = try item.required("event", hint: "the event kind to look for, e.g. `event: package.missing`")
        let kinds = try eventValue.strings()

        var job = JobConstraint()
        if let value = item.child("job") {
            try value.checkKeys(JobConstraint.Relation.allCases.map(\.rawValue) + ["status"], in: "job")
            for relation in JobConstraint.Relation.allCases {
                if let other = value.child(relation.rawValue) {
                    job.relations.append((relation, try other.string()))
                }
            }
            if let status = value.child("status") {
                var statuses: [JobStatus] = []
                for text in try status.strings() {
                    guard let parsed = JobStatus(rawValue: text) else {
                        throw status.error("unknown job status '\(text)'", hint: "one of: \(JobStatus.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    statuses.append(parsed)
                }
                job.status = statuses
            }
        }
        var order: LineOrder?
        if let value = item.child("line") {
            try value.checkKeys(["before", "after"], in: "line")
            if let other = value.child("before") { order = LineOrder(isBefore: true, binding: try other.string()) }
            if let other = value.child("after") { order = LineOrder(isBefore: false, binding: try other.string()) }
        }
        var conditions: [FieldCondition] = []
        for (field, value) in try item.child("where")?.entries() ?? [] {
            conditions.append(contentsOf: try fieldConditions(field, value))
        }
        var collect = false
        var keep = Binding.Keep.all
        if let value = item.child("collect") {
            let text = try value.string()
            if let chosen = Binding.Keep(rawValue: text) {
                collect = true
                keep = chosen
            } else {
                do {
                    collect = try value.bool()
                } catch {
                    throw value.error("collect must be true, false, first or last")
                }
            }
        }
        var binding = Binding(
            name: name, kinds: kinds, collect: collect, job: job, order: order, conditions: conditions, line: item.line)
        binding.keep = keep
        return binding
    }

    package static let operators = ["equals", "not_equals", "same_name", "in", "matches", "covers", "inside", "outside_project", "exists"]

    private static func fieldConditions(_ field: String, _ value: YAMLValue) throws(RuleError) -> [FieldCondition] {
        guard value.isMapping else {
            return [FieldCondition(field: field, op: .equals(try template(value)), line: value.line)]
        }
        try value.checkKeys(operators, in: "the conditions on '\(field)'")
        var result: [FieldCondition] = []
        for (name, operand) in try value.entries() {
            let op: FieldCondition.Operator
            switch name {
            case "equals": op = .equals(try template(operand))
            case "not_equals": op = .notEquals(try template(operand))
            case "same_name": op = .sameName(try template(operand))
            case "in":
                var options: [Template] = []
                for item in try operand.list() { options.append(try template(item)) }
                op = .oneOf(options)
            case "matches": op = .matches(try EventDefinitionParser.compile(try operand.string(), at: operand, ignoreCase: false))
            case "covers": op = .covers(try template(operand))
            case "inside": op = .inside(try template(operand))
            case "outside_project": op = .outsideProject(try operand.bool())
            default: op = .exists(try operand.bool())
            }
            result.append(FieldCondition(field: field, op: op, line: operand.line))
        }
        return result
    }
}

extension String {
    /// Steps back a character at a time: `Substring.dropLast()` counts the whole string's
    /// characters to drop one, which made trimming a rendered explanation quadratic (a tenth of
    /// explaining a seed-shaped pipeline).
    package func trimmingTrailingWhitespace() -> String {
        var end = endIndex
        while end > startIndex {
            let before = index(before: end)
            let last = self[before]
            guard last == " " || last == "\n" || last == "\t" else { break }
            end = before
        }
        return end == endIndex ? self : String(self[..<end])
    }
}
