import PCRE2
import LogDxModel

/// A loaded rule set as compact bytes, for the cache that spares a run from parsing the rule
/// files again. Hand-written rather than Codable: decoding the same set through `JSONDecoder`
/// took longer than parsing the YAML did (generic containers per field), this reads it in a few
/// milliseconds. Patterns are stored as their sources and compiled again on first use (they
/// compiled when the set was loaded, and the cache is keyed by libpcre2's version); templates as
/// their source and parsed parts (parsing them again was half of reading). The Codable conformances stay:
/// they are the independent form the tests compare a decoded set with.
package enum RuleSetArchive {
    /// Leads every archive; a different one is not ours or of another layout.
    static let magic = "logdx-rule-set-archive 3"

    package static func encode(_ set: RuleSet) -> [UInt8] {
        var writer = ArchiveWriter()
        writer.string(magic)
        writer.list(set.sources) { writer, source in
            writer.optional(source.folder) { $0.string($1) }
        }
        writer.list(set.events) { $0.eventDefinition($1) }
        writer.list(set.rules) { $0.rule($1) }
        return writer.bytes
    }

    /// The set in `bytes`; nil when they are damaged, of another layout, or hold a pattern or
    /// template this build no longer accepts.
    package static func decode(_ bytes: [UInt8]) -> RuleSet? {
        var reader = ArchiveReader(bytes)
        do throws(ArchiveReader.Damaged) {
            guard try reader.string() == magic else { return nil }
            let sources = try reader.list { reader throws(ArchiveReader.Damaged) -> RuleSource in
                try reader.optional { reader throws(ArchiveReader.Damaged) in try reader.string() }.map(RuleSource.folder) ?? .builtIn
            }
            let events = try reader.list { reader throws(ArchiveReader.Damaged) in try reader.eventDefinition() }
            let rules = try reader.list { reader throws(ArchiveReader.Damaged) in try reader.rule() }
            guard reader.isAtEnd else { return nil }
            return RuleSet(events: events, rules: rules, sources: sources)
        } catch {
            return nil
        }
    }
}

extension ArchiveWriter {
    mutating func pattern(_ pattern: Pattern) {
        string(pattern.source)
        int(Int(pattern.options.rawValue))
        // Read back without compiling: start-up asks every pattern for them (`fieldNames`).
        list(pattern.groupNames) { $0.string($1) }
    }

    mutating func template(_ template: Template) {
        string(template.source)
        list(template.parts) { $0.templatePart($1) }
    }

    mutating func templatePart(_ part: Template.Part) {
        switch part {
        case .text(let text):
            int(0); string(text)
        case .value(let reference):
            int(1); self.reference(reference)
        case .section(let reference, let inverted, let parts):
            int(2); self.reference(reference); bool(inverted); list(parts) { $0.templatePart($1) }
        }
    }

    mutating func reference(_ reference: Template.Reference) {
        string(reference.binding)
        optional(reference.field) { $0.string($1) }
        optional(reference.filter) { writer, filter in
            writer.string(filter.name)
            writer.optional(filter.argument) { $0.string($1) }
        }
    }

    mutating func eventDefinition(_ definition: EventDefinition) {
        string(definition.id)
        string(definition.kind)
        pattern(definition.pattern)
        string(definition.target.rawValue)
        strings(definition.literals)
        optional(definition.split) { writer, split in
            writer.string(split.field)
            writer.string(split.separator)
            writer.optional(split.item) { $0.pattern($1) }
        }
        list(definition.constants.sorted { $0.key < $1.key }) { writer, constant in
            writer.string(constant.key)
            writer.string(constant.value)
        }
        list(definition.inherit) { writer, inherit in
            writer.string(inherit.field)
            writer.string(inherit.fromKind)
            writer.string(inherit.fromField)
            writer.bool(inherit.withinCommand)
        }
        optional(definition.whenCommand) { $0.pattern($1) }
        optional(definition.whenSection) { $0.pattern($1) }
        optional(definition.continuation) { $0.pattern($1) }
        strings(definition.examples)
        strings(definition.counterexamples)
        string(definition.file)
        optional(definition.line) { $0.int($1) }
    }

