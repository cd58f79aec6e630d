import PCRE2
import Synchronization

/// One secret format with its pattern, compiled the first time a text holds one of the format's
/// literals: a run that meets no secret compiles none (compiling all of them was a tenth of a
/// two-line paste's start-up).
final class SecretPattern: Sendable {
    let format: SecretFormat
    private let compiled = Mutex<Result<Pattern, PCRE2Error>?>(nil)

    init(_ format: SecretFormat) {
        self.format = format
    }

    /// The compiled pattern, or why libpcre2 refused it: then any text with the format's literal
    /// is masked whole, since a secret must never pass because a pattern is broken.
    var pattern: Result<Pattern, PCRE2Error> {
        compiled.withLock { known in
            if let known { return known }
            let made = Result { () throws(PCRE2Error) in try Pattern(format.pattern) }
            known = made
            return made
        }
    }
}
