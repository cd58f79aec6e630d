import ArgumentParser
import Foundation
import LogDx
import LogDxCI

struct CICommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ci",
        abstract: "Diagnose the current CI pipeline from inside it (post-failure hook).",
        discussion: """
        Detects GitLab CI or GitHub Actions from the environment, fetches every job of the current \
        pipeline and its log through the CI's API (the cause is often in a job that passed), reads \
        the CI config when it is checked out, and reports. On GitLab: the diagnosis in a section \
        of the job log, logdx-junit.xml and logdx-codequality.json for artifacts:reports, and with \
        --mr-note a merge-request note. On GitHub: ::error/::warning annotations, the diagnosis in \
        a log group, and a Markdown summary appended to $GITHUB_STEP_SUMMARY.

        GitLab reads CI_API_V4_URL, CI_PROJECT_ID, CI_PIPELINE_ID and a token with read_api (api \
        for --mr-note) from LOGDX_GITLAB_TOKEN. GitHub reads GITHUB_API_URL, GITHUB_REPOSITORY, \
        GITHUB_RUN_ID and GITHUB_TOKEN (the workflow needs `permissions: actions: read`). \
        --token-env names another variable; tokens are never taken as arguments, which other \
        processes can read.

        The hook never fails the pipeline itself: when the API cannot be reached or answers with \
        an error, logdx says why on standard error and exits 0. --fail-on makes findings fail it; \
        --strict makes hook problems fail it.

        It never runs away either: it is done within --deadline (downloads still running near \
        the end are cut and what arrived is diagnosed), reads at most --max-jobs jobs and keeps \
        at most --max-log-mb of each log (its start and its end) and --max-total-mb in all. Logs \
        are held in memory only, never written to disk unless --keep-logs asks (then redacted).

        Examples:
          logdx ci                                   # in a GitLab job or GitHub step
          logdx ci --mr-note --fail-on error
          logdx ci https://gitlab.com/GROUP/PROJECT/-/pipelines/456   # from a laptop
          logdx ci https://github.com/OWNER/REPO/actions/runs/789
          logdx ci --provider gitlab --api-url https://gitlab.com/api/v4 --project 123 --pipeline 456

        With a pipeline or run URL, the API, project and pipeline come from it, and the token \
        from LOGDX_GITLAB_TOKEN / GITHUB_TOKEN, else from glab's config file (hosts.HOST.token) \
        or `gh auth token` when those tools are logged in.

        Exit codes: 0 analysed, or a hook problem without --strict; 1 a diagnosis at or above \
        --fail-on; 2 usage error, or (--strict) no CI detected; 3 invalid rule files (--strict); \
        4 (--strict) the pipeline could not be fetched or diagnosed.
        """)

    @Argument(help: ArgumentHelp(
        "A GitLab pipeline URL (…/-/pipelines/ID) or GitHub run URL (…/actions/runs/ID) to diagnose instead of the current pipeline.",
        valueName: "url"))
    var url: String?

    @Option(help: "The CI to read (default: detected from GITLAB_CI / GITHUB_ACTIONS).")
    var provider: CIProvider?

    @Option(help: ArgumentHelp("The REST API root, instead of CI_API_V4_URL / GITHUB_API_URL.", valueName: "url"))
    var apiURL: String?

    @Option(help: ArgumentHelp("GitLab project id or path, or GitHub owner/repo, instead of the current one.", valueName: "id"))
    var project: String?

    @Option(help: ArgumentHelp("GitLab pipeline id or GitHub run id, instead of the current one.", valueName: "id"))
    var pipeline: String?

    @Option(help: ArgumentHelp("The environment variable holding the API token (default: LOGDX_GITLAB_TOKEN on GitLab, GITHUB_TOKEN on GitHub).", valueName: "name"))
    var tokenEnv: String?

    @Option(help: ArgumentHelp("The CI config to read (default: .gitlab-ci.yml or CI_CONFIG_PATH in CI_PROJECT_DIR; the running workflow's file in GITHUB_WORKSPACE).", valueName: "file"))
    var config: String?

    @Flag(help: "Do not read the CI config.")
    var noConfig = false

    @Option(help: ArgumentHelp("Write a JUnit report here (GitLab default: logdx-junit.xml).", valueName: "file"))
    var junit: String?

    @Option(help: ArgumentHelp("Write a GitLab Code Quality report here (GitLab default: logdx-codequality.json).", valueName: "file"))
    var codequality: String?

    @Option(help: ArgumentHelp("Also write the JSON report here.", valueName: "file"))
    var json: String?

    @Option(help: ArgumentHelp("Also write the Markdown report here.", valueName: "file"))
    var markdown: String?

    @Flag(help: "Write no report files (GitLab's defaults included).")
    var noReports = false

    @Flag(help: "Do not append to GitHub's step summary.")
    var noStepSummary = false

    @Flag(help: "Show the diagnosis as a note on the merge request, updating logdx's earlier note there if any (GitLab merge-request pipelines; the token needs the api scope).")
    var mrNote = false

    @Option(help: ArgumentHelp("Exit with 1 when a diagnosis of this severity or worse is found.", valueName: "severity"))
    var failOn: Severity?

    @Flag(help: "Exit non-zero (2, 3 or 4) when the hook itself cannot work, instead of 0.")
    var strict = false

    @Option(help: ArgumentHelp("Also write each downloaded log into this folder as <job id>.log, with secrets redacted.", valueName: "dir"))
    var keepLogs: String?

    @Option(help: ArgumentHelp("Seconds without data before a request fails.", valueName: "seconds"))
    var timeout: Double = 60

    @Option(help: ArgumentHelp("The most seconds the whole hook takes; downloads stop a little before it, so what arrived is still diagnosed.", valueName: "seconds"))
    var deadline: Double = 300

    @Option(help: ArgumentHelp("The most jobs read from the API's job list.", valueName: "n"))
    var maxJobs = FetchLimits().maxJobs

    @Option(help: ArgumentHelp("The most MiB kept of one job's log; a larger log keeps its first and last halves.", valueName: "mb"))
    var maxLogMb = FetchLimits().maxLogBytes / 1_048_576

    @Option(help: ArgumentHelp("The most MiB of logs downloaded in all; failed jobs' logs come first.", valueName: "mb"))
    var maxTotalMb = FetchLimits().maxTotalLogBytes / 1_048_576

    @Option(help: ArgumentHelp("The most lines an excerpt of a failed job shows.", valueName: "n"))
    var excerptLines = 20

    @Option(help: "Colour the text output; auto colours in GitLab job logs (which show ANSI colours) unless NO_COLOR is set.")
    var color: ColorChoice = .auto

    @OptionGroup var rules: RuleOptions

    func validate() throws {
        guard excerptLines >= 1 else { throw ValidationError("--excerpt-lines must be at least 1.") }
        guard timeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds.") }
        guard deadline >= 1, deadline <= 86_400 else { throw ValidationError("--deadline must be between 1 and 86400 seconds.") }
        guard maxJobs >= 1 else { throw ValidationError("--max-jobs must be at least 1.") }
        guard (1...65_536).contains(maxLogMb) else { throw ValidationError("--max-log-mb must be between 1 and 65536.") }
        guard (1...1_048_576).contains(maxTotalMb) else { throw ValidationError("--max-total-mb must be between 1 and 1048576.") }
        if noReports, junit != nil || codequality != nil || json != nil || markdown != nil {
            throw ValidationError("--no-reports cannot be combined with a report file option.")
        }
    }

    func run() throws {
        let started = Date()
        // A reader that went away (`logdx ci | head`) is then an EPIPE to report, not a death by
        // signal that the job would see as the hook's failure.
        signal(SIGPIPE, SIG_IGN)
        Self.acceptStopSignals()
        Self.stopAt(started.addingTimeInterval(deadline), strict: strict)
        let environment = ProcessInfo.processInfo.environment
        var overrides = CISettings.Overrides()
        overrides.provider = provider
        overrides.apiURL = apiURL
        overrides.project = project
        overrides.pipeline = pipeline
        overrides.tokenVariable = tokenEnv
        if let url {
            let run: CIRunURL
            do {
                run = try CIRunURL.parse(url)
            } catch {
                try hookProblem(error.description, exit: ExitStatus.usageOrInput)
                return
            }
            if let provider, provider != run.provider {
                try hookProblem("--provider \(provider.rawValue) does not match the URL, which is a \(run.provider.displayName) one.", exit: ExitStatus.usageOrInput)
                return
            }
            overrides.provider = run.provider
            overrides.apiURL = apiURL ?? run.apiURL
            overrides.project = project ?? run.project
            overrides.pipeline = pipeline ?? run.pipeline
            let lookup = CITokenLookup(environment: environment)
            let host = run.host
            overrides.fallbackToken = { provider in lookup.token(for: provider, host: host) }
        }
        let settings: CISettings
        do {
            settings = try CISettings.detect(environment: environment, overrides: overrides)
        } catch let error where url != nil {
            if case .missing(let provider, let variables) = error {
                let login = provider == .gitlab
                    ? "a personal access token with read_api, or log in with `glab auth login`"
                    : "a token that may read the repository's Actions, or log in with `gh auth login`"
                try hookProblem("no token for \(provider.displayName): \(variables.joined(separator: ", ")) is not set and no CLI login was found. Set it to \(login).", exit: ExitStatus.usageOrInput)
            } else {
                try hookProblem(error.description, exit: ExitStatus.usageOrInput)
            }
            return
        } catch {
            try hookProblem(error.description, exit: ExitStatus.usageOrInput)
            return
        }
        let ruleSet: RuleSet
        do {
            ruleSet = try rules.load()
        } catch let error as CLIError {
            try hookProblem(error.message, exit: error.exit)
            return
        }

        var options = CIHookOptions()
        options.configPath = config
        options.readConfig = !noConfig
        options.keepLogsIn = keepLogs
        options.limits.maxJobs = maxJobs
        options.limits.maxLogBytes = maxLogMb * 1_048_576
        options.limits.maxTotalLogBytes = maxTotalMb * 1_048_576
        options.excerptLines = excerptLines
        options.stepSummary = !noStepSummary
        options.mergeRequestNote = mrNote
        options.jsonPath = json
        options.markdownPath = markdown
        options.junitPath = junit ?? (settings.provider == .gitlab && !noReports ? "logdx-junit.xml" : nil)
        options.codeQualityPath = codequality ?? (settings.provider == .gitlab && !noReports ? "logdx-codequality.json" : nil)
        switch color {
        case .auto:
            let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
            options.color = !noColor && ((settings.insideCI && settings.provider == .gitlab) || isatty(1) != 0)
        case .always: options.color = true
        case .never: options.color = false
        }

        var policy = HTTPClient.Policy()
        policy.idleTimeout = timeout
        policy.deadline = started.addingTimeInterval(Self.fetchWindow(deadline))
        let client: HTTPClient
        do {
            client = try HTTPClient(policy: policy, log: Self.say)
        } catch {
            try hookProblem("cannot fetch the pipeline: \(error)", exit: ExitStatus.hookFailed)
            return
        }
        let hook = CIHook(settings: settings, rules: ruleSet, options: options, client: client, progress: Self.say)
        let outcome = Self.wait { await hook.run() }

        do {
            try StandardStream.output.write(outcome.output)
        } catch {
            try hookProblem("could not write the diagnosis: \(error)", exit: ExitStatus.usageOrInput)
        }
        for note in outcome.notes { Self.say("logdx: note: \(note)") }
        for path in outcome.written { Self.say("logdx: wrote \(path)") }
        if let failure = outcome.failure {
            try hookProblem("could not diagnose the pipeline: \(failure)", exit: ExitStatus.hookFailed)
            return
        }
        if let failOn, let analysis = outcome.analysis, analysis.diagnoses.contains(where: { $0.severity <= failOn }) {
            throw ExitStatus.findings
        }
    }

    /// Says what went wrong; fails the command only with --strict, so a broken hook never turns a
    /// pipeline red on its own.
    private func hookProblem(_ message: String, exit: ExitCode) throws {
        if strict { throw CLIError(message, exit: exit) }
        Self.say("logdx: \(message)")
        Self.say("logdx: the hook exits 0 so the pipeline is not failed by it (--strict changes that)")
    }

    /// One line on standard error; when even that cannot be written there is no one to tell.
    static func say(_ line: String) {
        try? StandardStream.error.write(line + "\n")
    }

    /// How long of `deadline` the API may take: the rest is kept for diagnosing what arrived
    /// (a quarter, at most 30 s).
    static func fetchWindow(_ deadline: TimeInterval) -> TimeInterval {
        deadline - min(30, deadline / 4)
    }

    /// A parent may start logdx with signals blocked (a thread pool's worker does; the mask is
    /// inherited through exec). The CI stops a cancelled or timed-out job with SIGTERM, and the
    /// hook must then end at once — its logs are in memory, so nothing is left behind.
    static func acceptStopSignals() {
        var stops = sigset_t()
        sigemptyset(&stops)
        for stop in [SIGTERM, SIGINT, SIGHUP] { sigaddset(&stops, stop) }
        pthread_sigmask(SIG_UNBLOCK, &stops, nil)
    }

    /// The deadline's backstop: whatever the hook is doing then, it stops, says so and exits as
    /// a hook problem does, so it cannot hold the job until the CI's own timeout kills it.
    static func stopAt(_ date: Date, strict: Bool) {
        DispatchQueue.global().asyncAfter(wallDeadline: .now() + max(0, date.timeIntervalSinceNow)) {
            say("logdx: the deadline passed before the diagnosis was ready; nothing was reported (--deadline)")
            say(strict ? "logdx: exiting with 4 (--strict)" : "logdx: the hook exits 0 so the pipeline is not failed by it (--strict changes that)")
            _exit(strict ? ExitStatus.hookFailed.rawValue : 0)
        }
    }

    /// Runs the async hook to completion from the synchronous command.
    static func wait<T: Sendable>(_ body: @escaping @Sendable () async -> T) -> T {
        let box = ResultBox<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await body()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

/// The hook's result handed from its task to the waiting command.
private final class ResultBox<T>: @unchecked Sendable {
    // SAFETY (for @unchecked Sendable): written once by the task before it signals the semaphore,
    // read only after the wait returns.
    var value: T?
}

extension CIProvider: ExpressibleByArgument {}
