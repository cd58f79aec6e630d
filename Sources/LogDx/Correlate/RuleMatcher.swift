import PCRE2

/// Finds every way one rule's bindings can be satisfied by a pipeline's events.
///
/// A backtracking join in binding order: each binding is tried against the events of its kinds,
/// keeping those that pass its job, order and field conditions given the bindings already made.
/// Events are sparse (matched lines only), so the join stays small.
struct RuleMatcher {
    let pipeline: Pipeline
    let eventsByKind: [String: [Event]]
    private let projectDirectories: [Int: [String]]
    private let scratch = MatchScratch()

    /// One solution: the events bound to each name (one for a required binding, any number for a
    /// collected one).
    typealias Assignment = [String: [Event]]

    static let projectDirectoryKind = "project.dir"

    init(pipeline: Pipeline, eventsByKind: [String: [Event]]) {
        self.pipeline = pipeline
        self.eventsByKind = eventsByKind
        var directories: [Int: [String]] = [:]
        for event in eventsByKind[Self.projectDirectoryKind] ?? [] {
            if let path = event.fields["path"] { directories[event.job, default: []].append(path) }
        }
        projectDirectories = directories
    }

    func solutions(of rule: Rule) -> [Assignment] {
        var results: [Assignment] = []
        var assignment: Assignment = [:]
        solve(rule, bindingIndex: 0, &assignment, &results)
        return results
    }

    private func solve(_ rule: Rule, bindingIndex: Int, _ assignment: inout Assignment, _ results: inout [Assignment]) {
        guard bindingIndex < rule.match.count else {
            if !rule.absent.contains(where: { binding in candidates(binding).contains { accepts($0, binding, assignment) } }) {
                results.append(assignment)
            }
            return
        }
        let binding = rule.match[bindingIndex]
        let passing = candidates(binding).filter { accepts($0, binding, assignment) }
        if binding.collect {
            var passing = passing
            if binding.kinds.count > 1 && binding.keep != .all {
                passing.sort { (pipeline.jobs[$0.job].order, $0.line) < (pipeline.jobs[$1.job].order, $1.line) }
            }
            switch binding.keep {
            case .all: assignment[binding.name] = passing
            case .first: assignment[binding.name] = Array(passing.prefix(1))
            case .last: assignment[binding.name] = Array(passing.suffix(1))
            }
            solve(rule, bindingIndex: bindingIndex + 1, &assignment, &results)
        } else {
            for event in passing {
                assignment[binding.name] = [event]
                solve(rule, bindingIndex: bindingIndex + 1, &assignment, &results)
            }
        }
        assignment[binding.name] = nil
    }

    private func candidates(_ binding: Binding) -> [Event] {
        if binding.kinds.count == 1 { return eventsByKind[binding.kinds[0]] ?? [] }
        return binding.kinds.flatMap { eventsByKind[$0] ?? [] }
    }

    private func accepts(_ event: Event, _ binding: Binding, _ assignment: Assignment) -> Bool {
        if let statuses = binding.job.status, !statuses.contains(pipeline.jobs[event.job].status) { return false }
        for (relation, other) in binding.job.relations {
            let others = assignment[other] ?? []
            let related = others.contains { o in
                switch relation {
                case .same: event.job == o.job
                case .other: event.job != o.job
                case .before: pipeline.job(event.job, runsBefore: o.job)
                case .after: pipeline.job(o.job, runsBefore: event.job)
                }
            }
            if !related { return false }
        }
        if let order = binding.order {
            let inOrder = (assignment[order.binding] ?? []).contains { o in
                o.job == event.job && (order.isBefore ? event.line < o.line : event.line > o.line)
            }
            if !inOrder { return false }
        }
        for condition in binding.conditions where !holds(condition, on: event, assignment) {
            return false
        }
        return true
    }

    private func holds(_ condition: FieldCondition, on event: Event, _ assignment: Assignment) -> Bool {
        let value = Self.value(of: condition.field, in: event, pipeline: pipeline)
        if case .exists(let wanted) = condition.op {
            return (value.map { !$0.isEmpty } ?? false) == wanted
        }
        guard let value else { return false }
        let paths = ProjectPaths(projectDirectories: projectDirectories[event.job] ?? [])
        switch condition.op {
        case .equals(let t): return operands(t, assignment).contains(value)
        case .notEquals(let t): return !operands(t, assignment).contains(value)
        case .sameName(let t):
            let name = Self.canonicalName(value)
            return operands(t, assignment).contains { Self.canonicalName($0) == name }
        case .oneOf(let ts): return ts.contains { operands($0, assignment).contains(value) }
        case .matches(let pattern):
            var bytes = Array(value.utf8)
            return bytes.withUnsafeMutableBufferPointer { buffer in
                if case .matched = pattern.firstMatch(in: UnsafeBufferPointer(buffer), scratch: scratch) { return true }
                return false
            }
        case .covers(let t): return operands(t, assignment).contains { paths.covers(value, $0) }
        case .inside(let t): return operands(t, assignment).contains { paths.covers($0, value) }
        case .outsideProject(let wanted): return paths.isOutsideProject(value) == wanted
        case .exists: return true
        }
    }

    /// The values an operand stands for: every value of a lone `{{b.f}}` placeholder, else the
    /// rendered text.
    private func operands(_ template: Template, _ assignment: Assignment) -> [String] {
        if template.isConstant { return [template.source] }
        let refs = template.references
        if refs.count == 1, template.source.trimmingSpacesAround() == "{{\(refs[0].path)}}" {
            return Self.values(of: refs[0], in: [assignment], pipeline: pipeline)
        }
        return [template.render { Self.values(of: $0, in: [assignment], pipeline: pipeline) }]
    }

    /// A field of an event, including the fields every event has (`job`, `stage`, `line`, `text`).
    static func value(of field: String, in event: Event, pipeline: Pipeline) -> String? {
        switch field {
        case "job": return pipeline.jobs[event.job].name
        case "stage": return pipeline.jobs[event.job].stage
        case "line": return String(event.line)
        case "text": return event.text
        case "kind": return event.kind
        // Which CI wrote the job's log: advice differs (GitLab's before_script has no GitHub twin).
        case "log_format": return pipeline.jobs[event.job].format.rawValue
        default: return event.fields[field]
        }
    }

    /// Distinct values of a reference across assignments, in order of appearance.
    static func values(of ref: Template.Reference, in assignments: [Assignment], pipeline: Pipeline) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        for assignment in assignments {
            for event in assignment[ref.binding] ?? [] {
                let value = ref.field.flatMap { Self.value(of: $0, in: event, pipeline: pipeline) } ?? (ref.field == nil ? event.kind : nil)
                if let value, !value.isEmpty, seen.insert(value).inserted { result.append(value) }
            }
        }
        return result
    }

    /// Package names as indexes compare them: case-insensitive, with `-`, `_` and `.` equivalent.
    static func canonicalName(_ name: String) -> String {
        String(name.lowercased().map { $0 == "_" || $0 == "." ? "-" : $0 })
    }
}

extension String {
    func trimmingSpacesAround() -> String {
        Substring(self).trimmingSpaces()
    }
}
