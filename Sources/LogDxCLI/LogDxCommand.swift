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
        } catch let error as CLIError {
            FileHandle.standardError.write(Data("logdx: \(error.message)\n".utf8))
            Foundation.exit(error.exit.rawValue)
        } catch let code as ExitCode {
            Foundation.exit(code.rawValue)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                print(message)
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((message.isEmpty ? "" : message + "\n").utf8))
            Foundation.exit(code == .validationFailure || code.rawValue == 64 ? ExitStatus.usageOrInput.rawValue : code.rawValue)
        }
    }
}
