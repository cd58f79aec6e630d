import LogDxModel
import LogDxRedaction

/// The texts of a configuration while edits are applied one after another. After each change the
/// configuration is read again from the edited texts, so the next edit finds values where they
/// now are, and an edit that breaks the file is caught at once.
struct ConfigPatchSession {
    private(set) var config: CIConfig
    private(set) var texts: [String: String]

    init(config: CIConfig) {
        self.config = config
        texts = config.texts
    }

    /// False when the edit does not apply; true when it changed the texts or was already
    /// satisfied. A change must show when the configuration is read again: an edit that lands
    /// somewhere the configuration does not use would be a patch that fixes nothing.
    mutating func apply(_ edit: ConfigEdit) -> Bool {
        change(edit) && isSatisfied(edit)
    }

    private mutating func change(_ edit: ConfigEdit) -> Bool {
        switch (config.provider, edit) {
        case (.gitlab, .unsetVariable(let name)):
            return unset(name, under: "variables")
        case (.github, .unsetVariable(let name)):
            return unset(name, under: "env")
        case (.gitlab, .setVariable(let name, let value)):
            return setGitLabVariable(name, value)
        case (.github, .setVariable(let name, let value)):
            return setWorkflowEnv(name, value)
        case (.gitlab, .addCachePath(let path, let job)):
            return addGitLabPath(path, job: job, key: "cache")
        case (.gitlab, .addArtifactPath(let path, let job)):
            return addGitLabPath(path, job: job, key: "artifacts")
        case (.github, .addCachePath(let path, let job)):
            return addStepPath(path, job: job, artifact: false)
        case (.github, .addArtifactPath(let path, let job)):
            return addStepPath(path, job: job, artifact: true)
        case (.gitlab, .addScriptLine(let job, let line, let before)):
            return addGitLabScriptLine(job: job, line: line, before: before)
        case (.github, .addScriptLine(let job, let line, let before)):
            return addRunStep(job: job, line: line, before: before)
        case (.gitlab, .addDependency(let job, let from)):
            return addGitLabDependency(job: job, from: from)
        case (.github, .addDependency), (.gitlab, .setStepInput):
            return false
        case (.github, .setStepInput(let job, let action, let input, let value, let replacing)):
            return setStepInput(job: job, action: action, input: input, value: value, replacing: replacing)
        case (_, .appendToCommand(let job, let command, let text)):
            return appendToCommand(job: job, command: command, text: text)
        }
    }

    /// Whether the current configuration already does what the edit asks.
    func isSatisfied(_ edit: ConfigEdit) -> Bool {
        switch edit {
        case .unsetVariable(let name):
            let key = config.provider == .gitlab ? "variables" : "env"
            return config.files.allSatisfy { file in
                editor(file)?.mappings(under: key).allSatisfy { $0.node.entry(name) == nil } ?? false
            }
        case .setVariable(let name, let value):
            if config.provider == .gitlab {
                return config.resolvedRoot?["variables"]?.entry(name).flatMap { GitLabConfigReader.variableValue($0.value) } == value
            }
            return config.files.allSatisfy { editor($0)?.root["env"]?[name]?.string == value }
        case .addCachePath(let path, let job), .addArtifactPath(let path, let job):
            guard let job = config.job(matching: job) else { return false }
            let kind = if case .addCachePath = edit { "config.cache" } else { "config.artifact" }
            let listed = job.facts.filter { $0.kind == kind && $0.fields["report"] == nil }
                .flatMap { [$0.fields["path"], $0.fields["raw_path"]].compactMap { $0 } }
            let expanded = VariableExpander(values: Self.variables(job.node?["variables"])).expand(path)
            return Self.covered(path, by: listed) || Self.covered(expanded, by: listed)
        case .addScriptLine(let job, let line, _):
            return runs(job, line)
        case .addDependency(let job, let from):
            guard let job = config.job(matching: job) else { return false }
            return job.facts.contains { $0.kind == "config.download" && $0.fields["from"] == from && $0.fields["artifacts"] != "false" }
        case .appendToCommand(let job, let command, let text):
            return runs(job, command.trimmingCharacters(in: .whitespaces) + " " + text)
        case .setStepInput(let job, let action, let input, let value, _):
            guard let steps = config.job(matching: job)?.node?["steps"]?.items else { return false }
            return steps.contains { Self.uses($0, action) && $0["with"]?[input]?.string == value }
        }
    }

