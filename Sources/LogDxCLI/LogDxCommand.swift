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
}
