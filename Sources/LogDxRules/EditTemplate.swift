import LogDxModel

/// One change a fix makes to the CI config, with values still to be filled from the diagnosis:
/// the rule-file form of `ConfigEdit` (`patch:` under a fix).
public enum EditTemplate: Sendable, Codable {
    case unsetVariable(name: Template)
    case setVariable(name: Template, value: Template)
    case addCachePath(path: Template, job: Template)
    case addArtifactPath(path: Template, job: Template)
    case addScriptLine(job: Template, line: Template, before: Template?)
    case addDependency(job: Template, from: Template)
    case setStepInput(job: Template, action: Template, input: Template, value: Template, replacing: Template?)
    case appendToCommand(job: Template, command: Template, text: Template)
    /// An edit for one CI only (`ci: gitlab`): left out of the patch for the other, so one fix can
    /// say how on both.
    indirect case onlyOn(ci: String, EditTemplate)

    /// The names rule files use, with the keys each takes.
    package static let operations: [String: [String]] = [
        "unset_variable": [],
        "set_variable": ["name", "value"],
        "add_cache_path": ["job", "path"],
        "add_artifact_path": ["job", "path"],
        "add_script_line": ["job", "line", "before"],
        "add_dependency": ["job", "from"],
        "set_step_input": ["job", "action", "input", "value", "replacing"],
        "append_to_command": ["job", "command", "text"],
    ]

    package var references: [Template.Reference] {
        switch self {
        case .unsetVariable(let name): name.references
        case .setVariable(let name, let value): name.references + value.references
        case .addCachePath(let path, let job), .addArtifactPath(let path, let job): path.references + job.references
        case .addScriptLine(let job, let line, let before): job.references + line.references + (before?.references ?? [])
        case .addDependency(let job, let from): job.references + from.references
        case .setStepInput(let job, let action, let input, let value, let replacing):
            job.references + action.references + input.references + value.references + (replacing?.references ?? [])
        case .appendToCommand(let job, let command, let text): job.references + command.references + text.references
        case .onlyOn(_, let edit): edit.references
        }
    }

    /// The edit with its values rendered; nil when a value renders empty (the diagnosis lacks
    /// what the edit needs, so the patch would be wrong rather than partial).
    package func render(_ fill: (Template) -> String) -> ConfigEdit? {
        func value(_ template: Template) -> String? {
            let text = fill(template).trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? nil : text
        }
        switch self {
        case .unsetVariable(let name):
            return value(name).map { .unsetVariable(name: $0) }
        case .setVariable(let name, let content):
            guard let name = value(name), let content = value(content) else { return nil }
            return .setVariable(name: name, value: content)
        case .addCachePath(let path, let job):
            guard let path = value(path), let job = value(job) else { return nil }
            return .addCachePath(path: path, job: job)
        case .addArtifactPath(let path, let job):
            guard let path = value(path), let job = value(job) else { return nil }
            return .addArtifactPath(path: path, job: job)
        case .addScriptLine(let job, let line, let before):
            guard let job = value(job), let line = value(line) else { return nil }
            let anchor = before.flatMap(value)
            if before != nil, anchor == nil { return nil }
            return .addScriptLine(job: job, line: line, before: anchor)
        case .addDependency(let job, let from):
            guard let job = value(job), let from = value(from) else { return nil }
            return .addDependency(job: job, from: from)
        case .setStepInput(let job, let action, let input, let content, let replacing):
            guard let job = value(job), let action = value(action), let input = value(input), let content = value(content) else { return nil }
            let current = replacing.flatMap(value)
            if replacing != nil, current == nil { return nil }
            return .setStepInput(job: job, action: action, input: input, value: content, replacing: current)
        case .appendToCommand(let job, let command, let text):
            guard let job = value(job), let command = value(command), let text = value(text) else { return nil }
            return .appendToCommand(job: job, command: command, text: text)
        case .onlyOn(_, let edit):
            return edit.render(fill)
        }
    }
}
