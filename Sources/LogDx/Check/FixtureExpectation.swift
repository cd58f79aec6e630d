/// What a pipeline fixture must produce, from the `expect.yaml` beside its logs.
///
/// ```yaml
/// first: python-packages-not-carried   # the root cause shown first
/// fires: [uv-hardlink-fallback]         # rules that must fire (top level or as symptoms)
/// quiet: [python-package-not-installed] # rules that must not fire
/// max_severity: info                    # nothing more severe may fire (`none`: nothing at all)
/// ```
struct FixtureExpectation {
    var first: String?
    var fires: [String] = []
    var quiet: [String] = []
    /// `nil` when unconstrained; `.some(nil)` for "no diagnosis at all".
    var maxSeverity: Severity??

    static func load(_ file: String) throws(RuleError) -> FixtureExpectation {
        let root = try RuleSet.document(file)
        try root.checkKeys(["first", "fires", "quiet", "max_severity", "description"], in: "expect.yaml")
        var expectation = FixtureExpectation()
        expectation.first = try root.child("first")?.string()
        expectation.fires = try root.child("fires")?.strings() ?? []
        expectation.quiet = try root.child("quiet")?.strings() ?? []
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
