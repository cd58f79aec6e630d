/// The event kinds the CI config's facts produce and the fields each carries: beside
/// `StructuralEvent`, so rule validation knows them without depending on the config reader that
/// produces the events.
public enum ConfigEventSchema {
    /// Fields each config kind carries, for validating rules that use them.
    public static let fields: [String: Set<String>] = [
        "config.job": ["name", "display_name", "stage", "image", "runs_on", "workflow", "file"],
        "config.cache": [
            "path", "raw_path", "key", "key_prefix", "policy", "when", "untracked", "fallback_keys", "tool", "action",
            "step", "cache", "dependency_path", "file",
        ],
        "config.artifact": ["path", "raw_path", "when", "expire_in", "name", "report", "untracked", "step", "file"],
        "config.download": ["name", "path", "from", "artifacts", "implicit", "step", "file"],
        "config.needs": ["needs", "artifacts", "optional", "file"],
        "config.variable": ["name", "value", "step", "file"],
        "config.command": ["command", "section", "step", "file"],
    ]
}
