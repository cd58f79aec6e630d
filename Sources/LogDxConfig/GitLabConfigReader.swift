import Foundation

/// Reads a `.gitlab-ci.yml` the way GitLab builds a pipeline from it: local includes merged in,
/// then `extends`, then `!reference`, then `default:` and global variables applied to each job.
struct GitLabConfigReader {
    var source: ConfigSource
    private(set) var files: [String] = []
    private(set) var texts: [String: String] = [:]
    private(set) var notices: [String] = []
    private var includeCount = 0

    /// Top-level keys that configure the pipeline rather than name a job.
    static let reservedKeys: Set<String> = [
        "default", "include", "stages", "variables", "workflow", "image", "services", "cache",
        "before_script", "after_script", "spec", "types",
    ]
    /// What `default:` can set for jobs that do not set it themselves.
    static let defaultKeys = [
        "image", "services", "cache", "before_script", "after_script", "artifacts", "hooks",
        "id_tokens", "interruptible", "retry", "tags", "timeout",
    ]
    /// The deprecated top-level forms of some defaults, still honoured by GitLab.
    static let globalDefaultKeys = ["image", "services", "cache", "before_script", "after_script"]
    static let defaultStages = [".pre", "build", "test", "deploy", ".post"]
    /// GitLab's own limits: more includes or deeper nesting is an error there.
    static let maxIncludes = 150
    static let maxReferenceDepth = 10

    init(source: ConfigSource) {
        self.source = source
    }

    struct Result {
        var stages: [String]
        var jobs: [CIConfigJob]
        /// After `extends` and `!reference`: where the patcher resolves references in raw items.
        var root: ConfigNode
    }

    mutating func read(main: String) throws(CIConfigError) -> Result {
        let merged = try load(main, stack: [])
        let extended = resolveExtends(merged)
        let root = resolveReferences(extended, root: extended, depth: 0) ?? extended

        let stages = Self.stages(root["stages"] ?? root["types"])
        let jobEntries = (root.entries ?? []).filter(Self.isJob)
        if jobEntries.isEmpty, texts[main].map(Self.mentionsInclude) != true {
            throw .notCIConfig(file: main, reason: "it defines no jobs (every top-level key is a GitLab keyword or a hidden template starting with '.')")
        }

        var effective: [(entry: ConfigEntry, node: ConfigNode, stage: String)] = []
        for entry in jobEntries {
            let node = Self.applyDefaults(entry.value, root: root)
            effective.append((entry, node, node["stage"]?.string ?? "test"))
        }

        let builder = ConfigFactBuilder(texts: texts)
        var secrets = Set<String>()
        var jobs: [CIConfigJob] = []
        for job in effective {
            // Without `needs:` or `dependencies:` a job downloads the artifacts of every job in an
            // earlier stage.
            let stageIndex = stages.firstIndex(of: job.stage) ?? stages.firstIndex(of: "test") ?? 0
            let earlierWithArtifacts = effective.filter {
                (stages.firstIndex(of: $0.stage) ?? 0) < stageIndex && $0.node["artifacts"]?.isMapping == true
            }.map(\.entry.key)
            let facts = GitLabJobFacts(builder: builder, name: job.entry.key, stage: job.stage, key: job.entry, node: job.node)
                .facts(earlierJobsWithArtifacts: earlierWithArtifacts)
            var configured = CIConfigJob(name: job.entry.key, stage: job.stage, file: job.entry.file, line: job.entry.line, facts: facts)
            configured.node = job.node
            jobs.append(configured)
        }
        // Templates count too: a job may echo a value its template holds.
        let scopes = [root] + (root.entries ?? []).map(\.value)
        for entry in scopes.flatMap({ $0["variables"]?.entries ?? [] }) where ConfigFactBuilder.isSecretName(entry.key) {
            if let value = Self.variableValue(entry.value) { secrets.insert(value) }
        }
        for index in jobs.indices {
            jobs[index].facts = ConfigFactBuilder.redact(jobs[index].facts, secrets: secrets)
        }
        return Result(stages: stages, jobs: jobs, root: root)
    }

    static func isJob(_ entry: ConfigEntry) -> Bool {
        !reservedKeys.contains(entry.key) && !entry.key.hasPrefix(".") && entry.value.isMapping
    }

    private static func mentionsInclude(_ text: String) -> Bool {
        EditableText.split(text).contains { $0.hasPrefix("include:") }
    }

    /// GitLab always runs `.pre` first and `.post` last, whatever `stages:` lists.
    static func stages(_ node: ConfigNode?) -> [String] {
        guard let listed = node?.stringList, !listed.isEmpty else { return defaultStages }
        var stages = listed.filter { $0 != ".pre" && $0 != ".post" }
        stages.insert(".pre", at: 0)
        stages.append(".post")
        return stages
    }

