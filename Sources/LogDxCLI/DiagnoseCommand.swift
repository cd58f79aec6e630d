import ArgumentParser
import Foundation
import LogDx
import LogDxCI

struct DiagnoseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagnose",
        abstract: "Explain why a pipeline failed, from its job logs.",
        discussion: """
        Give the logs of a whole pipeline: a gitlab-ci-local paste, GitLab job traces, GitHub \
        Actions job logs, `gh run view --log` output, Jenkins console logs or plain text. Several \
        files are several jobs of one pipeline; a folder is a pipeline; a GitHub run's log archive \
        (the .zip downloaded from the run's page) is read as it is, and gzip or zstd logs \
        (build.log.gz) are decompressed as they are read. With no input, or `-`, the logs are \
        read from standard input.

        The cause is often in another job than the one that failed (a package installed where no \
        cache reaches, an artifact path that matched nothing), so pass every job's log, the \
        passing ones too.

        Examples:
          logdx diagnose uv-install.log test.log
          gitlab-ci-local 2>&1 | logdx
          logdx diagnose --format json logs/ > diagnosis.json
          logdx diagnose --format compact logs/   # one line per finding: JOB:LINE: SEVERITY: TITLE [rule]
          logdx diagnose --fail-on error pipeline/   # exit 1 when an error is diagnosed
          logdx diagnose --baseline pass.log fail.log   # lines new in the failing run first
          logdx diagnose --config .gitlab-ci.yml logs/  # fixes as patches to the config

        When no rule explains a failed job, logdx shows the lines that matter most (an excerpt of \
        at most --excerpt-lines lines), chosen by error words, position near the failure and block \
        structure; with --baseline, by what the passing run did not print.

        Text wraps to the terminal (or COLUMNS, at most 120 columns) and is not wrapped when \
        piped.

        Exit codes: 0 analysed; 1 a diagnosis at or above --fail-on; 2 usage or input error, or \
        the output could not be written; 3 invalid rule files, or LOGDX_RULES_DIR is not a folder.
        """)

    @Argument(help: ArgumentHelp("Log files, folders of job logs, GitHub run log archives (.zip), or - for standard input.", valueName: "file|dir|zip|-"))
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Output format.")
    var format: OutputFormat = .text

    @Option(help: ArgumentHelp(
        "Read the input as this format instead of detecting it.",
        valueName: "format"))
    var inputFormat: InputFormat?

    @Option(help: ArgumentHelp("Exit with 1 when a diagnosis of this severity or worse is found.", valueName: "severity"))
    var failOn: Severity?

    @Option(help: ArgumentHelp(
        "The logs of a passing run of the same pipeline (files or a folder; repeatable): lines new in the failing run lead the excerpts.",
        valueName: "pass"))
    var baseline: [String] = []

    @Option(help: ArgumentHelp(
        "The pipeline's CI config (.gitlab-ci.yml with its local includes, or a GitHub workflow file): its caches, artifacts and variables join the evidence, and fixes come as patches to it.",
        valueName: "file"))
    var config: String?

    @Option(help: ArgumentHelp("The most lines an excerpt of a failed job shows.", valueName: "n"))
    var excerptLines = 20

    @Option(help: "Colour the text output; auto colours on a terminal unless NO_COLOR is set.")
    var color: ColorChoice = .auto

    @OptionGroup var rules: RuleOptions

    func validate() throws {
        guard excerptLines >= 1 else { throw ValidationError("--excerpt-lines must be at least 1.") }
    }

    func run() throws {
        let ruleSet = try rules.load()
        var inputs = inputs
        if inputs.isEmpty {
            inputs = ["-"]
        }
        if inputs.contains("-") && isatty(0) != 0 {
            try StandardStream.error.write("logdx: paste the logs, then press Ctrl-D (Ctrl-Z then Enter on Windows)\n")
        }
        var ciConfig: CIConfig?
        if let config {
            do {
                ciConfig = try CIConfig.load(path: config)
            } catch {
                throw CLIError("--config: \(error.description)", exit: ExitStatus.usageOrInput)
            }
        }
        // Archives stay open (their logs live in memory files) until the diagnosis is done.
        let archives = try Self.openArchives(inputs + baseline)
        for archive in archives.values {
            for note in archive.notes { try StandardStream.error.write("logdx: note: \(note)\n") }
        }
        func expand(_ paths: [String]) -> [LogInput] {
            paths.flatMap { archives[$0]?.inputs ?? [LogInput.path($0)] }
        }
        let analysis: Analysis
        do {
            var diagnoser = Diagnoser(rules: ruleSet)
            diagnoser.excerptLines = excerptLines
            diagnoser.keepsReadingStateUntilExit = true
            analysis = try diagnoser.diagnose(
                expand(inputs), format: inputFormat, baseline: expand(baseline), config: ciConfig)
            // Its rules, patterns and tables, freed here, delayed the report by a millisecond
            // (a fortieth of a two-line paste); the exit frees them at once.
            KeptUntilExit.keep(diagnoser)
        } catch let error as InputError {
            throw CLIError(error.description, exit: ExitStatus.usageOrInput)
        }
        let output = format.renderer(color: color.enabled(for: 1), width: TerminalWidth.forOutput(1)).render(analysis)
        try StandardStream.output.write(output)
        if let failOn, analysis.diagnoses.contains(where: { $0.severity <= failOn }) {
            throw ExitStatus.findings
        }
    }
}

extension DiagnoseCommand {
    /// The inputs that are zip files (by their first bytes), read as GitHub run log archives.
    static func openArchives(_ paths: [String]) throws -> [String: LogArchiveInput] {
        var result: [String: LogArchiveInput] = [:]
        for path in paths where path != "-" && result[path] == nil {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
                  LogArchiveInput.isArchive(path: path) else { continue }
            do {
                result[path] = try LogArchiveInput(path: path)
            } catch {
                throw CLIError(error.description, exit: ExitStatus.usageOrInput)
            }
        }
        return result
    }
}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never

    func enabled(for descriptor: Int32) -> Bool {
        switch self {
        case .always: return true
        case .never: return false
        case .auto:
            let environment = ProcessInfo.processInfo.environment
            if let noColor = environment["NO_COLOR"], !noColor.isEmpty { return false }
            if environment["TERM"] == "dumb" { return false }
            return isatty(descriptor) != 0
        }
    }
}

extension OutputFormat: ExpressibleByArgument {}
extension InputFormat: ExpressibleByArgument {}
extension Severity: ExpressibleByArgument {}
