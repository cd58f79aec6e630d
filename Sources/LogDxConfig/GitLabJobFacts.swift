/// The facts of one GitLab job's effective configuration.
struct GitLabJobFacts {
    let builder: ConfigFactBuilder
    let name: String
    let stage: String
    /// The job's key, where `config.job` points.
    let key: ConfigEntry
    let node: ConfigNode

    func facts(earlierJobsWithArtifacts: [String]) -> [ConfigFact] {
        var facts: [ConfigFact] = [jobFact()]
        let variables = node["variables"]?.entries ?? []
        var values: [String: String] = [:]
        for entry in variables {
            let value = GitLabConfigReader.variableValue(entry.value) ?? ""
            values[entry.key] = value
            facts.append(builder.variableFact(entry, value: value))
        }
        let expander = VariableExpander(values: values)
        facts += cacheFacts(expander)
        facts += artifactFacts(expander)
        facts += needsFacts(earlierJobsWithArtifacts: earlierJobsWithArtifacts)
        for section in ["before_script", "script", "after_script"] {
            for item in Self.scriptItems(node[section]) {
                facts += builder.commandFacts(item, section: section)
            }
        }
        return facts
    }

    /// Script items with nested lists flattened, as GitLab runs them.
    static func scriptItems(_ node: ConfigNode?) -> [ConfigNode] {
        guard let node else { return [] }
        guard let items = node.items else { return node.string == nil ? [] : [node] }
        return items.flatMap { $0.isSequence ? scriptItems($0) : ($0.string == nil ? [] : [$0]) }
    }

    private func jobFact() -> ConfigFact {
        var fields = ["name": name, "stage": stage]
        if let image = node["image"] {
            fields["image"] = image.string ?? image["name"]?.string
        }
        return builder.fact("config.job", fields, file: key.file, line: key.line)
    }

    /// A cache key as written; `key: files:` shows as "files: a, b".
    static func cacheKey(_ node: ConfigNode?) -> (key: String, prefix: String?) {
        guard let node else { return ("default", nil) }
        if let files = node["files"] {
            return ("files: " + files.stringList.joined(separator: ", "), node["prefix"]?.string)
        }
        return (node.string ?? "default", nil)
    }

    /// `cache:` is one cache or a list of them.
    static func caches(_ node: ConfigNode?) -> [ConfigNode] {
        guard let node else { return [] }
        if let items = node.items { return items.filter(\.isMapping) }
        return node.isMapping ? [node] : []
    }

    private func cacheFacts(_ expander: VariableExpander) -> [ConfigFact] {
        var facts: [ConfigFact] = []
        for cache in Self.caches(node["cache"]) {
            var fields: [String: String] = [:]
            let key = Self.cacheKey(cache["key"])
            fields["key"] = key.key
            if let prefix = key.prefix { fields["key_prefix"] = prefix }
            fields["policy"] = cache["policy"]?.string ?? "pull-push"
            fields["when"] = cache["when"]?.string ?? "on_success"
            if let unprotect = cache["unprotect"]?.string { fields["unprotect"] = unprotect }
            if let fallback = cache["fallback_keys"], !fallback.stringList.isEmpty {
                fields["fallback_keys"] = fallback.stringList.joined(separator: ", ")
            }
            if cache["untracked"]?.string == "true" { fields["untracked"] = "true" }
            let paths = cache["paths"]?.items ?? []
            for path in paths {
                guard let raw = path.string else { continue }
                var pathFields = fields
                pathFields["path"] = expander.expand(raw)
                pathFields["raw_path"] = raw
                facts.append(builder.fact("config.cache", pathFields, at: path))
            }
            if paths.isEmpty, fields["untracked"] != nil {
                facts.append(builder.fact("config.cache", fields, file: cache.file, line: cache.line))
            }
        }
        return facts
    }

    private func artifactFacts(_ expander: VariableExpander) -> [ConfigFact] {
        guard let artifacts = node["artifacts"], artifacts.isMapping else { return [] }
        var fields: [String: String] = ["when": artifacts["when"]?.string ?? "on_success"]
        if let expire = artifacts["expire_in"]?.string { fields["expire_in"] = expire }
        if let name = artifacts["name"]?.string { fields["name"] = name }
        var facts: [ConfigFact] = []
        for path in artifacts["paths"]?.items ?? [] {
            guard let raw = path.string else { continue }
            var pathFields = fields
            pathFields["path"] = expander.expand(raw)
            pathFields["raw_path"] = raw
            facts.append(builder.fact("config.artifact", pathFields, at: path))
        }
        // Reports are uploaded like artifacts; rules may need to know a file is carried as one.
        for report in artifacts["reports"]?.entries ?? [] {
            let written = report.value.items ?? [report.value]
            for path in written {
                guard let raw = path.string else { continue }
                var pathFields = fields
                pathFields["path"] = expander.expand(raw)
                pathFields["raw_path"] = raw
                pathFields["report"] = report.key
                facts.append(builder.fact("config.artifact", pathFields, at: path))
            }
        }
        if artifacts["untracked"]?.string == "true" {
            var untracked = fields
            untracked["untracked"] = "true"
            facts.append(builder.fact("config.artifact", untracked, file: artifacts.file, line: artifacts.line))
        }
        return facts
    }

    private func needsFacts(earlierJobsWithArtifacts: [String]) -> [ConfigFact] {
        var facts: [ConfigFact] = []
        var downloads: [ConfigFact] = []
        let dependencies = node["dependencies"]
        let dependencyNames = dependencies.map(\.stringList)
        if let needs = node["needs"] {
            for item in needs.items ?? [needs] {
                let written = item.isMapping ? (item["job"] ?? item) : item
                guard let job = item.string ?? item["job"]?.string else { continue }
                let optional = item["optional"]?.string ?? "false"
                var artifacts = item["artifacts"]?.string ?? "true"
                // With `dependencies:` too, only the listed jobs' artifacts are downloaded.
                if let dependencyNames, !dependencyNames.contains(job) { artifacts = "false" }
                facts.append(builder.fact("config.needs", ["needs": job, "artifacts": artifacts, "optional": optional], at: written))
                downloads.append(builder.fact("config.download", ["from": job, "artifacts": artifacts], at: written))
            }
        }
        if let dependencies {
            let fromNeeds = Set(downloads.compactMap { $0.fields["from"] })
            for item in dependencies.items ?? [dependencies] {
                guard let job = item.string, !fromNeeds.contains(job) else { continue }
                downloads.append(builder.fact("config.download", ["from": job, "artifacts": "true"], at: item))
            }
        } else if node["needs"] == nil {
            for job in earlierJobsWithArtifacts {
                downloads.append(builder.fact("config.download", ["from": job, "artifacts": "true", "implicit": "true"], file: key.file, line: key.line))
            }
        }
        return facts + downloads
    }
}