    /// Whether the job's script (or steps) run `command` as written.
    private func runs(_ job: String, _ command: String) -> Bool {
        guard let job = config.job(matching: job) else { return false }
        let command = command.trimmingCharacters(in: .whitespaces)
        // Facts hold commands with secrets masked.
        let shown = [command, SecretRedactor().redact(command)]
        return job.facts.contains { $0.kind == "config.command" && shown.contains($0.fields["command"] ?? "") }
    }

    func editor(_ file: String) -> YAMLTextEditor? {
        texts[file].flatMap { YAMLTextEditor(file: file, text: $0) }
    }

    /// Keeps an editor's text and reads the configuration again; false if it no longer loads.
    mutating func commit(_ editor: YAMLTextEditor) -> Bool {
        texts[editor.file] = editor.result
        guard let reloaded = try? CIConfig.load(path: config.loadPath, overrides: texts) else { return false }
        config = reloaded
        return true
    }

    /// Removes NAME from every mapping under `key`, in every file read.
    mutating func unset(_ name: String, under key: String) -> Bool {
        for file in config.files {
            // One removal per pass: the marks of the rest move with each edit.
            for _ in 0..<1_000 {
                guard var editor = editor(file) else { return false }
                guard let place = editor.mappings(under: key).first(where: { $0.node.entry(name) != nil }) else { break }
                guard editor.removeEntry(name, from: place), commit(editor) else { return false }
            }
        }
        return true
    }

    /// Whether a path is already carried: listed as is, or under a listed folder.
    static func covered(_ path: String, by listed: [String]) -> Bool {
        func normal(_ text: String) -> String {
            var text = text
            while text.hasPrefix("./") { text.removeFirst(2) }
            while text.count > 1, text.hasSuffix("/") { text.removeLast() }
            return text
        }
        let wanted = normal(path)
        return listed.map(normal).contains { wanted == $0 || $0 == "." || wanted.hasPrefix($0 + "/") }
    }

    /// The entry's variables as values for expanding paths.
    static func variables(_ node: ConfigNode?) -> [String: String] {
        var values: [String: String] = [:]
        for entry in node?.entries ?? [] {
            values[entry.key] = GitLabConfigReader.variableValue(entry.value) ?? entry.value.string ?? ""
        }
        return values
    }

    /// The one-line script item (GitLab) or `run:` step (GitHub) that reads `command`, with
    /// ` text` after it. A multi-line item is not one command to extend, and a command a job
    /// inherits from a template is not the job's to change here.
    mutating func appendToCommand(job name: String, command: String, text: String) -> Bool {
        if isSatisfied(.appendToCommand(job: name, command: command, text: text)) { return true }
        guard let job = config.job(matching: name), let node = job.node else { return false }
        let wanted = command.trimmingCharacters(in: .whitespaces)
        let candidates: [ConfigNode]
        switch config.provider {
        case .gitlab: candidates = ["before_script", "script", "after_script"].flatMap { node[$0]?.items ?? [] }
        case .github: candidates = (node["steps"]?.items ?? []).compactMap { $0["run"] }
        }
        guard let target = candidates.first(where: { $0.string?.trimmingCharacters(in: .whitespaces) == wanted }),
              var editor = editor(target.file), editor.replaceScalar(target, with: wanted + " " + text) else { return false }
        return commit(editor)
    }
}