    /// A variable's value: written directly, or as `value:` of the expanded form.
    static func variableValue(_ node: ConfigNode?) -> String? {
        guard let node else { return nil }
        if node.isMapping { return node["value"]?.string ?? "" }
        return node.string ?? ""
    }

    // MARK: Includes

    private mutating func load(_ file: String, stack: [String]) throws(CIConfigError) -> ConfigNode {
        let text = try source.read(file)
        if texts[file] == nil {
            texts[file] = text
            files.append(file)
        }
        guard let document = try ConfigYAML.document(text, file: file) else {
            return .mapping([], file: file, line: 1, column: 1)
        }
        let node = try ConfigYAML.semantic(document, file: file)
        guard node.isMapping else {
            throw .notCIConfig(file: file, reason: "its top level is \(node.isSequence ? "a list" : "a single value"), not a mapping of keywords and jobs")
        }
        var merged = ConfigNode.mapping([], file: file, line: node.line, column: node.column)
        if let include = node["include"] {
            for (path, written) in localIncludes(include, in: file) {
                let targets: [String]
                if path.contains("*") {
                    targets = source.glob(path)
                    if targets.isEmpty {
                        notice("\(file):\(written.line): local include \(path) matches no file, so nothing was read from it")
                    }
                } else {
                    targets = [path]
                }
                for target in targets {
                    if stack.contains(target) || target == file {
                        notice("\(file):\(written.line): \(target) includes itself (through \((stack + [file]).joined(separator: " → "))); it was read once")
                        continue
                    }
                    guard source.exists(target) else {
                        notice("\(file):\(written.line): local include \(target) does not exist in \(source.root), so the jobs and settings it would add are missing")
                        continue
                    }
                    includeCount += 1
                    guard includeCount <= Self.maxIncludes else {
                        notice("\(file):\(written.line): more than \(Self.maxIncludes) includes (GitLab's limit); \(target) and later ones were not read")
                        continue
                    }
                    merged = ConfigNode.deepMerge(merged, try load(target, stack: stack + [file]))
                }
            }
        }
        return ConfigNode.deepMerge(merged, node.removing("include"))
    }

    /// Paths of local includes; every other kind of include is named in a notice, since its
    /// content lives outside the repository.
    private mutating func localIncludes(_ include: ConfigNode, in file: String) -> [(String, ConfigNode)] {
        var locals: [(String, ConfigNode)] = []
        for item in include.items ?? [include] {
            if let path = item.string {
                if path.hasPrefix("http://") || path.hasPrefix("https://") {
                    skipped("remote file \(path)", item)
                } else {
                    locals.append((ConfigSource.normalize(path), item))
                }
            } else if let local = item["local"], let path = local.string {
                locals.append((ConfigSource.normalize(path), local))
            } else if let remote = item["remote"]?.string {
                skipped("remote file \(remote)", item)
            } else if let template = item["template"]?.string {
                skipped("GitLab template \(template)", item)
            } else if let project = item["project"]?.string {
                let names = item["file"]?.stringList ?? []
                skipped("\(names.isEmpty ? "files" : names.joined(separator: ", ")) of project \(project)", item)
            } else if let component = item["component"]?.string {
                skipped("CI/CD component \(component)", item)
            } else {
                notice("\(item.file):\(item.line): an include entry logdx does not understand was skipped")
            }
        }
        return locals
    }

    private mutating func skipped(_ what: String, _ item: ConfigNode) {
        notice("\(item.file):\(item.line): the include of \(what) was not read (logdx reads only files in the repository), so the jobs and settings it adds are missing from this analysis")
    }

    private mutating func notice(_ message: String) {
        if !notices.contains(message) { notices.append(message) }
    }

    // MARK: extends and !reference

    private mutating func resolveExtends(_ root: ConfigNode) -> ConfigNode {
        guard var entries = root.entries else { return root }
        var byName: [String: ConfigEntry] = [:]
        for entry in entries where byName[entry.key] == nil { byName[entry.key] = entry }
        var cache: [String: ConfigNode] = [:]
        for index in entries.indices where !Self.reservedKeys.contains(entries[index].key) && entries[index].value.isMapping {
            if let resolved = extended(entries[index].key, byName, chain: [], cache: &cache) {
                entries[index].value = resolved
            }
        }
        var result = root
        result.content = .mapping(entries)
        return result
    }