    mutating func rule(_ rule: Rule) {
        string(rule.id)
        string(rule.ecosystem)
        string(rule.severity.rawValue)
        int(rule.priority)
        template(rule.title)
        string(rule.summary)
        template(rule.explanation)
        list(rule.fixes) { writer, fix in
            writer.template(fix.summary)
            writer.template(fix.detail)
            writer.list(fix.patch) { $0.edit($1) }
        }
        strings(rule.docs)
        strings(rule.supersedes)
        list(rule.match) { $0.binding($1) }
        list(rule.absent) { $0.binding($1) }
        list(rule.groupBy) { $0.reference($1) }
        string(rule.file)
        optional(rule.line) { $0.int($1) }
    }

    mutating func binding(_ binding: Binding) {
        string(binding.name)
        strings(binding.kinds)
        bool(binding.collect)
        string(binding.keep.rawValue)
        list(binding.job.relations) { writer, relation in
            writer.string(relation.0.rawValue)
            writer.string(relation.1)
        }
        optional(binding.job.status) { writer, statuses in writer.strings(statuses.map(\.rawValue)) }
        optional(binding.order) { writer, order in
            writer.bool(order.isBefore)
            writer.string(order.binding)
        }
        list(binding.conditions) { writer, condition in
            writer.string(condition.field)
            writer.condition(condition.op)
            writer.optional(condition.line) { $0.int($1) }
        }
        optional(binding.line) { $0.int($1) }
    }

    mutating func condition(_ op: FieldCondition.Operator) {
        switch op {
        case .equals(let operand): int(0); template(operand)
        case .notEquals(let operand): int(1); template(operand)
        case .sameName(let operand): int(2); template(operand)
        case .oneOf(let operands): int(3); list(operands) { $0.template($1) }
        case .matches(let operand): int(4); pattern(operand)
        case .covers(let operand): int(5); template(operand)
        case .inside(let operand): int(6); template(operand)
        case .outsideProject(let flag): int(7); bool(flag)
        case .exists(let flag): int(8); bool(flag)
        }
    }

    mutating func edit(_ edit: EditTemplate) {
        switch edit {
        case .unsetVariable(let name):
            int(0); template(name)
        case .setVariable(let name, let value):
            int(1); template(name); template(value)
        case .addCachePath(let path, let job):
            int(2); template(path); template(job)
        case .addArtifactPath(let path, let job):
            int(3); template(path); template(job)
        case .addScriptLine(let job, let line, let before):
            int(4); template(job); template(line); optional(before) { $0.template($1) }
        case .addDependency(let job, let from):
            int(5); template(job); template(from)
        case .setStepInput(let job, let action, let input, let value, let replacing):
            int(6); template(job); template(action); template(input); template(value); optional(replacing) { $0.template($1) }
        case .appendToCommand(let job, let command, let text):
            int(7); template(job); template(command); template(text)
        case .onlyOn(let ci, let inner):
            int(8); string(ci); self.edit(inner)
        }
    }
}

extension ArchiveReader {
    mutating func pattern() throws(Damaged) -> Pattern {
        let source = try string()
        guard let raw = UInt32(exactly: try int()) else { throw Damaged() }
        let names = try list { reader throws(Damaged) in try reader.string() }
        return Pattern(compiledBefore: source, options: .init(rawValue: raw), groupNames: names)
    }

    mutating func template() throws(Damaged) -> Template {
        let source = try string()
        return Template(source: source, parts: try list { reader throws(Damaged) in try reader.templatePart() })
    }

    mutating func templatePart() throws(Damaged) -> Template.Part {
        switch try int() {
        case 0: return .text(try string())
        case 1: return .value(try reference())
        case 2:
            return .section(
                try reference(), inverted: try bool(), try list { reader throws(Damaged) in try reader.templatePart() })
        default: throw Damaged()
        }
    }

    mutating func reference() throws(Damaged) -> Template.Reference {
        let binding = try string()
        let field = try optional { reader throws(Damaged) in try reader.string() }
        let filter = try optional { reader throws(Damaged) -> Template.Filter in
            Template.Filter(name: try reader.string(), argument: try reader.optional { reader throws(Damaged) in try reader.string() })
        }
        return Template.Reference(binding: binding, field: field, filter: filter)
    }

    mutating func raw<Value: RawRepresentable<String>>(_ type: Value.Type) throws(Damaged) -> Value {
        guard let value = Value(rawValue: try string()) else { throw Damaged() }
        return value
    }

