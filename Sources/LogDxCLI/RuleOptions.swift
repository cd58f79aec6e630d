import ArgumentParser
import LogDx

/// Where rules come from: the built-in set plus any folders the user adds.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "A folder of extra rules and event definitions (YAML), added to the built-in ones. Repeatable.",
        valueName: "dir"))
    var extraRuleDirectories: [String] = []

    @Flag(help: "Use only the --rules folders, not the built-in rules.")
    var noBuiltinRules = false

    var directories: [String] {
        get throws {
            var result: [String] = []
            if !noBuiltinRules {
                guard let builtIn = RuleLocator.builtInDirectory() else {
                    throw CLIError(
                        "cannot find the built-in rules. Set \(RuleLocator.environmentVariable) to the Rules folder, or reinstall with `make install`.",
                        exit: ExitStatus.invalidRules)
                }
                result.append(builtIn)
            }
            result.append(contentsOf: extraRuleDirectories)
            if result.isEmpty {
                throw CLIError("no rules to use: --no-builtin-rules needs at least one --rules folder.", exit: ExitStatus.usageOrInput)
            }
            return result
        }
    }

    /// Loads the rules, turning rule errors into a message that lists every problem.
    func load() throws -> RuleSet {
        let directories = try self.directories
        do {
            return try RuleSet.load(from: directories)
        } catch {
            let count = error.errors.count
            throw CLIError(
                "\(count) problem\(count == 1 ? "" : "s") in the rule files:\n" + error.description,
                exit: ExitStatus.invalidRules)
        }
    }
}

/// An error the CLI reports as `logdx: <message>` with a chosen exit code.
struct CLIError: Error, CustomStringConvertible {
    var message: String
    var exit: ExitCode

    init(_ message: String, exit: ExitCode) {
        self.message = message
        self.exit = exit
    }

    var description: String { message }
}
