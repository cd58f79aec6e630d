import ArgumentParser
import Foundation
import LogDx

@main
struct LogDxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logdx",
        abstract: "Explain why a CI pipeline failed, across its jobs.",
        discussion: """
        logdx reads the logs of a whole pipeline, finds typed events in each job (commands, \
        packages installed and where, caches and artifacts saved and restored, errors) and \
        correlates them across jobs to name the root cause, show the evidence lines and propose fixes.

        Without a subcommand, logdx diagnoses: `logdx FILE…`, or paste logs on standard input.
        """,
        version: LogDxVersion.current,
        subcommands: [DiagnoseCommand.self, CICommand.self, RulesCommand.self, EventsCommand.self, ScanCommand.self, ReportCommand.self],
        defaultSubcommand: DiagnoseCommand.self)

    /// Maps errors to logdx's exit codes; ArgumentParser's own usage errors become 2, not 64.
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let mistyped = Self.mistypedSubcommand(arguments) {
            try? StandardStream.error.write("logdx: '\(mistyped.typed)' is not a logdx command (nor a file). Did you mean '\(mistyped.nearest)'? See `logdx --help`.\n")
            Foundation.exit(ExitStatus.usageOrInput.rawValue)
        }
        if arguments == ["--help"] || arguments == ["-h"] || arguments == ["help"] {
            do {
                try StandardStream.output.write(Self.rootHelp())
            } catch {
                error.exit()
            }
            Foundation.exit(0)
        }
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let failure as StandardStreamError {
            failure.exit()
        } catch let error as CLIError {
            // When standard error itself fails, the exit code still says what went wrong.
            try? StandardStream.error.write("logdx: \(error.message)\n")
            Foundation.exit(error.exit.rawValue)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                // --help and --version.
                do {
                    try StandardStream.output.write(message + "\n")
                } catch {
                    error.exit()
                }
                Foundation.exit(0)
            }
            try? StandardStream.error.write(message.isEmpty ? "" : message + "\n")
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? ExitStatus.usageOrInput.rawValue : code.rawValue)
        }
    }

    static let subcommandNames: [String] = configuration.subcommands.map { $0._commandName } + ["help"]

    /// `logdx rule list`: without a subcommand logdx diagnoses, so a mistyped subcommand would be
    /// read as a log file that does not exist. A first word that is no file and is within two
    /// edits of a subcommand is taken as a typo of it.
    static func mistypedSubcommand(_ arguments: [String]) -> (typed: String, nearest: String)? {
        guard let first = arguments.first, !first.hasPrefix("-"), !subcommandNames.contains(first),
              !FileManager.default.fileExists(atPath: first) else { return nil }
        let typed = first.lowercased()
        guard let nearest = subcommandNames.min(by: { (editDistance($0, typed), $0) < (editDistance($1, typed), $1) }),
              editDistance(nearest, typed) <= 2, editDistance(nearest, typed) < nearest.count else { return nil }
        return (first, nearest)
    }

    /// The root help, followed by the options of `diagnose`, which bare `logdx FILE…` runs: they
    /// are the ones most people look for.
    static func rootHelp() -> String {
        var help = helpMessage()
        let diagnose = DiagnoseCommand.helpMessage()
        if let start = diagnose.range(of: "\nOPTIONS:\n") {
            help += "\n\nDIAGNOSE OPTIONS (`logdx FILE…` is `logdx diagnose FILE…`):\n"
            help += diagnose[start.upperBound...].trimmingCharacters(in: .newlines)
        }
        return help + "\n"
    }
}
