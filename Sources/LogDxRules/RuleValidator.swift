/// Checks a loaded rule set as a whole: what one file cannot know about the others.
struct RuleValidator {
    let set: RuleSet
    private let kinds: Set<String>
    private let fieldsByKind: [String: Set<String>]

    init(_ set: RuleSet) {
        self.set = set
        kinds = set.knownKinds
        fieldsByKind = set.fieldsByKind()
    }

    private func fields(of kinds: [String]) -> Set<String> {
        kinds.reduce(into: RuleSet.universalFields) { $0.formUnion(fieldsByKind[$1] ?? []) }
    }

    func validate() -> [RuleError] {
        var errors: [RuleError] = []
        var seenEvents: [String: EventDefinition] = [:]
        for definition in set.events {
            if let first = seenEvents[definition.id] {
                errors.append(RuleError(file: definition.file, rule: definition.id, line: definition.line,
                                        message: "duplicate event definition id (first defined in \(first.file):\(first.line ?? 0))",
                                        hint: "give each event definition a unique id"))
            }
            seenEvents[definition.id] = definition
            for inherit in definition.inherit where !kinds.contains(inherit.fromKind) {
                errors.append(unknownKind(inherit.fromKind, file: definition.file, rule: definition.id, line: definition.line))
            }
        }
        var seenRules: [String: Rule] = [:]
        for rule in set.rules {
            if let first = seenRules[rule.id] {
                errors.append(RuleError(file: rule.file, rule: rule.id, line: rule.line,
                                        message: "duplicate rule id (also in \(first.file))", hint: "rule ids must be unique"))
            }
            seenRules[rule.id] = rule
            errors.append(contentsOf: validate(rule))
        }
        for rule in set.rules {
            for other in rule.supersedes where seenRules[other] == nil {
                errors.append(RuleError(file: rule.file, rule: rule.id, line: rule.line,
                                        message: "supersedes unknown rule '\(other)'",
                                        hint: "name an existing rule id (see `logdx rules list`)"))
            }
        }
        return errors
    }

    private func unknownKind(_ kind: String, file: String, rule: String, line: Int?) -> RuleError {
        let closest = kinds.min { editDistance($0, kind) < editDistance($1, kind) }
        var hint = "define it in an event file (`events:` list) or use a known kind"
        if let closest, editDistance(closest, kind) <= 4 { hint = "did you mean '\(closest)'? " + hint }
        return RuleError(file: file, rule: rule, line: line, message: "unknown event kind '\(kind)'", hint: hint)
    }

    private func validate(_ rule: Rule) -> [RuleError] {
        var errors: [RuleError] = []
        var bound: [String: [String]] = [:]
        func check(_ refs: [Template.Reference], line: Int?, what: String, allowed: [String: [String]], filters: Bool = false) {
            for ref in refs {
                if let filter = ref.filter {
                    // Filters compute prose; a condition or a grouping on them would compare guesses.
                    let problem = filters ? TemplateFilterCatalog.problem(with: filter) : "filters like '|\(filter.source)' only work in titles, explanations and fixes"
                    if let problem {
                        errors.append(RuleError(file: rule.file, rule: rule.id, line: line,
                                                message: "\(what) uses '{{\(ref.path)}}': \(problem)",
                                                hint: "e.g. 'Did you mean {{#missing.package|nearest:pypi}}{{missing.package|nearest:pypi}}{{/missing.package|nearest:pypi}}?'"))
                    }
                }
                guard let kinds = allowed[ref.binding] else {
                    let boundLater = rule.match.contains { $0.name == ref.binding }
                    errors.append(RuleError(file: rule.file, rule: rule.id, line: line,
                                            message: "\(what) uses '{{\(ref.path)}}' but '\(ref.binding)' is not bound" + (boundLater ? " yet" : ""),
                                            hint: boundLater
                                                ? "'\(ref.binding)' is bound further down; a condition may only use entries listed before it, so move it up"
                                                : "bind it with `as: \(ref.binding)` under `match:`"))
                    continue
                }
                if let field = ref.field {
                    let fields = self.fields(of: kinds)
                    if !fields.contains(field) {
                        errors.append(RuleError(file: rule.file, rule: rule.id, line: line,
                                                message: "\(what) uses '{{\(ref.path)}}' but events of kind \(kinds.joined(separator: "/")) have no field '\(field)'",
                                                hint: "fields available: \(fields.sorted().joined(separator: ", "))"))
                    }
                }
            }
        }
        func checkBinding(_ binding: Binding, scope: [String: [String]]) {
            for kind in binding.kinds where !kinds.contains(kind) {
                errors.append(unknownKind(kind, file: rule.file, rule: rule.id, line: binding.line))
            }
            for (_, other) in binding.job.relations where scope[other] == nil {
                errors.append(RuleError(file: rule.file, rule: rule.id, line: binding.line,
                                        message: "'\(binding.name)' refers to '\(other)', which is not bound before it",
                                        hint: "list '\(other)' earlier under `match:`"))
            }
            if let order = binding.order, scope[order.binding] == nil {
                errors.append(RuleError(file: rule.file, rule: rule.id, line: binding.line,
                                        message: "'\(binding.name)' is ordered against '\(order.binding)', which is not bound before it",
                                        hint: "list '\(order.binding)' earlier under `match:`"))
            }
            let fields = self.fields(of: binding.kinds)
            for condition in binding.conditions {
                if !fields.contains(condition.field) {
                    errors.append(RuleError(file: rule.file, rule: rule.id, line: condition.line,
                                            message: "condition on '\(condition.field)', a field events of kind \(binding.kinds.joined(separator: "/")) do not have",
                                            hint: "fields available: \(fields.sorted().joined(separator: ", "))"))
                }
                check(condition.references, line: condition.line, what: "the condition on '\(condition.field)'", allowed: scope)
            }
        }
        for binding in rule.match {
            if bound[binding.name] != nil {
                errors.append(RuleError(file: rule.file, rule: rule.id, line: binding.line,
                                        message: "'\(binding.name)' is bound twice", hint: "give each `as:` a different name"))
            }
            checkBinding(binding, scope: bound)
            bound[binding.name] = binding.kinds
        }
        for binding in rule.absent {
            checkBinding(binding, scope: bound)
        }
        check(rule.title.references, line: rule.line, what: "the title", allowed: bound, filters: true)
        check(rule.explanation.references, line: rule.line, what: "the explanation", allowed: bound, filters: true)
        for fix in rule.fixes {
            check(fix.summary.references + fix.detail.references + fix.patch.flatMap(\.references), line: rule.line, what: "a fix", allowed: bound, filters: true)
        }
        check(rule.groupBy, line: rule.line, what: "group_by", allowed: bound)
        return errors
    }
}
