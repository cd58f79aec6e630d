import ArgumentParser

/// logdx's documented exit codes (README, "Exit codes").
enum ExitStatus {
    /// The logs were analysed (whatever was found, unless `--fail-on` says otherwise).
    static let analysed = ExitCode(0)
    /// `--fail-on` was given and a diagnosis at or above that severity was found; `rules test` failed.
    static let findings = ExitCode(1)
    /// Bad usage or unreadable input: a wrong option, a missing file, binary or empty input.
    static let usageOrInput = ExitCode(2)
    /// The output could not be written: a full disk, `> /dev/full`, a reader that went away while
    /// SIGPIPE is ignored. (With SIGPIPE at its default, `logdx … | head` ends by the signal, as
    /// other Unix tools do.)
    static let outputFailed = ExitCode(2)
    /// The rule files are invalid.
    static let invalidRules = ExitCode(3)
    /// `logdx ci --strict` only: the pipeline could not be fetched or diagnosed (without
    /// `--strict` the hook reports the problem and exits 0, so it never fails a pipeline itself).
    static let hookFailed = ExitCode(4)
}
