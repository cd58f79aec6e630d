/// Event patterns as other grep tools read them (`rg -f`, `pcre2grep -f`), for benchmarks: one per
/// line, each wrapped in `(?:…)` so an inline flag cannot leak into the next, named groups made
/// non-capturing since names repeat across patterns.
public enum PatternExport {
    public static func lines(_ rules: RuleSet) -> [String] {
        rules.events.filter { $0.target == .line }.map { definition in
            "(?:" + unnamed(definition.pattern.source) + ")"
        }
    }

    /// `(?<name>` and `(?P<name>` become `(?:`; lookbehinds `(?<=` and `(?<!` stay.
    package static func unnamed(_ pattern: String) -> String {
        var out = ""
        let chars = Array(pattern)
        var i = 0
        var inClass = false
        while i < chars.count {
            let c = chars[i]
            if c == "\\" && i + 1 < chars.count {
                out.append(c)
                out.append(chars[i + 1])
                i += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
                out.append(c)
                i += 1
                continue
            }
            if c == "[" { inClass = true }
            if c == "(", i + 2 < chars.count, chars[i + 1] == "?" {
                var j = i + 2
                if chars[j] == "P" { j += 1 }
                if j < chars.count, chars[j] == "<", j + 1 < chars.count, chars[j + 1] != "=", chars[j + 1] != "!",
                   let close = chars[j...].firstIndex(of: ">") {
                    out += "(?:"
                    i = close + 1
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return out
    }
}
