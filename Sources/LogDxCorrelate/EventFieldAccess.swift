import LogDxModel

/// How to read one field of an event, decided from its name once: the fields every event has
/// (`job`, `run`, `stage`, `line`, `text`, `kind`, `log_format`) or one of its own. Rules ask for
/// the same field of thousands of events, and comparing its name with the seven built-in ones
/// on every event was a tenth of solving a large pipeline.
enum EventFieldAccess {
    case job
    /// Several pasted runs: `run 1043`, or nothing for a single run.
    case run
    case stage
    case line
    case text
    case kind
    /// Which CI wrote the job's log: advice differs (GitLab's before_script has no GitHub twin).
    case logFormat
    case named(String)

    init(_ field: String) {
        switch field {
        case "job": self = .job
        case "run": self = .run
        case "stage": self = .stage
        case "line": self = .line
        case "text": self = .text
        case "kind": self = .kind
        case "log_format": self = .logFormat
        default: self = .named(field)
        }
    }

    @inline(__always)
    func value(in event: Event, pipeline: Pipeline) -> String? {
        switch self {
        case .job: pipeline.jobs[event.job].displayName
        case .run: pipeline.jobs[event.job].runLabel
        case .stage: pipeline.jobs[event.job].stage
        case .line: String(event.line)
        case .text: event.text.value
        case .kind: event.kind
        case .logFormat: pipeline.jobs[event.job].format.rawValue
        case .named(let name): event.fields[name]
        }
    }
}
