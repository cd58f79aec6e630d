/// A job as configured, with the facts of its effective configuration (after includes,
/// `extends`, `default:` and global variables are applied).
public struct CIConfigJob: Sendable {
    /// GitLab: the job's key. GitHub: the job id (its key under `jobs:`); the display name, when
    /// `name:` sets one, is the `display_name` field of the `config.job` fact.
    public var name: String
    /// GitLab's stage; nil for GitHub, which has no stages.
    public var stage: String?
    /// Where the job's key is written, relative to the configuration's root.
    public var file: String
    public var line: Int
    public var facts: [ConfigFact]

    /// The effective configuration the facts were read from; the patcher finds the values to edit
    /// through it, since each value remembers the file and line it is written at.
    package var node: ConfigNode?
    /// GitHub `name:`, which may hold `${{ }}` expressions that the log shows expanded.
    package var displayName: String?

    public init(name: String, stage: String?, file: String, line: Int, facts: [ConfigFact]) {
        self.name = name
        self.stage = stage
        self.file = file
        self.line = line
        self.facts = facts
    }
}
