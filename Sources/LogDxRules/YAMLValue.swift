import Yams

/// A YAML node with the file it came from, and typed accessors that fail with a `RuleError`
/// pointing at the offending line.
package struct YAMLValue {
    package let node: Node
    package let file: String
    /// The id of the rule being read, for error messages.
    package var rule: String?

    package var line: Int? { node.mark?.line }

    package func error(_ message: String, hint: String? = nil) -> RuleError {
        RuleError(file: file, rule: rule, line: line, message: message, hint: hint)
    }

    package var isMapping: Bool { node.mapping != nil }
    package var isSequence: Bool { node.sequence != nil }

    /// The keys of a mapping in file order.
    package func keys() throws(RuleError) -> [String] {
        guard let mapping = node.mapping else { throw error("expected a mapping (key: value pairs)") }
        return mapping.keys.compactMap(\.string)
    }

    package func child(_ key: String) -> YAMLValue? {
        // Compare key text directly; looking up a Node key would resolve tags on every comparison.
        // Walked by index: Yams' `Mapping.makeIterator()` copies every pair into a new array, and
        // rule parsing asks for a few dozen optional keys per mapping.
        guard let mapping = node.mapping else { return nil }
        for index in mapping.indices where mapping[index].key.scalar?.string == key {
            return YAMLValue(node: mapping[index].value, file: file, rule: rule)
        }
        return nil
    }

    /// The value under `key`, or an error naming the missing key.
    package func required(_ key: String, hint: String? = nil) throws(RuleError) -> YAMLValue {
        guard let value = child(key) else {
            throw error("missing required key '\(key)'", hint: hint)
        }
        return value
    }

    /// The key's own line, which is where a person looks for it.
    package func keyLine(_ key: String) -> Int? {
        guard let mapping = node.mapping else { return line }
        for index in mapping.indices where mapping[index].key.scalar?.string == key {
            return mapping[index].key.mark?.line ?? line
        }
        return line
    }

    package func string() throws(RuleError) -> String {
        guard let scalar = node.scalar else { throw error("expected a text value") }
        return scalar.string
    }

    package func bool() throws(RuleError) -> Bool {
        switch try string().lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error("expected true or false")
        }
    }

    func int() throws(RuleError) -> Int {
        guard let value = Int(try string()) else { throw error("expected a whole number") }
        return value
    }

    /// A sequence's items, or a single value read as a one-item list.
    package func list() throws(RuleError) -> [YAMLValue] {
        if let sequence = node.sequence {
            return sequence.map { YAMLValue(node: $0, file: file, rule: rule) }
        }
        return [self]
    }

    package func strings() throws(RuleError) -> [String] {
        var result: [String] = []
        for item in try list() { result.append(try item.string()) }
        return result
    }

    package func entries() throws(RuleError) -> [(key: String, value: YAMLValue)] {
        guard let mapping = node.mapping else { throw error("expected a mapping (key: value pairs)") }
        return mapping.indices.map { index in
            let pair = mapping[index]
            return (key: pair.key.string ?? "", value: YAMLValue(node: pair.value, file: file, rule: rule))
        }
    }

    /// Fails on keys outside `allowed`, so a typo (`explaination:`) is an error instead of silence.
    package func checkKeys(_ allowed: [String], in what: String) throws(RuleError) {
        guard let mapping = node.mapping else { return }
        for key in mapping.keys {
            guard let name = key.string, !allowed.contains(name) else { continue }
            let suggestion = allowed.min { editDistance($0, name) < editDistance($1, name) }
            var hint = "allowed keys in \(what): \(allowed.joined(separator: ", "))"
            if let suggestion, editDistance(suggestion, name) <= 3 { hint = "did you mean '\(suggestion)'? " + hint }
            throw RuleError(file: file, rule: rule, line: key.mark?.line, message: "unknown key '\(name)' in \(what)", hint: hint)
        }
    }
}

/// Levenshtein distance, for "did you mean" hints.
public func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}
