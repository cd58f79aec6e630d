import ArgumentParser
import Foundation
import LogDx

/// Shows the event stream rules see: the tool for writing and debugging rules.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the events found in logs, one per line (for writing rules).",
        discussion: """
        Each line: job:line  kind  field=value …  (definition). Use it to see what a rule can \
        match. With --format jsonl, one JSON object per event: job, line, kind, definition, \
        fields, text.
        """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case text, jsonl
    }

    @Argument(help: ArgumentHelp("Log files, folders of job logs, or - for standard input.", valueName: "file|dir|-"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Read the input as this format instead of detecting it.", valueName: "format"))
    var inputFormat: InputFormat?

    @Option(help: ArgumentHelp("Show only events of this kind (repeatable; `logdx rules list` shows the kinds rules use).", valueName: "kind"))
    var kind: [String] = []

    @Option(name: .shortAndLong, help: "Output format.")
    var format: Format = .text

    @OptionGroup var rules: RuleOptions

    func run() throws {
        let set = try rules.load()
        try Self.checkKinds(kind, known: set.knownKinds)
        var tokenizer = Tokenizer(rules: set, kinds: kind.isEmpty ? nil : Set(kind))
        let pipeline: Pipeline
        do {
            pipeline = try PipelineReader(forcedFormat: inputFormat).read(inputs.isEmpty ? ["-"] : inputs, into: &tokenizer)
        } catch let error as InputError {
            throw CLIError(error.description, exit: ExitStatus.usageOrInput)
        }
        var output = BufferedLines(.output)
        for event in tokenizer.store.events where kind.isEmpty || kind.contains(event.kind) {
            let fields = event.fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let job = pipeline.jobs[event.job].name
            switch format {
            case .text:
                // A job is named after its file, which can hold any character but `/`.
                try output.append("\(job):\(event.line)  \(event.kind)  \(fields)  (\(event.definition))".escapingControlCharacters())
            case .jsonl:
                try output.append(Self.jsonLine(event, job: job))
            }
        }
        try output.flush()
    }

    /// A kind no definition produces would print nothing, which reads as "no such events in
    /// the log".
    static func checkKinds(_ kinds: [String], known: Set<String>) throws {
        for kind in kinds where !known.contains(kind) {
            let closest = known.min { (editDistance($0, kind), $0) < (editDistance($1, kind), $1) }
            let hint = closest.flatMap { editDistance($0, kind) <= 4 ? " Did you mean '\($0)'?" : nil } ?? ""
            throw CLIError(
                "--kind \(kind): no event definition has this kind.\(hint) The kinds: \(known.sorted().joined(separator: ", ")).",
                exit: ExitStatus.usageOrInput)
        }
    }

    static func jsonLine(_ event: Event, job: String) throws -> String {
        let object: [String: Any] = [
            "job": job, "line": event.line, "kind": event.kind, "definition": event.definition,
            "fields": event.fields, "text": event.text.value,
        ]
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}
