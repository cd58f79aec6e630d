/// A typed fact found in one line of a job's log: a command run, a package installed, a cache saved.
///
/// A value type whose fields, but its job and line, live in one shared, copy-on-write box: events
/// are copied into the per-kind lists, sorted and handed to every rule that might use them, and a
/// copy of six fields (three strings, a dictionary, an array …) cost ~6 reference counts where the
/// box costs one. On a pipeline of 1,000 jobs those copies were a fifth of the time after reading.
public struct Event: Sendable, Equatable {
    /// The event's type, e.g. `package.installed`; rules match on it.
    public var kind: String {
        @inlinable get { storage.kind }
        _modify { makeUnique(); yield &storage.kind }
    }
    /// The event definition that produced it (`uv-installed-package`), or the structural source.
    public var definition: String {
        @inlinable get { storage.definition }
        _modify { makeUnique(); yield &storage.definition }
    }
    /// Index of the job in the pipeline.
    ///
    /// Kept beside the box, not in it, like `line`: merging the stores of a pipeline's readers
    /// renumbers every event's job, and sorting by job and line reads both of every event; in
    /// the box, each was a cache miss on a box of its own (a sixth of the 10 MB pipeline's time
    /// after reading went to renumbering alone).
    public var job: Int
    /// 1-based line number in the job's source file.
    public var line: Int
    /// The line's cleaned text (ANSI and prefixes removed, secrets redacted, long lines shortened).
    public var text: Redacted {
        @inlinable get { storage.text }
        _modify { makeUnique(); yield &storage.text }
    }
    /// Named captures and constant fields.
    public var fields: [String: String] {
        @inlinable get { storage.fields }
        _modify { makeUnique(); yield &storage.fields }
    }
    /// The earlier lines some fields were inherited from (the environment an install went into),
    /// shown as evidence with the event.
    public var provenance: [Provenance] {
        @inlinable get { storage.provenance }
        _modify { makeUnique(); yield &storage.provenance }
    }
    /// The CI config file a configuration fact was read from (`.gitlab-ci.yml`); nil for log
    /// lines. `line` and `text` are then that file's.
    public var file: String? {
        @inlinable get { storage.file }
        _modify { makeUnique(); yield &storage.file }
    }

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
        self.job = job
        self.line = line
        storage = Storage(kind: kind, definition: definition, text: text, fields: fields, provenance: [], file: nil)
    }

    public static func == (a: Event, b: Event) -> Bool {
        a.job == b.job && a.line == b.line && (a.storage === b.storage || a.storage.hasSameValue(as: b.storage))
    }

    @usableFromInline var storage: Storage

    private mutating func makeUnique() {
        if !isKnownUniquelyReferenced(&storage) { storage = storage.copy() }
    }

    // SAFETY (for @unchecked Sendable): a box is only written through `makeUnique()`, that is while
    // exactly one Event refers to it; shared boxes, the only ones other threads can see, are read only.
    // Usable from inline code so that the getters, called millions of times from the matcher and
    // the stores, inline across modules instead of being calls.
    @usableFromInline final class Storage: @unchecked Sendable {
        @usableFromInline var kind: String
        @usableFromInline var definition: String
        @usableFromInline var text: Redacted
        @usableFromInline var fields: [String: String]
        @usableFromInline var provenance: [Provenance]
        @usableFromInline var file: String?

        init(kind: String, definition: String, text: Redacted, fields: [String: String], provenance: [Provenance], file: String?) {
            self.kind = kind
            self.definition = definition
            self.text = text
            self.fields = fields
            self.provenance = provenance
            self.file = file
        }

        func copy() -> Storage {
            Storage(kind: kind, definition: definition, text: text, fields: fields, provenance: provenance, file: file)
        }

        func hasSameValue(as other: Storage) -> Bool {
            kind == other.kind && definition == other.definition && text == other.text && fields == other.fields
                && provenance == other.provenance && file == other.file
        }
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
