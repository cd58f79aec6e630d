/// Finds text a regex cannot match without: for each top-level alternative, the longest run of
/// literal characters every match must contain. The prefilter uses them so that a line which holds
/// none of a pattern's literals never reaches the regex engine.
///
/// Conservative by construction: anything it does not understand ends the current run, so it may
/// miss a literal (the pattern then runs on every line) but never invents one.
public enum RequiredLiterals {
    /// Shorter literals match too many lines to be worth a lookup.
    public static let minimumLength = 3

    /// Lowercased literals, one per top-level alternative; empty when some alternative has none.
    public static func extract(_ pattern: String) -> [String] {
        var literals: [String] = []
        for branch in alternatives(Array(pattern.unicodeScalars)) {
            guard let best = longestRun(branch), best.unicodeScalars.count >= minimumLength else { return [] }
            literals.append(best)
        }
        return literals
    }

    /// Splits a pattern at its top-level `|`, skipping escapes, character classes and groups.
    static func alternatives(_ chars: [Unicode.Scalar]) -> [[Unicode.Scalar]] {
        var branches: [[Unicode.Scalar]] = []
        var start = 0
        var i = 0
        while i < chars.count {
            switch chars[i] {
            case "\\": i += 2
            case "[": i = classEnd(chars, from: i) + 1
            case "(": i = matchingParen(chars, from: i) + 1
            case "|":
                branches.append(Array(chars[start..<i]))
                i += 1
                start = i
            default: i += 1
            }
        }
        branches.append(Array(chars[min(start, chars.count)...]))
        return branches
    }

    /// The index of the `]` closing the class that opens at `open`.
    static func classEnd(_ chars: [Unicode.Scalar], from open: Int) -> Int {
        var i = open + 1
        if i < chars.count, chars[i] == "^" { i += 1 }
        if i < chars.count, chars[i] == "]" { i += 1 }
        while i < chars.count, chars[i] != "]" {
            i += chars[i] == "\\" ? 2 : 1
        }
        return min(i, chars.count)
    }

    /// The longest required literal run in a sequence without top-level alternation.
    package static func longestRun(_ chars: [Unicode.Scalar]) -> String? {
        var best = ""
        var run = ""
        func endRun() {
            if run.unicodeScalars.count > best.unicodeScalars.count { best = run }
            run = ""
        }
        func isQuantifier(at index: Int) -> (optional: Bool, length: Int)? {
            guard index < chars.count else { return nil }
            var quantifier: (optional: Bool, length: Int)?
            switch chars[index] {
            case "?", "*": quantifier = (true, 1)
            case "+": quantifier = (false, 1)
            case "{":
                var j = index + 1
                var digits = ""
                while j < chars.count, chars[j] != "}" {
                    digits.unicodeScalars.append(chars[j])
                    j += 1
                }
                guard j < chars.count, digits.first?.isNumber == true else { return nil }
                let minimum = Int(digits.split(separator: ",").first ?? "") ?? 0
                quantifier = (minimum == 0, j - index + 1)
            default: return nil
            }
            // A lazy (`*?`) or possessive (`*+`) marker belongs to the quantifier, not to the text.
            if var found = quantifier, index + found.length < chars.count,
               chars[index + found.length] == "?" || chars[index + found.length] == "+" {
                found.length += 1
                quantifier = found
            }
            return quantifier
        }
        var i = 0
        while i < chars.count {
            let c = chars[i]
            switch c {
            case "\\":
                guard i + 1 < chars.count else { i += 1; continue }
                let next = chars[i + 1]
                let isLiteralEscape = !(next.properties.isAlphabetic || next.properties.numericType != nil)
                i += 2
                if isLiteralEscape {
                    if let q = isQuantifier(at: i) {
                        if !q.optional { run.unicodeScalars.append(next) }
                        endRun()
                        i += q.length
                    } else {
                        run.unicodeScalars.append(next)
                    }
                } else {
                    // \d, \s, \b, \x{…}, \p{…}: not a fixed character.
                    if i < chars.count, chars[i] == "{" {
                        while i < chars.count, chars[i] != "}" { i += 1 }
                        i += 1
                    }
                    endRun()
                    if let q = isQuantifier(at: i) { i += q.length }
                }
            case "[":
                endRun()
                i = classEnd(chars, from: i) + 1
                if let q = isQuantifier(at: i) { i += q.length }
            case "(":
                endRun()
                let close = matchingParen(chars, from: i)
                let inner = Array(chars[(i + 1)..<close])
                i = close + 1
                let quantifier = isQuantifier(at: i)
                if let q = quantifier { i += q.length }
                guard quantifier?.optional != true, let body = groupBody(inner) else { continue }
                if let literal = longestRun(body), literal.unicodeScalars.count > best.unicodeScalars.count {
                    best = literal
                }
            case ".", "^", "$", ")", "|":
                endRun()
                i += 1
                if let q = isQuantifier(at: i) { i += q.length }
            default:
                i += 1
                if let q = isQuantifier(at: i) {
                    if !q.optional { run.unicodeScalars.append(c) }
                    endRun()
                    i += q.length
                } else {
                    run.unicodeScalars.append(c)
                }
            }
        }
        endRun()
        return best.isEmpty ? nil : best.lowercased()
    }

    /// The body of a capturing or non-capturing group without alternation, or `nil` for groups whose
    /// content need not appear (lookarounds, alternations, inline options).
    private static func groupBody(_ inner: [Unicode.Scalar]) -> [Unicode.Scalar]? {
        var body = inner[...]
        if body.first == "?" {
            if body.starts(with: ["?", ":"]) {
                body = body.dropFirst(2)
            } else if body.starts(with: ["?", "<", "="]) || body.starts(with: ["?", "<", "!"]) {
                return nil // lookbehind
            } else if body.starts(with: ["?", "<"]) || body.starts(with: ["?", "P", "<"]) {
                guard let close = body.firstIndex(of: ">") else { return nil }
                body = body[(close + 1)...]
            } else {
                return nil // lookahead, inline options, atomic and other special groups
            }
        }
        if alternatives(Array(body)).count > 1 { return nil }
        return Array(body)
    }

    static func matchingParen(_ chars: [Unicode.Scalar], from open: Int) -> Int {
        var depth = 0
        var i = open
        while i < chars.count {
            switch chars[i] {
            case "\\": i += 2
                continue
            case "[": i = classEnd(chars, from: i)
            case "(": depth += 1
            case ")":
                depth -= 1
                if depth == 0 { return i }
            default: break
            }
            i += 1
        }
        return chars.count - 1
    }
}
