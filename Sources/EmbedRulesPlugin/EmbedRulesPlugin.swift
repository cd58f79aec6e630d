import Foundation
import PackagePlugin

/// Runs EmbedRules over the package's `Rules/` folder for the target it is applied to
/// (LogDxBuiltInRules). Every file of `Rules/` is an input of the command, so editing, adding or
/// removing a rule embeds the folder again on the next build, and nothing else does.
@main
struct EmbedRulesPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let rules = context.package.directoryURL.appendingPathComponent("Rules", isDirectory: true)
        let output = context.pluginWorkDirectoryURL.appendingPathComponent("BuiltInRuleFiles+Generated.swift")
        let inputs = try files(under: rules)
        return [
            .buildCommand(
                displayName: "Embedding the \(inputs.count) files of Rules/ into \(target.name)",
                executable: try context.tool(named: "EmbedRules").url,
                arguments: [rules.path, output.path],
                inputFiles: inputs,
                outputFiles: [output]),
        ]
    }

    /// The folder's files, hidden ones left out as the embedder leaves them out.
    private func files(under folder: URL) throws -> [URL] {
        guard let enumerator = FileManager.default.enumerator(
            at: folder, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else {
            throw EmbedRulesError("\(folder.path) is missing: the built-in rules are embedded from it")
        }
        var result: [URL] = []
        for case let url as URL in enumerator where (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true {
            result.append(url)
        }
        return result.sorted { $0.path < $1.path }
    }
}

/// Why the rules could not be embedded, as SwiftPM prints it.
struct EmbedRulesError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
