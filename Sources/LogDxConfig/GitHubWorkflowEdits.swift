/// The edits on GitHub workflows: env blocks, the `path:` of cache and artifact steps, inputs of
/// action steps, and new `run:` steps.
extension ConfigPatchSession {
    /// Sets NAME in the `env:` of every workflow read, since each runs on its own.
    mutating func setWorkflowEnv(_ name: String, _ value: String) -> Bool {
        let formatted = YAMLScalarFormat.format(value)
        let line = YAMLScalarFormat.format(name) + ": " + formatted
        for file in config.files {
            guard var editor = editor(file) else { return false }
            if let env = editor.root.entry("env") {
                guard editor.setEntry(name, to: value, line: line, in: env) else { return false }
            } else {
                // Workflows conventionally declare env right before the jobs.
                guard let jobs = editor.root.entry("jobs") else { return false }
                let unit = String(repeating: " ", count: editor.text.indentUnit)
                editor.insertLines(["env:", unit + line, ""], at: jobs.line - 1)
            }
            guard commit(editor) else { return false }
        }
        return true
    }

    /// Indices of the steps an added path goes to: the job's actions/cache step, else its
    /// restore and save steps (which must agree); the first upload-artifact step.
    private static func pathSteps(_ steps: [ConfigNode], artifact: Bool) -> [Int] {
        let actions = steps.map(GitHubWorkflowReader.action)
        if artifact {
            return actions.firstIndex(of: "actions/upload-artifact").map { [$0] } ?? []
        }
        if let full = actions.firstIndex(of: "actions/cache") { return [full] }
        return actions.indices.filter { actions[$0] == "actions/cache/restore" || actions[$0] == "actions/cache/save" }
    }

    mutating func addStepPath(_ path: String, job name: String, artifact: Bool) -> Bool {
        guard let job = config.job(matching: name), let steps = job.node?["steps"]?.items else { return false }
        let targets = Self.pathSteps(steps, artifact: artifact)
        guard !targets.isEmpty else { return false }
        for index in targets {
            // Read again: the previous step's edit moved the lines.
            guard let current = config.job(matching: job.name)?.node?["steps"]?.items, index < current.count,
                  let entry = current[index]["with"]?.entry("path"), let value = entry.value.string else { return false }
            let listed = value.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            if Self.covered(path, by: listed) { continue }
            guard var editor = editor(entry.file) else { return false }
            switch entry.value.style {
            case .literal:
                guard editor.appendLine(toBlockScalarOf: entry, path) else { return false }
            case .plain, .quoted:
                // One path written inline becomes a block of paths.
                guard !value.contains("\n"), let span = editor.scalarSpan(entry.value, inFlow: false) else { return false }
                let indent = String(repeating: " ", count: entry.column - 1 + editor.text.indentUnit)
                editor.replaceLine(span.line, from: span.from, to: span.to, with: "|")
                editor.insertLines([indent + value, indent + path], at: span.line + 1)
            default:
                return false
            }
            guard commit(editor) else { return false }
        }
        return true
    }

    mutating func addRunStep(job name: String, line: String, before: String?) -> Bool {
        guard let job = config.job(matching: name), let stepsEntry = job.node?.entry("steps"),
              let steps = stepsEntry.value.items else { return false }
        let command = line.trimmingCharacters(in: .whitespaces)
        let runs = steps.map { $0["run"]?.string }
        let existing = runs.compactMap { $0 }.flatMap { $0.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) } }
        if existing.contains(command) { return true }
        let target = before.flatMap { before in runs.firstIndex { $0?.contains(before) == true } }
            ?? runs.firstIndex { $0 != nil }
        guard var editor = editor(stepsEntry.file) else { return false }
        let items = editor.text.blockItems(underKey: stepsEntry.line - 1, keyIndent: stepsEntry.column - 1)
        guard items.count == steps.count, let last = items.last else { return false }
        let step = "- run: " + YAMLScalarFormat.format(command)
        if let target {
            editor.insertLines([String(repeating: " ", count: items[target].dash) + step], at: items[target].line)
        } else {
            let end = editor.text.blockEnd(last.line, indent: last.dash, isKey: false)
            editor.insertLines([String(repeating: " ", count: last.dash) + step], at: end + 1)
        }
        return commit(editor)
    }

    /// Whether a step uses `action` (any version); `actions/cache` also matches its `restore` and
    /// `save` parts, which take the same inputs.
    static func uses(_ step: ConfigNode, _ action: String) -> Bool {
        guard let used = GitHubWorkflowReader.action(step) else { return false }
        let wanted = action.lowercased()
        return used == wanted || used.hasPrefix(wanted + "/")
    }

    mutating func setStepInput(job name: String, action: String, input: String, value: String, replacing: String?) -> Bool {
        guard let job = config.job(matching: name), let stepsEntry = job.node?.entry("steps"),
              let steps = stepsEntry.value.items else { return false }
        let candidates = steps.filter { Self.uses($0, action) }
        guard let step = candidates.first(where: { step in
            guard let replacing else { return true }
            return step["with"]?[input]?.string?.trimmingCharacters(in: .whitespacesAndNewlines) == replacing
        }) else { return false }
        guard var editor = editor(stepsEntry.file) else { return false }
        // Every action input reaches the action as a string, so `load: true` means what
        // `load: 'true'` does; booleans and numbers are written as people write them.
        let plain = ["true", "false"].contains(value) || (!value.isEmpty && value.allSatisfy(\.isASCII) && value.allSatisfy(\.isNumber))
        let line = YAMLScalarFormat.format(input) + ": " + (plain ? value : YAMLScalarFormat.format(value))
        if let with = step.entry("with") {
            guard editor.setEntry(input, to: value, line: line, in: with) else { return false }
        } else {
            let unit = String(repeating: " ", count: editor.text.indentUnit)
            guard editor.appendEntry(to: step, ["with:", unit + line]) else { return false }
        }
        return commit(editor)
    }
}
