import ArgumentParser
import Foundation
import LogDx

/// Where rules come from: the built-in set plus any folders the user adds.
struct RuleOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp(
        "A folder of extra rules and event definitions (YAML), added to the built-in ones. Repeatable.",
        valueName: "dir"))
    var extraRuleDirectories: [String] = []

    @Flag(help: "Use only the --rules folders, not the built-in rules.")
    var noBuiltinRules = false

    /// The built-in set (or the `LOGDX_RULES_DIR` folder in its place), then the `--rules` folders.
    var sources: [RuleSource] {
        get throws {
            var result: [RuleSource] = []
            if !noBuiltinRules {
                let search = RuleLocator.search()
                guard case .found(let builtIn) = search else {
                    throw CLIError(RuleLocator.explain(search) ?? "cannot use the built-in rules.", exit: ExitStatus.invalidRules)
                }
                result.append(builtIn)
            }
            // A folder that is not there would add no rules and say nothing: the user would
            // believe their rules ran.
            for directory in extraRuleDirectories {
                var isFolder: ObjCBool = false
                guard FileManager.default.fileExists(atPath: directory, isDirectory: &isFolder) else {
                    throw CLIError("--rules \(directory): no such folder. Pass a folder of rule and event files (YAML).", exit: ExitStatus.usageOrInput)
                }
                guard isFolder.boolValue else {
                    throw CLIError("--rules \(directory): is a file, not a folder. Put the rule files in a folder and pass the folder.", exit: ExitStatus.usageOrInput)
                }
                guard FileManager.default.isReadableFile(atPath: directory) else {
                    throw CLIError("--rules \(directory): the folder cannot be read. Check its permissions.", exit: ExitStatus.usageOrInput)
                }
                result.append(.folder(directory))
            }
            result = Self.distinct(result)
            if result.isEmpty {
                throw CLIError("no rules to use: --no-builtin-rules needs at least one --rules folder.", exit: ExitStatus.usageOrInput)
            }
            return result
        }
    }

    /// The sources without those already listed: a folder under another name (`--rules Rules`
    /// next to `LOGDX_RULES_DIR=Rules`, a link to it, `./Rules/`), or the checkout's `Rules/` beside
    /// the built-in set embedded from it. Loading one twice would report each of its definitions
    /// as a duplicate of itself.
    static func distinct(_ sources: [RuleSource]) -> [RuleSource] {
        var seen: Set<String> = []
        let hasBuiltIn = sources.contains(.builtIn)
        return sources.filter { source in
            guard let directory = source.folder else { return true }
            guard let resolved = realpath(directory, nil) else { return true }
            defer { free(resolved) }
            guard seen.insert(String(cString: resolved)).inserted else { return false }
            return !(hasBuiltIn && source.hasSameRuleFiles(as: .builtIn))
        }
    }

    /// Loads the rules, turning rule errors into a message that lists every problem.
    func load() throws -> RuleSet {
        let sources = try self.sources
        do {
            return try RuleSetCache.fromEnvironment().load(from: sources)
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
