import ArgumentParser
import Foundation
import LogDx

/// Shows the event stream rules see: the tool for writing and debugging rules.
struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "Print the events found in logs, one per line (for writing rules).",
        discussion: "Each line: job:line  kind  field=value …  (definition). Use it to see what a rule can match.")

    @Argument(help: ArgumentHelp("Log files, folders of job logs, or - for standard input.", valueName: "file|dir|-"))
    var inputs: [String] = []

    @Option(help: ArgumentHelp("Read the input as this format instead of detecting it.", valueName: "format"))
    var inputFormat: InputFormat?

    @Option(help: ArgumentHelp("Show only events of this kind (repeatable).", valueName: "kind"))
    var kind: [String] = []

    @OptionGroup var rules: RuleOptions

    func run() throws {
        let set = try rules.load()
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
            // A job is named after its file, which can hold any character but `/`.
            try output.append("\(pipeline.jobs[event.job].name):\(event.line)  \(event.kind)  \(fields)  (\(event.definition))".escapingControlCharacters())
        }
        try output.flush()
    }
}
