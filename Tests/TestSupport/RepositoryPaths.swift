import Foundation
import LogDx

/// Where the checkout's parts are, found from this file so tests run from any working directory.
/// The one copy every test target uses.
public enum RepositoryPaths {
    public static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    public static let rules = root + "/Rules"
    public static let fixtures = root + "/Fixtures"
    public static let seed = fixtures + "/pipelines/seed-uv-system-python/gitlab-ci-local.log"
    /// The binaries `swift build` (which `swift test` runs first) and `swift build -c release` write.
    public static let debugBinary = root + "/.build/debug/logdx"
    public static let releaseBinary = root + "/.build/release/logdx"

    /// The built-in rules, loaded once per test process.
    public static let builtInRules: RuleSet = {
        do {
            return try RuleSet.load(from: [rules])
        } catch {
            fatalError("the built-in rules must load: \(error)")
        }
    }()
}
