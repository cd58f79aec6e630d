import PCRE2
import LogDxRules

/// Checks a document against a JSON Schema (2020-12), for the keywords logdx's own schemas use:
/// type, const, enum, required, properties, additionalProperties, items, minItems, minLength,
/// pattern, oneOf, anyOf, local `$ref`. Unknown keywords are ignored, as the specification allows.
public struct JSONSchemaValidator {
    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        /// Where in the document, as `$.match[0].event`.
        public var path: String
        /// The source line, when the document came from YAML.
        public var line: Int?
        public var message: String

        public var description: String { "\(path): \(message)" }
    }

    package let root: JSONValue
    private let scratch = MatchScratch()

    public init(schema: JSONValue) {
        root = schema
    }

    public func validate(_ document: JSONValue) -> [Problem] {
        check(document, root, path: "$", line: nil)
    }

    private func resolve(_ reference: String) -> JSONValue? {
        guard reference.hasPrefix("#/") else { return nil }
        var node: JSONValue? = root
        for part in reference.dropFirst(2).split(separator: "/") { node = node?[String(part)] }
        return node
    }

    private func check(_ value: JSONValue, _ schema: JSONValue, path: String, line: Int?) -> [Problem] {
        if case .bool(let allowed) = schema {
            return allowed ? [] : [Problem(path: path, line: line, message: "is not allowed here")]
        }
        if case .string(let reference)? = schema["$ref"], let target = resolve(reference) {
            return check(value, target, path: path, line: line)
        }
        var problems: [Problem] = []
        func fail(_ message: String) { problems.append(Problem(path: path, line: line, message: message)) }

        if let constant = schema["const"], constant != value {
            fail("must be \(Self.describe(constant))")
        }
        if case .array(let options)? = schema["enum"], !options.contains(where: { $0.value == value }) {
            fail("must be one of \(options.map { Self.describe($0.value) }.joined(separator: ", "))")
        }
        if let type = schema["type"] {
            var names: [String] = []
            if case .string(let single) = type { names = [single] }
            if case .array(let many) = type { names = many.compactMap { if case .string(let s) = $0.value { s } else { nil } } }
            if !names.contains(where: { Self.isType(value, $0) }) {
                fail("expected \(names.joined(separator: " or ")), found \(Self.typeName(value))")
                return problems
            }
        }
        for keyword in ["oneOf", "anyOf"] {
            guard case .array(let options)? = schema[keyword] else { continue }
            let passing = options.filter { check(value, $0.value, path: path, line: line).isEmpty }.count
            if keyword == "oneOf" ? passing != 1 : passing == 0 {
                let detail = options.compactMap { option -> String? in
                    if case .string(let text)? = option.value["description"] { return text }
                    return nil
                }
                fail("does not match " + (detail.isEmpty ? "any allowed form" : "any of: " + detail.joined(separator: "; ")))
            }
        }
        switch value {
        case .object(let members):
            if case .array(let required)? = schema["required"] {
                for case .string(let key) in required.map(\.value) where !members.contains(where: { $0.key == key }) {
                    fail("missing required key '\(key)'")
                }
            }
            let properties = schema["properties"]
            for member in members {
                let childPath = "\(path).\(member.key)"
                if let child = properties?[member.key] {
                    problems += check(member.value, child, path: childPath, line: member.line ?? line)
                } else if let additional = schema["additionalProperties"] {
                    if case .bool(false) = additional {
                        let known = Self.keys(properties)
                        let closest = known.min { editDistance($0, member.key) < editDistance($1, member.key) }
                        var message = "unknown key '\(member.key)'"
                        if let closest, editDistance(closest, member.key) <= 3 { message += " (did you mean '\(closest)'?)" }
                        problems.append(Problem(path: childPath, line: member.line ?? line, message: message))
                    } else {
                        problems += check(member.value, additional, path: childPath, line: member.line ?? line)
                    }
                }
            }
        case .array(let items):
            if case .number(let minimum)? = schema["minItems"], Double(items.count) < minimum {
                fail("needs at least \(Int(minimum)) item\(minimum == 1 ? "" : "s")")
            }
            if let itemSchema = schema["items"] {
                for (index, item) in items.enumerated() {
                    problems += check(item.value, itemSchema, path: "\(path)[\(index)]", line: item.line ?? line)
                }
            }
        case .string(let text):
            if case .number(let minimum)? = schema["minLength"], Double(text.count) < minimum {
                fail("must not be empty")
            }
            if case .string(let source)? = schema["pattern"], let pattern = try? Pattern(source),
               case .noMatch = pattern.firstMatch(in: text, scratch: scratch) {
                fail("'\(text)' does not match \(source)")
            }
        default:
            break
        }
        return problems
    }

    private static func keys(_ properties: JSONValue?) -> [String] {
        guard case .object(let members)? = properties else { return [] }
        return members.map(\.key)
    }

    static func isType(_ value: JSONValue, _ type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("null", .null): true
        case ("number", .number): true
        case ("integer", .number(let n)): n == n.rounded()
        default: false
        }
    }

    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .object: "an object"
        case .array: "a list"
        case .string: "text"
        case .number: "a number"
        case .bool: "true/false"
        case .null: "nothing"
        }
    }

    package static func describe(_ value: JSONValue) -> String {
        switch value {
        case .string(let s): "'\(s)'"
        case .number(let n): n == n.rounded() ? String(Int(n)) : String(n)
        case .bool(let b): String(b)
        default: typeName(value)
        }
    }
}