    mutating func eventDefinition() throws(Damaged) -> EventDefinition {
        let id = try string()
        let kind = try string()
        let pattern = try pattern()
        let target = try raw(EventDefinition.Target.self)
        let literals = try strings()
        let split = try optional { reader throws(Damaged) in
            EventDefinition.Split(
                field: try reader.string(), separator: try reader.string(),
                item: try reader.optional { reader throws(Damaged) in try reader.pattern() })
        }
        var constants: [String: String] = [:]
        for _ in 0..<(try count()) {
            let key = try string()
            constants[key] = try string()
        }
        let inherit = try list { reader throws(Damaged) in
            EventDefinition.Inherit(
                field: try reader.string(), fromKind: try reader.string(), fromField: try reader.string(),
                withinCommand: try reader.bool())
        }
        return EventDefinition(
            id: id, kind: kind, pattern: pattern, target: target, literals: literals, split: split,
            constants: constants, inherit: inherit,
            whenCommand: try optional { reader throws(Damaged) in try reader.pattern() },
            whenSection: try optional { reader throws(Damaged) in try reader.pattern() },
            continuation: try optional { reader throws(Damaged) in try reader.pattern() },
            examples: try strings(), counterexamples: try strings(), file: try string(),
            line: try optional { reader throws(Damaged) in try reader.int() })
    }

    mutating func rule() throws(Damaged) -> Rule {
        Rule(
            id: try string(), ecosystem: try string(), severity: try raw(Severity.self), priority: try int(),
            title: try template(), summary: try string(), explanation: try template(),
            fixes: try list { reader throws(Damaged) in
                Rule.FixTemplate(
                    summary: try reader.template(), detail: try reader.template(),
                    patch: try reader.list { reader throws(Damaged) in try reader.edit() })
            },
            docs: try strings(), supersedes: try strings(),
            match: try list { reader throws(Damaged) in try reader.binding() },
            absent: try list { reader throws(Damaged) in try reader.binding() },
            groupBy: try list { reader throws(Damaged) in try reader.reference() },
            file: try string(), line: try optional { reader throws(Damaged) in try reader.int() })
    }

    mutating func binding() throws(Damaged) -> Binding {
        let name = try string()
        let kinds = try strings()
        let collect = try bool()
        let keep = try raw(Binding.Keep.self)
        let relations = try list { reader throws(Damaged) -> (JobConstraint.Relation, String) in
            (try reader.raw(JobConstraint.Relation.self), try reader.string())
        }
        let status = try optional { reader throws(Damaged) in
            try reader.list { reader throws(Damaged) in try reader.raw(JobStatus.self) }
        }
        let order = try optional { reader throws(Damaged) in
            LineOrder(isBefore: try reader.bool(), binding: try reader.string())
        }
        let conditions = try list { reader throws(Damaged) in
            FieldCondition(
                field: try reader.string(), op: try reader.condition(),
                line: try reader.optional { reader throws(Damaged) in try reader.int() })
        }
        var binding = Binding(
            name: name, kinds: kinds, collect: collect, job: JobConstraint(relations: relations, status: status),
            order: order, conditions: conditions, line: try optional { reader throws(Damaged) in try reader.int() })
        binding.keep = keep
        return binding
    }

    mutating func condition() throws(Damaged) -> FieldCondition.Operator {
        switch try int() {
        case 0: return .equals(try template())
        case 1: return .notEquals(try template())
        case 2: return .sameName(try template())
        case 3: return .oneOf(try list { reader throws(Damaged) in try reader.template() })
        case 4: return .matches(try pattern())
        case 5: return .covers(try template())
        case 6: return .inside(try template())
        case 7: return .outsideProject(try bool())
        case 8: return .exists(try bool())
        default: throw Damaged()
        }
    }

    mutating func edit() throws(Damaged) -> EditTemplate {
        func optionalTemplate(_ reader: inout ArchiveReader) throws(Damaged) -> Template? {
            try reader.optional { reader throws(Damaged) in try reader.template() }
        }
        switch try int() {
        case 0: return .unsetVariable(name: try template())
        case 1: return .setVariable(name: try template(), value: try template())
        case 2: return .addCachePath(path: try template(), job: try template())
        case 3: return .addArtifactPath(path: try template(), job: try template())
        case 4: return .addScriptLine(job: try template(), line: try template(), before: try optionalTemplate(&self))
        case 5: return .addDependency(job: try template(), from: try template())
        case 6:
            return .setStepInput(
                job: try template(), action: try template(), input: try template(), value: try template(),
                replacing: try optionalTemplate(&self))
        case 7: return .appendToCommand(job: try template(), command: try template(), text: try template())
        case 8: return .onlyOn(ci: try string(), try edit())
        default: throw Damaged()
        }
    }
}
