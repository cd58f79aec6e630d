import Foundation

/// Finds the built-in `Rules/` folder without configuration: next to an installed binary
/// (`PREFIX/share/logdx/Rules`), or in the source checkout the binary was built in.
public enum RuleLocator {
    public static let environmentVariable = "LOGDX_RULES_DIR"

    /// What looking for the built-in rules found.
    public enum Search: Equatable, Sendable {
        case found(String)
        /// `LOGDX_RULES_DIR` is set to something that is not a folder.
        case overrideNotAFolder(String)
        /// Neither an installation nor a checkout around the binary, which lives in `binaryFolder`.
        case notFound(binaryFolder: String)
    }

    public static func builtInDirectory() -> String? {
        if case .found(let directory) = search() { return directory }
        return nil
    }

    public static func search() -> Search {
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty {
            return isFolder(override) ? .found(override) : .overrideNotAFolder(override)
        }
        let binaryFolder = executableDirectory()
        var directory = binaryFolder
        // Installed: PREFIX/bin/logdx with PREFIX/share/logdx/Rules.
        let installed = (directory as NSString).appendingPathComponent("../share/logdx/Rules")
        if isFolder(installed) { return .found((installed as NSString).standardizingPath) }
        // Built in a checkout: .build/<config>/logdx, Rules/ beside Package.swift further up.
        for _ in 0..<6 {
            let candidate = (directory as NSString).appendingPathComponent("Rules")
            let manifest = (directory as NSString).appendingPathComponent("Package.swift")
            if isFolder(candidate), FileManager.default.fileExists(atPath: manifest) { return .found(candidate) }
            let parent = (directory as NSString).deletingLastPathComponent
            if parent == directory { break }
            directory = parent
        }
        return .notFound(binaryFolder: binaryFolder)
    }

    /// How to give logdx its rules when the search failed: one line that names every fix.
    public static func explain(_ search: Search) -> String? {
        switch search {
        case .found:
            return nil
        case .overrideNotAFolder(let path):
            return "\(environmentVariable)=\(path) is not a folder. Point it at the Rules folder of the logdx sources or of an installation (PREFIX/share/logdx/Rules), or unset it."
        case .notFound(let binaryFolder):
            return "cannot find the built-in rules: \(binaryFolder) is neither PREFIX/bin of an installation (with PREFIX/share/logdx/Rules) nor inside a logdx checkout (Rules/ beside Package.swift). "
                + "Set \(environmentVariable)=/path/to/logdx/Rules, install with `make install`, or use only your own rules with --no-builtin-rules --rules DIR."
        }
    }

    package static func isFolder(_ path: String) -> Bool {
        var folder: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &folder) && folder.boolValue
    }

    static func executableDirectory() -> String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "."
        return (path as NSString).deletingLastPathComponent
    }
}
