/// Writes a string as a YAML scalar that reads back as the same string: plain when that is
/// safe, else single-quoted (shell commands keep their `$` and `\` as written).
enum YAMLScalarFormat {
    /// Plain words YAML 1.1 reads as booleans or null; CI tools would get a non-string.
    private static let reserved: Set<String> = ["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"]

    static func format(_ value: String, inFlow: Bool = false) -> String {
        if isPlainSafe(value, inFlow: inFlow) { return value }
        if !value.contains("\n") { return singleQuoted(value) }
        return doubleQuoted(value)
    }

    /// `value` quoted the way the value it replaces was (`"3.12"` stays double-quoted), or as
    /// `format` would write it when that was plain.
    static func format(_ value: String, replacing written: String) -> String {
        if written.hasPrefix("\"") { return doubleQuoted(value) }
        if written.hasPrefix("'") && !value.contains("\n") { return singleQuoted(value) }
        return format(value)
    }

    private static func singleQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
    }

    private static func doubleQuoted(_ value: String) -> String {
        var escaped = ""
        for character in value.unicodeScalars {
            switch character {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case "\n": escaped += "\\n"
            case "\t": escaped += "\\t"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return "\"" + escaped + "\""
    }

    static func isPlainSafe(_ value: String, inFlow: Bool) -> Bool {
        guard let first = value.first, let last = value.last else { return false }
        if first == " " || last == " " || value.contains("\n") || value.contains("\t") { return false }
        if "-?:".contains(first) && (value.count == 1 || value.dropFirst().first == " ") { return false }
        if ",[]{}#&*!|>'\"%@`".contains(first) { return false }
        if value.contains(": ") || value.contains(" #") || last == ":" { return false }
        if inFlow && value.contains(where: { ",[]{}".contains($0) }) { return false }
        return !reserved.contains(value.lowercased()) && !changesAsNumber(value)
    }

    /// Plain `3.10` reads back as the number 3.1, `010` as 8: such values keep their text only
    /// when quoted. Plain decimal integers read back as written.
    private static func changesAsNumber(_ value: String) -> Bool {
        let lower = value.lowercased()
        if [".inf", "-.inf", "+.inf", ".nan"].contains(lower) { return true }
        let digits = value.drop { $0 == "-" || $0 == "+" }
        if !digits.isEmpty, digits.allSatisfy(\.isNumber), digits.allSatisfy(\.isASCII) {
            return digits.count > 1 && digits.first == "0"
        }
        if lower.hasPrefix("0x") || lower.hasPrefix("0o") || lower.hasPrefix("0b") { return true }
        let numberLike = value.allSatisfy { $0.isASCII && ($0.isNumber || "+-._eE:".contains($0)) }
        return numberLike && value.contains(where: \.isNumber)
    }
}
