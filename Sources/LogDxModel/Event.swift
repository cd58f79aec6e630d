/// A typed fact found in one line of a job's log: a command run, a package installed, a cache saved.
public struct Event: Sendable, Equatable {
    /// The event's type, e.g. `package.installed`; rules match on it.
    public var kind: String
    /// The event definition that produced it (`uv-installed-package`), or the structural source.
    public var definition: String
    /// Index of the job in the pipeline.
    public var job: Int
    /// 1-based line number in the job's source file.
    public var line: Int
    /// The line's cleaned text (ANSI and prefixes removed, secrets redacted, long lines shortened).
    public var text: Redacted
    /// Named captures and constant fields.
    public var fields: [String: String]
    /// The earlier lines some fields were inherited from (the environment an install went into),
    /// shown as evidence with the event.
    public var provenance: [Provenance] = []
    /// The CI config file a configuration fact was read from (`.gitlab-ci.yml`); nil for log
    /// lines. `line` and `text` are then that file's.
    public var file: String?

    public struct Provenance: Sendable, Equatable {
        public var line: Int
        public var text: Redacted
        public var kind: String

        package init(line: Int, text: Redacted, kind: String) {
            self.line = line
            self.text = text
            self.kind = kind
        }
    }

    public init(kind: String, definition: String, job: Int, line: Int, text: Redacted, fields: [String: String] = [:]) {
        self.kind = kind
        self.definition = definition
        self.job = job
        self.line = line
        self.text = text
        self.fields = fields
    }
}

/// Event kinds that ingest produces from the log's framing rather than from patterns.
public enum StructuralEvent {
    /// A script command as echoed by the CI (`$ uv pip install rdflib`, `##[group]Run …`, `+ make`).
    public static let command = "command"
    /// A collapsible section or step started (`section_start:…:step_script`, `##[group]…`).
    public static let section = "section"
    /// The job's final status and exit code.
    public static let jobFinished = "job.finished"

    public static let all: Set<String> = [command, section, jobFinished]

    /// Fields each structural kind carries, for validating rules that use them.
    public static let fields: [String: Set<String>] = [
        command: ["command"],
        section: ["name"],
        jobFinished: ["status", "exit_code"],
    ]
}
