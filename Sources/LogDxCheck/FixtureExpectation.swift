import Foundation
import LogDxModel
import LogDxRules

/// What a pipeline fixture must produce, from the `expect.yaml` beside its logs.
///
/// ```yaml
/// first: python-packages-not-carried   # the root cause shown first
/// fires: [uv-hardlink-fallback]         # rules that must fire (top level or as symptoms)
/// quiet: [python-package-not-installed] # rules that must not fire
/// max_severity: info                    # nothing more severe may fire (`none`: nothing at all)
/// config: ../../config/seed-uv/.gitlab-ci.yml  # the CI config to diagnose with (relative to here)
/// patched: [python-packages-not-carried] # rules whose diagnosis must propose a patch to it
/// ```
struct FixtureExpectation {
    var first: String?
    var fires: [String] = []
    var quiet: [String] = []
    /// `nil` when unconstrained; `.some(nil)` for "no diagnosis at all".
    var maxSeverity: Severity??
    /// The CI config file, resolved against the fixture folder.
    var config: String?
    var patched: [String] = []

    static func load(_ file: String) throws(RuleError) -> FixtureExpectation {
        let root = try RuleSet.document(file)
        try root.checkKeys(["first", "fires", "quiet", "max_severity", "description", "config", "patched"], in: "expect.yaml")
        var expectation = FixtureExpectation()
        expectation.first = try root.child("first")?.string()
        expectation.fires = try root.child("fires")?.strings() ?? []
        expectation.quiet = try root.child("quiet")?.strings() ?? []
        expectation.patched = try root.child("patched")?.strings() ?? []
        if let config = try root.child("config")?.string() {
            let folder = (file as NSString).deletingLastPathComponent
            expectation.config = config.hasPrefix("/") ? config : (folder as NSString).appendingPathComponent(config)
        }
        if let value = root.child("max_severity") {
            let text = try value.string()
            if text == "none" {
                expectation.maxSeverity = .some(nil)
            } else if let severity = Severity(rawValue: text) {
                expectation.maxSeverity = .some(severity)
            } else {
                throw value.error("max_severity must be error, warning, info or none")
            }
        }
        return expectation
    }
}
