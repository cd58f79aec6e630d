import Foundation

/// Where the built-in rules come from, and where the rule fixtures are. The rules are compiled into
/// the binary, so they need no search: `LOGDX_RULES_DIR` only replaces them with a folder (a rule
/// author trying edits without rebuilding). The fixtures are not compiled in; `rules test` and
/// `rules explain` look for them next to an installed binary (`PREFIX/share/logdx/Fixtures`), in
/// the checkout the binary was built in, or beside the `LOGDX_RULES_DIR` folder.
public enum RuleLocator {
    public static let environmentVariable = "LOGDX_RULES_DIR"

    /// What stands for the built-in rules.
    public enum Search: Equatable, Sendable {
        case found(RuleSource)
        /// `LOGDX_RULES_DIR` is set to something that is not a folder.
        case overrideNotAFolder(String)
    }

    /// The built-in rules: the compiled-in set, or the `LOGDX_RULES_DIR` folder in its place.
    public static func search() -> Search {
        if let override = ProcessInfo.processInfo.environment[environmentVariable], !override.isEmpty {
            return isFolder(override) ? .found(.folder(override)) : .overrideNotAFolder(override)
        }
        return .found(.builtIn)
    }

    /// How to fix a failed search: one line.
    public static func explain(_ search: Search) -> String? {
        switch search {
        case .found:
            return nil
        case .overrideNotAFolder(let path):
            return "\(environmentVariable)=\(path) is not a folder. Point it at a Rules folder to use in place of the built-in rules, or unset it to use the built-in ones."
        }
    }

    /// The Fixtures folder that goes with the built-in rules, if there is one on this machine.
    public static func fixturesDirectory() -> String? {
        var candidates: [String] = []
        if case .found(.folder(let rules)) = search() {
            candidates.append(((rules as NSString).standardizingPath as NSString).deletingLastPathComponent + "/Fixtures")
        }
        var directory = executableDirectory()
        // Installed: PREFIX/bin/logdx with PREFIX/share/logdx/Fixtures.
        candidates.append(((directory as NSString).appendingPathComponent("../share/logdx/Fixtures") as NSString).standardizingPath)
        // Built in a checkout: .build/<config>/logdx, Fixtures/ beside Package.swift further up.
        for _ in 0..<6 {
            if FileManager.default.fileExists(atPath: (directory as NSString).appendingPathComponent("Package.swift")) {
                candidates.append((directory as NSString).appendingPathComponent("Fixtures"))
                break
            }
            let parent = (directory as NSString).deletingLastPathComponent
            if parent == directory { break }
            directory = parent
        }
        return candidates.first(where: isFolder)
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
