import PCRE2
import LogDxModel
import LogDxRules
import LogDxTokenize

/// Finds every way one rule's bindings can be satisfied by a pipeline's events.
///
/// A backtracking join in binding order: each binding is tried against the events of its kinds,
/// keeping those that pass its job, order and field conditions given the bindings already made.
/// Events are sparse (matched lines only) and bounded per job and kind (`EventStore`). A binding
/// tied to the job of another (`same`, or a line order) is tried against that job's events only,
/// one that must equal another's field (or name the same package) against the events with that
/// value only, and a rule keeps
/// at most `maxSolutionsPerJob` solutions per job of its first event: the join grows with the
/// number of jobs, not with its square, and stays bounded in one huge job.
package struct RuleMatcher {
    /// The pipeline's events indexed for matching: built once per pipeline and shared, read
    /// only, by the matchers of every lane.
    package struct Facts: Sendable {
        package let pipeline: Pipeline
        let eventsByKind: [String: [Event]]
        /// Where each job's events are in `eventsByKind[kind]`: the runs of consecutive positions
        /// (one per job when the list is in pipeline order, as the store gives it). Positions,
        /// not copies: copying a million events into per-job lists was a quarter of a second on
        /// one core before the rules could start on all of them.
        let jobRunsByKind: [String: [Int: [Range<Int>]]]
        /// Each job's checkout directories, for the path conditions.
        let projectPaths: [Int: ProjectPaths]

        package init(pipeline: Pipeline, eventsByKind: [String: [Event]]) {
            self.pipeline = pipeline
            self.eventsByKind = eventsByKind
            jobRunsByKind = eventsByKind.mapValues(Self.jobRuns)
            var directories: [Int: [String]] = [:]
            for event in eventsByKind[RuleMatcher.projectDirectoryKind] ?? [] {
                if let path = event.fields["path"] { directories[event.job, default: []].append(path) }
            }
            projectPaths = directories.mapValues { ProjectPaths(projectDirectories: $0) }
        }

        private static func jobRuns(_ events: [Event]) -> [Int: [Range<Int>]] {
            var runs: [Int: [Range<Int>]] = [:]
            var start = 0
            for position in events.indices.dropFirst() where events[position].job != events[start].job {
                runs[events[start].job, default: []].append(start..<position)
                start = position
            }
            if !events.isEmpty { runs[events[start].job, default: []].append(start..<events.count) }
            return runs
        }
    }

    package let pipeline: Pipeline
    let eventsByKind: [String: [Event]]
    private let jobRunsByKind: [String: [Int: [Range<Int>]]]
    private let projectPaths: [Int: ProjectPaths]
    private let scratch = MatchScratch()
    private let valueIndex = ValueIndex()

    /// Positions in `eventsByKind[kind]` of the events by the value of one field, built the first
    /// time a rule compares that kind's field with another binding's.
    private final class ValueIndex {
        /// How a binding's field is compared with the value it must have: as it is (`equals`), or
        /// as indexes compare package names (`same_name`).
        enum Comparison: Hashable {
            case exact
            case packageName
        }

        struct Key: Hashable {
            var kind: String
            var field: String
            var comparison: Comparison
        }

        var positions: [Key: [String: [Int]]] = [:]
    }

    /// Solutions kept per rule and job of the first bound event; evidence shows 20 lines and
    /// titles a few values, so more only cost time.
    static let maxSolutionsPerJob = 200
    /// Events a collecting binding keeps in one solution: the first and last half of this many.
    /// Each solution holds its own list, so without a bound a job's hundreds of solutions times
    /// its hundreds of collected events would be the largest thing in memory.
    static let maxCollected = 100

    /// One solution: the events bound to each name (one for a required binding, any number for a
    /// collected one).
    package typealias Assignment = [String: [Event]]

    package static let projectDirectoryKind = "project.dir"
    /// A job whose log named no checkout directory.
    static let noProjectPaths = ProjectPaths(projectDirectories: [])

    package init(facts: Facts) {
        pipeline = facts.pipeline
        eventsByKind = facts.eventsByKind
        jobRunsByKind = facts.jobRunsByKind
        projectPaths = facts.projectPaths
    }

    func solutions(of rule: Rule) -> [Assignment] {
        var search = Search()
        var assignment: Assignment = [:]
        solve(rule, bindingIndex: 0, &assignment, &search)
        return search.results
    }

    /// What one rule's search has found so far.
    private struct Search {
        var results: [Assignment] = []
        /// Solutions per job of the first binding's event (-1 when that binding collects).
        var perJob: [Int: Int] = [:]
        var job = -1
        /// The events that last passed each binding, and what they depended on. Consecutive
        /// solutions mostly agree on it (a job's errors all collect the same job's crates): they
        /// then share one list instead of each filtering, and keeping, a copy.
        var passing: [Int: (key: DependencyKey, events: [Event])] = [:]
        /// The same for the absent bindings: whether any event passed.
        var absent: [Int: (key: DependencyKey, found: Bool)] = [:]

        var isFull: Bool { perJob[job, default: 0] >= RuleMatcher.maxSolutionsPerJob }
    }

    /// What of the bindings made so far decides which events pass a binding: the jobs of the
    /// bindings it relates to, the lines of the one it is ordered after or before, and the values
    /// its conditions compare with.
    struct DependencyKey: Equatable {
        var jobs: [Int] = []
        var lines: [Int] = []
        var operands: [[String]] = []
    }

    private func dependencyKey(_ binding: Binding, _ assignment: Assignment) -> DependencyKey {
        var key = DependencyKey()
        for (_, other) in binding.job.relations {
            key.jobs += (assignment[other] ?? []).map(\.job)
            key.jobs.append(-1)
        }
        if let order = binding.order {
            for event in assignment[order.binding] ?? [] {
                key.jobs.append(event.job)
                key.lines.append(event.line)
            }
        }
        for condition in binding.conditions {
            let templates: [Template]
            switch condition.op {
            case .equals(let t), .notEquals(let t), .sameName(let t), .covers(let t), .inside(let t): templates = [t]
            case .oneOf(let ts): templates = ts
            case .matches, .outsideProject, .exists: templates = []
            }
            for template in templates where !template.isConstant { key.operands.append(operands(template, assignment)) }
        }
        return key
    }

    private func passing(_ binding: Binding, at index: Int, _ assignment: Assignment, _ search: inout Search) -> [Event] {
        let key = dependencyKey(binding, assignment)
        if let last = search.passing[index], last.key == key { return last.events }
        let tests = CandidateTests(binding, assignment, conditions: resolve(binding.conditions, assignment))
        let events = candidates(binding, assignment).filter { accepts($0, binding, tests) }
        search.passing[index] = (key, events)
        return events
    }

    private func anyAbsent(_ rule: Rule, _ assignment: Assignment, _ search: inout Search) -> Bool {
        for (index, binding) in rule.absent.enumerated() {
            let key = dependencyKey(binding, assignment)
            let found: Bool
            if let last = search.absent[index], last.key == key {
                found = last.found
            } else {
                let tests = CandidateTests(binding, assignment, conditions: resolve(binding.conditions, assignment))
                found = candidates(binding, assignment).contains { accepts($0, binding, tests) }
                search.absent[index] = (key, found)
            }
            if found { return true }
        }
        return false
    }

    private func solve(_ rule: Rule, bindingIndex: Int, _ assignment: inout Assignment, _ search: inout Search) {
        guard bindingIndex < rule.match.count else {
            if !anyAbsent(rule, assignment, &search) {
                search.results.append(assignment)
                search.perJob[search.job, default: 0] += 1
            }
            return
        }
        let binding = rule.match[bindingIndex]
        let passing = passing(binding, at: bindingIndex, assignment, &search)
        if binding.collect {
            var passing = passing
            if binding.kinds.count > 1 && binding.keep != .all {
                // The jobs, not `self`, in the closure: capturing the matcher copied it whole
                // (a retain of each table it holds) for every sort.
                let jobs = pipeline.jobs
                passing.sort { (jobs[$0.job].order, $0.line) < (jobs[$1.job].order, $1.line) }
            }
            switch binding.keep {
            case .all where passing.count > Self.maxCollected:
                assignment[binding.name] = Array(passing.prefix(Self.maxCollected / 2) + passing.suffix(Self.maxCollected / 2))
            case .all: assignment[binding.name] = passing
            case .first: assignment[binding.name] = Array(passing.prefix(1))
            case .last: assignment[binding.name] = Array(passing.suffix(1))
            }
            solve(rule, bindingIndex: bindingIndex + 1, &assignment, &search)
        } else {
            for event in passing {
                if bindingIndex == 0 { search.job = event.job }
                if search.isFull { if bindingIndex == 0 { continue } else { break } }
                assignment[binding.name] = [event]
                solve(rule, bindingIndex: bindingIndex + 1, &assignment, &search)
            }
        }
        assignment[binding.name] = nil
    }

    /// The events a binding may take, in pipeline order: of its kinds, and, when the bindings
    /// made so far say, only in the jobs it must share or only with the values it must equal
    /// (`accepts` checks the rest).
    private func candidates(_ binding: Binding, _ assignment: Assignment) -> ArraySlice<Event> {
        // A line order compares lines within one job, so it ties the job as `same` does.
        let sameAs = binding.job.relations.first { $0.0 == .same }.flatMap { assignment[$0.1] }
            ?? binding.order.flatMap { assignment[$0.binding] }
        if let sameAs {
            let pipelineJobs = pipeline.jobs
            let jobs = Set(sameAs.map(\.job)).sorted { pipelineJobs[$0].order < pipelineJobs[$1].order }
            if binding.kinds.count == 1, jobs.count == 1, let all = eventsByKind[binding.kinds[0]],
               let runs = jobRunsByKind[binding.kinds[0]]?[jobs[0]], runs.count == 1 {
                return all[runs[0]]
            }
            return binding.kinds.flatMap { kind -> [Event] in
                guard let all = eventsByKind[kind], let runs = jobRunsByKind[kind] else { return [] }
                return jobs.flatMap { job in (runs[job] ?? []).flatMap { all[$0] } }
            }[...]
        }
        for condition in binding.conditions {
            let template: Template
            let comparison: ValueIndex.Comparison
            switch condition.op {
            case .equals(let t): (template, comparison) = (t, .exact)
            case .sameName(let t): (template, comparison) = (t, .packageName)
            default: continue
            }
            guard !template.isConstant else { continue }
            let operandValues = operands(template, assignment)
            let wanted = comparison == .exact ? operandValues : operandValues.map(Self.canonicalName)
            return binding.kinds.flatMap { kind in
                let all = eventsByKind[kind] ?? []
                let byValue = positions(of: condition.field, kind: kind, comparison: comparison, in: all)
                let found = wanted.count == 1 ? byValue[wanted[0]] ?? [] : Set(wanted.flatMap { byValue[$0] ?? [] }).sorted()
                return found.map { all[$0] }
            }[...]
        }
        if binding.kinds.count == 1 { return (eventsByKind[binding.kinds[0]] ?? [])[...] }
        return binding.kinds.flatMap { eventsByKind[$0] ?? [] }[...]
    }

    private func positions(of field: String, kind: String, comparison: ValueIndex.Comparison, in events: [Event]) -> [String: [Int]] {
        let key = ValueIndex.Key(kind: kind, field: field, comparison: comparison)
        if let known = valueIndex.positions[key] { return known }
        var byValue: [String: [Int]] = [:]
        let access = EventFieldAccess(field)
        for (position, event) in events.enumerated() {
            guard let value = access.value(in: event, pipeline: pipeline) else { continue }
            byValue[comparison == .exact ? value : Self.canonicalName(value), default: []].append(position)
        }
        valueIndex.positions[key] = byValue
        return byValue
    }

    /// What a binding's candidates are tested against, looked up in the bindings made so far
    /// once per candidate list: by name for each candidate, the lookups were a sixth of solving.
    private struct CandidateTests {
        /// Each job relation with the events of the binding it relates to.
        let relations: [(JobConstraint.Relation, [Event])]
        /// The events of the binding a line order compares with, when there is one.
        let orderEvents: [Event]?
        let conditions: [ResolvedCondition]

        init(_ binding: Binding, _ assignment: Assignment, conditions: [ResolvedCondition]) {
            relations = binding.job.relations.map { ($0.0, assignment[$0.1] ?? []) }
            orderEvents = binding.order.map { assignment[$0.binding] ?? [] }
            self.conditions = conditions
        }
    }

    private func accepts(_ event: Event, _ binding: Binding, _ tests: CandidateTests) -> Bool {
        if let statuses = binding.job.status, !statuses.contains(pipeline.jobs[event.job].status) { return false }
        for (relation, others) in tests.relations {
            let related = others.contains { o in
                switch relation {
                case .same: event.job == o.job
                case .other: event.job != o.job
                case .before: pipeline.job(event.job, runsBefore: o.job)
                case .after: pipeline.job(o.job, runsBefore: event.job)
                case .sameRun: pipeline.jobs[event.job].run == pipeline.jobs[o.job].run
                }
            }
            if !related { return false }
        }
        if let order = binding.order, let others = tests.orderEvents {
            let inOrder = others.contains { o in
                o.job == event.job && (order.isBefore ? event.line < o.line : event.line > o.line)
            }
            if !inOrder { return false }
        }
        for condition in tests.conditions where !holds(condition, on: event) {
            return false
        }
        return true
    }

    /// A condition with the values it compares with, which depend on the bindings made so far and
    /// not on the event tried: resolved once per candidate list, not once per candidate (a big
    /// job's thousands of events each rendered the same templates again).
    private struct ResolvedCondition {
        let condition: FieldCondition
        /// How the condition's field is read.
        let access: EventFieldAccess
        /// The operand values (`oneOf`: all its templates' values together).
        var operands: [String] = []
        /// `sameName`: the operands as package indexes compare names.
        var canonicalNames: Set<String> = []
    }

    private func resolve(_ conditions: [FieldCondition], _ assignment: Assignment) -> [ResolvedCondition] {
        conditions.map { condition in
            var resolved = ResolvedCondition(condition: condition, access: EventFieldAccess(condition.field))
            switch condition.op {
            case .equals(let t), .notEquals(let t), .covers(let t), .inside(let t):
                resolved.operands = operands(t, assignment)
            case .sameName(let t):
                resolved.canonicalNames = Set(operands(t, assignment).map(Self.canonicalName))
            case .oneOf(let ts):
                resolved.operands = ts.flatMap { operands($0, assignment) }
            case .matches, .outsideProject, .exists:
                break
            }
            return resolved
        }
    }

    private func holds(_ resolved: ResolvedCondition, on event: Event) -> Bool {
        let condition = resolved.condition
        let value = resolved.access.value(in: event, pipeline: pipeline)
        if case .exists(let wanted) = condition.op {
            return (value.map { !$0.isEmpty } ?? false) == wanted
        }
        guard let value else { return false }
        switch condition.op {
        case .equals, .oneOf: return resolved.operands.contains(value)
        case .notEquals: return !resolved.operands.contains(value)
        case .sameName: return resolved.canonicalNames.contains(Self.canonicalName(value))
        case .matches(let pattern):
            if case .matched = pattern.firstMatch(in: value, scratch: scratch) { return true }
            return false
        case .covers:
            let paths = projectPaths[event.job] ?? Self.noProjectPaths
            return resolved.operands.contains { paths.covers(value, $0) }
        case .inside:
            let paths = projectPaths[event.job] ?? Self.noProjectPaths
            return resolved.operands.contains { paths.covers($0, value) }
        case .outsideProject(let wanted):
            return (projectPaths[event.job] ?? Self.noProjectPaths).isOutsideProject(value) == wanted
        case .exists: return true
        }
    }

    /// The values an operand stands for: every value of a lone `{{b.f}}` placeholder, else the
    /// rendered text.
    private func operands(_ template: Template, _ assignment: Assignment) -> [String] {
        if template.isConstant { return [template.source] }
        let refs = template.references
        if refs.count == 1, template.source.trimmingSpaces() == "{{\(refs[0].path)}}" {
            return Self.values(of: refs[0], in: [assignment], pipeline: pipeline)
        }
        return [template.render { Self.values(of: $0, in: [assignment], pipeline: pipeline) }]
    }

    /// Distinct values of a reference across assignments, in order of appearance.
    static func values(of ref: Template.Reference, in assignments: [Assignment], pipeline: Pipeline) -> [String] {
        var seen: Set<String> = []
        var result: [String] = []
        let access = ref.field.map(EventFieldAccess.init) ?? .kind
        for assignment in assignments {
            for event in assignment[ref.binding] ?? [] {
                let value = access.value(in: event, pipeline: pipeline)
                if let value, !value.isEmpty, seen.insert(value).inserted { result.append(value) }
            }
        }
        return result
    }

    /// Package names as indexes compare them: case-insensitive, with `-`, `_` and `.` equivalent.
    package static func canonicalName(_ name: String) -> String {
        // Names are nearly always ASCII: byte by byte, without the Character walk (5,000
        // instructions a name).
        if let ascii = name.utf8.withContiguousStorageIfAvailable({ bytes -> String? in
            guard bytes.allSatisfy({ $0 < 0x80 }) else { return nil }
            return String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for (index, byte) in bytes.enumerated() {
                    switch byte {
                    case UInt8(ascii: "A")...UInt8(ascii: "Z"): buffer[index] = byte + 32
                    case UInt8(ascii: "_"), UInt8(ascii: "."): buffer[index] = UInt8(ascii: "-")
                    default: buffer[index] = byte
                    }
                }
                return bytes.count
            }
        }), let ascii {
            return ascii
        }
        return String(name.lowercased().map { $0 == "_" || $0 == "." ? "-" : $0 })
    }
}
