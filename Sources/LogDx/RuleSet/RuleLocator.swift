import Foundation

/// Finds the built-in `Rules/` folder without configuration: next to an installed binary
/// (`PREFIX/share/logdx/Rules`), or in the source checkout the binary was built in.
public enum RuleLocator {
    public static let environmentVariable = "LOGDX_RULES_DIR"

    public static func builtInDirectory() -> String? {
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty {
            return override
        }
        var directory = executableDirectory()
        let fm = FileManager.default
        // Installed: PREFIX/bin/logdx with PREFIX/share/logdx/Rules.
        let installed = (directory as NSString).appendingPathComponent("../share/logdx/Rules")
        if fm.fileExists(atPath: installed) { return (installed as NSString).standardizingPath }
        // Built in a checkout: .build/<config>/logdx, Rules/ beside Package.swift further up.
        for _ in 0..<6 {
            let candidate = (directory as NSString).appendingPathComponent("Rules")
            let manifest = (directory as NSString).appendingPathComponent("Package.swift")
            if fm.fileExists(atPath: candidate), fm.fileExists(atPath: manifest) { return candidate }
            let parent = (directory as NSString).deletingLastPathComponent
            if parent == directory { break }
            directory = parent
        }
        return nil
    }

    static func executableDirectory() -> String {
        let path = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments.first ?? "."
        return (path as NSString).deletingLastPathComponent
    }
}