    private mutating func extended(_ name: String, _ byName: [String: ConfigEntry], chain: [String], cache: inout [String: ConfigNode]) -> ConfigNode? {
        if let done = cache[name] { return done }
        guard let entry = byName[name], entry.value.isMapping else { return nil }
        guard let parents = entry.value["extends"] else {
            cache[name] = entry.value
            return entry.value
        }
        var base = ConfigNode.mapping([])
        for parent in parents.stringList {
            if chain.contains(parent) || parent == name {
                notice("\(parents.file):\(parents.line): \(name) extends \(parent), which extends \(name) again; the loop was cut there")
                continue
            }
            if chain.count >= 11 {
                notice("\(parents.file):\(parents.line): \(name) is more than 11 levels of extends deep (GitLab's limit); \(parent) was not applied")
                continue
            }
            guard let resolved = extended(parent, byName, chain: chain + [name], cache: &cache) else {
                notice("\(parents.file):\(parents.line): \(name) extends \(parent), which no file read defines, so the settings it would inherit are missing")
                continue
            }
            base = ConfigNode.deepMerge(base, resolved)
        }
        let result = ConfigNode.deepMerge(base, entry.value.removing("extends"))
        cache[name] = result
        return result
    }

    /// Replaces `!reference [.job, key, …]` with the value it names; a reference that yields a
    /// list inside a list (the usual `script:` case) is spliced in. Nil drops the node.
    mutating func resolveReferences(_ node: ConfigNode, root: ConfigNode, depth: Int) -> ConfigNode? {
        if node.isReference {
            let path = node.stringList
            guard depth < Self.maxReferenceDepth else {
                notice("\(node.file):\(node.line): !reference [\(path.joined(separator: ", "))] nests more than \(Self.maxReferenceDepth) levels deep (GitLab's limit) and was dropped")
                return nil
            }
            guard let target = Self.lookup(path, in: root) else {
                notice("\(node.file):\(node.line): !reference [\(path.joined(separator: ", "))] names nothing in the files read, so what it would insert is missing")
                return nil
            }
            return resolveReferences(target, root: root, depth: depth + 1)
        }
        switch node.content {
        case .scalar:
            return node
        case .mapping(let entries):
            var resolved: [ConfigEntry] = []
            for entry in entries {
                guard let value = resolveReferences(entry.value, root: root, depth: depth) else { continue }
                var copy = entry
                copy.value = value
                resolved.append(copy)
            }
            var copy = node
            copy.content = .mapping(resolved)
            return copy
        case .sequence(let items):
            var resolved: [ConfigNode] = []
            for item in items {
                guard let value = resolveReferences(item, root: root, depth: depth) else { continue }
                if item.isReference, let spliced = value.items {
                    resolved.append(contentsOf: spliced)
                } else {
                    resolved.append(value)
                }
            }
            var copy = node
            copy.content = .sequence(resolved)
            return copy
        }
    }

    static func lookup(_ path: [String], in root: ConfigNode) -> ConfigNode? {
        guard !path.isEmpty else { return nil }
        var node: ConfigNode? = root
        for key in path { node = node?[key] }
        return node
    }

    // MARK: default: and global variables

    /// The job with what it inherits: each `default:` key it does not set itself, and the global
    /// variables under its own, as `inherit:` allows.
    static func applyDefaults(_ job: ConfigNode, root: ConfigNode) -> ConfigNode {
        var result = job
        let inherit = job["inherit"]
        var defaults: [String: ConfigEntry] = [:]
        for key in globalDefaultKeys {
            if let entry = root.entry(key) { defaults[key] = entry }
        }
        for entry in root["default"]?.entries ?? [] { defaults[entry.key] = entry }
        for key in defaultKeys where job[key] == nil && inherits(inherit?["default"], key) {
            if let entry = defaults[key] {
                result = result.setting(key, entry.value, file: entry.file, line: entry.line, column: entry.column)
            }
        }
        let globals = (root["variables"]?.entries ?? []).filter { inherits(inherit?["variables"], $0.key) }
        let own = job["variables"]?.entries ?? []
        if !globals.isEmpty {
            var merged = globals
            for entry in own {
                if let index = merged.firstIndex(where: { $0.key == entry.key }) {
                    merged[index] = entry
                } else {
                    merged.append(entry)
                }
            }
            let written = job.entry("variables") ?? root.entry("variables")
            var variables = written?.value ?? .mapping([])
            variables.content = .mapping(merged)
            result = result.setting("variables", variables, file: written?.file ?? job.file, line: written?.line ?? 0, column: written?.column ?? 0)
        }
        return result
    }

    /// `inherit: default/variables:` is true, false, or the list of names to inherit.
    static func inherits(_ setting: ConfigNode?, _ key: String) -> Bool {
        guard let setting else { return true }
        if let flag = setting.string { return flag != "false" }
        if let names = setting.items { return names.contains { $0.string == key } }
        return true
    }
}
