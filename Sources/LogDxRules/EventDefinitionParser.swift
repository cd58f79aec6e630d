import PCRE2

/// Reads an event file: `events:` followed by a list of definitions.
package enum EventDefinitionParser {
    package static let fileKeys = ["tool", "description", "docs", "events"]
    package static let keys = [
        "id", "kind", "pattern", "on", "ignore_case", "literals", "split", "set", "inherit", "when",
        "continuation", "examples", "counterexamples", "description",
    ]

    static let universalMeaning = [
        "line": "the event's line number in the log", "job": "the job's name", "stage": "the job's stage",
        "text": "the log line's text", "kind": "the event kind",
    ]

    package static func parse(_ root: YAMLValue) throws(RuleError) -> [EventDefinition] {
        try root.checkKeys(fileKeys, in: "an event file")
        let list = try root.required("events", hint: "an event file holds `events:` followed by a list of definitions")
        guard list.isSequence else { throw list.error("'events' must be a list of event definitions") }
        var result: [EventDefinition] = []
        for item in try list.list() {
            result.append(try definition(item))
        }
        return result
    }

    private static func definition(_ item: YAMLValue) throws(RuleError) -> EventDefinition {
        var item = item
        let id = try item.required("id", hint: "give each event definition a unique id, e.g. `id: uv-installed-package`").string()
        item.rule = id
        try item.checkKeys(keys, in: "an event definition")
        let kind = try item.required("kind", hint: "name the event type rules match on, e.g. `kind: package.installed`").string()
        guard isDottedName(kind) else {
            throw item.child("kind")!.error("event kind '\(kind)' is not lower-case dotted words", hint: "use names like `package.installed` or `cache.saved`")
        }
        let patternValue = try item.required("pattern", hint: "a PCRE2 pattern whose named groups become fields")
        let source = try patternValue.string()
        let ignoreCase = try item.child("ignore_case")?.bool() ?? false
        let pattern = try compile(source, at: patternValue, ignoreCase: ignoreCase)
        if let reserved = pattern.groupNames.first(where: { RuleSet.universalFields.contains($0) }) {
            throw patternValue.error(
                "the named group '\(reserved)' would be hidden: every event already has a field '\(reserved)' (\(Self.universalMeaning[reserved] ?? "set by logdx"))",
                hint: "rename the group, e.g. (?<\(reserved == "line" ? "lineno" : reserved + "_name")>…)")
        }

        var target = EventDefinition.Target.line
        if let on = item.child("on") {
            guard let value = EventDefinition.Target(rawValue: try on.string()) else {
                throw on.error("'on' must be `line` or `command`")
            }
            target = value
        }
        var literals: [String]
        if let explicit = item.child("literals") {
            literals = try explicit.strings().map { $0.lowercased() }
            if literals.contains(where: { $0.count < RequiredLiterals.minimumLength }) {
                throw explicit.error("literals must be at least \(RequiredLiterals.minimumLength) characters long")
            }
        } else {
            literals = RequiredLiterals.extract(source)
        }

        var split: EventDefinition.Split?
        if let value = item.child("split") {
            try value.checkKeys(["field", "separator", "item"], in: "split")
            let field = try value.required("field").string()
            guard pattern.groupNames.contains(field) else {
                throw value.error("split field '\(field)' is not a named group of the pattern", hint: "name a group `(?<\(field)>…)` in the pattern")
            }
            var itemPattern: Pattern?
            if let itemValue = value.child("item") {
                itemPattern = try compile(try itemValue.string(), at: itemValue, ignoreCase: false)
            }
            split = .init(field: field, separator: try value.child("separator")?.string() ?? ", ", item: itemPattern)
        }

        var constants: [String: String] = [:]
        for (key, value) in try item.child("set")?.entries() ?? [] {
            constants[key] = try value.string()
        }

        var inherits: [EventDefinition.Inherit] = []
        for (field, value) in try item.child("inherit")?.entries() ?? [] {
            var from: String
            var withinCommand = false
            if value.isMapping {
                try value.checkKeys(["from", "within"], in: "inherit")
                from = try value.required("from").string()
                if let within = value.child("within") {
                    switch try within.string() {
                    case "command": withinCommand = true
                    case "job": withinCommand = false
                    default: throw within.error("'within' must be `command` or `job`")
                    }
                }
            } else {
                from = try value.string()
            }
            guard let dot = from.lastIndex(of: ".") else {
                throw value.error("inherit source '\(from)' must be `event.kind.field`", hint: "e.g. `location: python.environment.path`")
            }
            inherits.append(.init(
                field: field, fromKind: String(from[..<dot]), fromField: String(from[from.index(after: dot)...]),
                withinCommand: withinCommand))
        }

        var whenCommand: Pattern?
        var whenSection: Pattern?
        if let when = item.child("when") {
            try when.checkKeys(["command", "section"], in: "when")
            if let value = when.child("command") { whenCommand = try compile(try value.string(), at: value, ignoreCase: false) }
            if let value = when.child("section") { whenSection = try compile(try value.string(), at: value, ignoreCase: false) }
        }
        var continuation: Pattern?
        if let value = item.child("continuation") {
            continuation = try compile(try value.string(), at: value, ignoreCase: false)
        }
        let examples = try item.child("examples")?.strings() ?? []
        if examples.isEmpty {
            throw item.error("event definition has no examples", hint: "add `examples:` with at least one real log line it must match")
        }
        return EventDefinition(
            id: id, kind: kind, pattern: pattern, target: target, literals: literals, split: split,
            constants: constants, inherit: inherits, whenCommand: whenCommand, whenSection: whenSection,
            continuation: continuation, examples: examples,
            counterexamples: try item.child("counterexamples")?.strings() ?? [], file: item.file, line: item.line)
    }

    package static func compile(_ source: String, at value: YAMLValue, ignoreCase: Bool) throws(RuleError) -> Pattern {
        do {
            return try Pattern(source, options: ignoreCase ? [.caseInsensitive] : [])
        } catch {
            var hint = "check the pattern with `pcre2test`; escape literal ( ) [ ] . * + ? with a backslash"
            if let offset = error.patternOffset {
                let marker = String(repeating: " ", count: offset) + "^"
                hint = "\n      \(source)\n      \(marker)\n    " + hint
            }
            throw value.error("invalid regular expression: \(error.description)", hint: hint)
        }
    }
}

/// `package.installed`, `cache.saved`: lower-case words joined by dots.
func isDottedName(_ name: String) -> Bool {
    let words = name.split(separator: ".", omittingEmptySubsequences: false)
    return !name.isEmpty && words.allSatisfy { word in
        guard let first = word.first, first.isASCII, first.isLetter, first.isLowercase else { return false }
        return word.allSatisfy { ($0.isASCII && ($0.isLowercase || $0.isNumber)) || $0 == "_" || $0 == "-" }
    }
}
