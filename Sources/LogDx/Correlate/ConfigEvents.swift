/// Turns the CI config's facts into events of the jobs they configure, so rules join them with
/// what the logs say: "the cache paths of job uv-install are .uv-cache only".
public enum ConfigEvents {
    /// The kinds config facts produce and their fields, for validating rules that use them.
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

    /// Every configured job's facts, attached to the pipeline jobs that came from it.
    static func events(from config: CIConfig, for pipeline: Pipeline) -> [Event] {
        let redactor = SecretRedactor()
        var events: [Event] = []
        for job in pipeline.jobs {
            guard let configured = config.job(matching: job.name) else { continue }
            for fact in configured.facts {
                var fields = fact.fields.mapValues(redactor.redact)
                fields["file"] = fact.file
                var event = Event(
                    kind: fact.kind, definition: "config", job: job.index, line: fact.line,
                    text: redactor.redact(fact.text), fields: fields)
                event.file = fact.file
                events.append(event)
            }
        }
        return events
    }
}
