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

    /// A message for standard error, redacted and on one line: text from the API (job names,
    /// error messages) could hold a newline that starts a line the CI reads as a command
    /// (`::error::` on GitHub, a `section_end` on GitLab), or an escape sequence that rewrites what
    /// the job log shows.
    func line(_ text: String) -> String {
        redact(text).escapingControlCharacters()
    }
}
