/// The facts of one GitHub job.
struct GitHubJobFacts {
    let builder: ConfigFactBuilder
    let file: String
    let key: ConfigEntry
    let workflowEnv: [ConfigEntry]
    let uploads: [String: [String]]

    var job: ConfigNode { key.value }

    var stepEnv: [ConfigEntry] {
        (job["steps"]?.items ?? []).flatMap { $0["env"]?.entries ?? [] }
    }

    func facts() -> [ConfigFact] {
        var facts: [ConfigFact] = [jobFact()]
        // Job env overrides workflow env; a step's env overrides both for that step only.
        var jobEnv = workflowEnv
        for entry in job["env"]?.entries ?? [] {
            jobEnv.removeAll { $0.key == entry.key }
            jobEnv.append(entry)
        }
        for entry in jobEnv {
            facts.append(builder.variableFact(entry, value: entry.value.string ?? ""))
        }
        for need in job["needs"].map({ $0.items ?? [$0] }) ?? [] {
            guard let name = need.string else { continue }
            facts.append(builder.fact("config.needs", ["needs": name, "artifacts": "false", "optional": "false"], at: need))
        }
        let values = Dictionary(jobEnv.map { ($0.key, $0.value.string ?? "") }, uniquingKeysWith: { $1 })
        for (index, step) in (job["steps"]?.items ?? []).enumerated() {
            facts += stepFacts(step, index: index, jobValues: values)
        }
        return facts
    }

    private func jobFact() -> ConfigFact {
        var fields = ["name": key.key, "workflow": file]
        if let name = job["name"]?.string { fields["display_name"] = name }
        if let runsOn = job["runs-on"] {
            fields["runs_on"] = runsOn.string ?? runsOn.stringList.joined(separator: ", ")
        }
        if let container = job["container"] {
            fields["image"] = container.string ?? container["image"]?.string
        }
        return builder.fact("config.job", fields, file: key.file, line: key.line)
    }

    private func stepFacts(_ step: ConfigNode, index: Int, jobValues: [String: String]) -> [ConfigFact] {
        let label = step["name"]?.string ?? step["id"]?.string ?? step["uses"]?.string ?? "step \(index + 1)"
        var facts: [ConfigFact] = []
        var values = jobValues
        for entry in step["env"]?.entries ?? [] {
            values[entry.key] = entry.value.string ?? ""
            facts.append(builder.variableFact(entry, value: entry.value.string ?? "", extra: ["step": label]))
        }
        let expander = VariableExpander(values: values)
        let with = step["with"]
        let action = GitHubWorkflowReader.action(step)
        if let action, let policy = GitHubWorkflowReader.cacheActions[action], let path = with?["path"] {
            var fields = ["key": with?["key"]?.string ?? "", "policy": policy, "when": "on_success", "action": action, "step": label]
            let restoreKeys = with?["restore-keys"].map { builder.writtenLines($0).map(\.text) } ?? []
            if !restoreKeys.isEmpty { fields["fallback_keys"] = restoreKeys.joined(separator: ", ") }
            facts += pathFacts("config.cache", path, fields, expander)
        } else if let action, let cache = setupCache(action, with) {
            var fields = ["tool": String(action.split(separator: "/").last ?? ""), "key": "setup action", "cache": cache.kind,
                          "policy": "pull-push", "when": "on_success", "action": action, "step": label]
            if let dependencies = with?["cache-dependency-path"]?.string { fields["dependency_path"] = dependencies }
            facts.append(builder.fact("config.cache", fields, file: cache.entry.file, line: cache.entry.line))
        } else if action == "actions/upload-artifact", let path = with?["path"] {
            var fields = ["name": with?["name"]?.string ?? "artifact", "when": Self.when(step["if"]?.string), "step": label]
            if let days = with?["retention-days"]?.string { fields["expire_in"] = "\(days) days" }
            facts += pathFacts("config.artifact", path, fields, expander)
        } else if action == "actions/download-artifact" {
            var fields = ["artifacts": "true", "step": label, "path": expander.expand(with?["path"]?.string ?? ".")]
            if let name = with?["name"]?.string {
                fields["name"] = name
                if let from = uploads[name] { fields["from"] = from.joined(separator: ", ") }
            } else if let pattern = with?["pattern"]?.string {
                fields["name"] = pattern
            } else {
                fields["name"] = "*"
            }
            let written = step.entry("uses").map { ($0.file, $0.line) } ?? (step.file, step.line)
            facts.append(builder.fact("config.download", fields, file: written.0, line: written.1))
        }
        if let run = step["run"] {
            facts += builder.commandFacts(run, section: "run", extra: ["step": label])
        }
        return facts
    }

    /// Setup actions cache on their own when asked (`cache: pip`, setup-uv's `enable-cache`);
    /// the paths they cache are theirs to choose, so only the tool is known.
    private func setupCache(_ action: String, _ with: ConfigNode?) -> (kind: String, entry: ConfigEntry)? {
        guard let with else { return nil }
        if action.hasPrefix("actions/setup-"), let entry = with.entry("cache"), let kind = entry.value.string, !kind.isEmpty, kind != "false" {
            return (kind == "true" ? String(action.dropFirst("actions/setup-".count)) : kind, entry)
        }
        if action == "astral-sh/setup-uv", let entry = with.entry("enable-cache"), entry.value.string == "true" {
            return ("uv", entry)
        }
        return nil
    }

    private func pathFacts(_ kind: String, _ path: ConfigNode, _ fields: [String: String], _ expander: VariableExpander) -> [ConfigFact] {
        builder.writtenLines(path).map { written in
            var pathFields = fields
            pathFields["raw_path"] = written.text
            pathFields["path"] = expander.expand(written.text)
            return builder.fact(kind, pathFields, file: path.file, line: written.line)
        }
    }

    /// A step's `if:` in GitLab's words, so rules can treat both providers alike.
    static func when(_ condition: String?) -> String {
        guard let condition else { return "on_success" }
        if condition.contains("always()") { return "always" }
        if condition.contains("failure()") { return "on_failure" }
        return "on_success"
    }
}
