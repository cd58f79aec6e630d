import LogDxConfig
import LogDxModel

/// Turns the CI config's facts into events of the jobs they configure, so rules join them with
/// what the logs say: "the cache paths of job uv-install are .uv-cache only".
public enum ConfigEvents {
    /// The kinds config facts produce and their fields, for validating rules that use them.
    public static var fields: [String: Set<String>] { ConfigEventSchema.fields }

    /// Every configured job's facts, attached to the pipeline jobs that came from it.
    package static func events(from config: CIConfig, for pipeline: Pipeline) -> [Event] {
        // Facts come redacted from the config reader, text and fields: not a second time here.
        var events: [Event] = []
        for job in pipeline.jobs {
            guard let configured = config.job(matching: job.name) else { continue }
            for fact in configured.facts {
                var fields = fact.fields
                fields["file"] = fact.file
                var event = Event(
                    kind: fact.kind, definition: "config", job: job.index, line: fact.line,
                    text: fact.text, fields: fields)
                event.file = fact.file
                events.append(event)
            }
        }
        return events
    }
}
