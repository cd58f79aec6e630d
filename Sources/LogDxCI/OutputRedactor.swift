import LogDx

/// The last guard before anything leaves the hook: the engine already redacts log lines, and this
/// also removes the API token itself, whatever its shape, from messages and reports.
struct OutputRedactor: Sendable {
    let token: String

    func redact(_ text: String) -> String {
        var text = SecretRedactor().redact(text)
        // Short values would mask ordinary words; real tokens are long.
        if token.count >= 8 { text = text.replacingOccurrences(of: token, with: SecretRedactor.mask) }
        return text
    }

    /// A message for standard error, redacted and on one line.
    func line(_ text: String) -> String {
        Self.escaped(redact(text))
    }

    /// Text from the API (job names, error messages) made safe for a one-line message: a newline
    /// could start a line the CI reads as a command (`::error::` on GitHub, a `section_end` on
    /// GitLab) and an escape sequence could rewrite what the job log shows. Control characters
    /// are written as escapes (`\n`, `\e`, `\x7f`) instead.
    static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: needsEscape) else { return text }
        var result = ""
        for scalar in text.unicodeScalars {
            guard needsEscape(scalar) else {
                result.unicodeScalars.append(scalar)
                continue
            }
            switch scalar {
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case "\u{1B}": result += "\\e"
            case "\u{07}": result += "\\a"
            default:
                let hex = String(scalar.value, radix: 16)
                result += scalar.value < 0x100 ? "\\x" + String(repeating: "0", count: 2 - hex.count) + hex : "\\u{\(hex)}"
            }
        }
        return result
    }

    /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators.
    private static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }
}
