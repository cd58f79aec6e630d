import Foundation

/// Reads GitHub Actions workflows: each job's env, caches, artifacts, needs and `run:` lines.
struct GitHubWorkflowReader {
    var source: ConfigSource
    private(set) var files: [String] = []
    private(set) var texts: [String: String] = [:]
    private(set) var notices: [String] = []

    init(source: ConfigSource) {
        self.source = source
    }

    static let cacheActions = ["actions/cache": "pull-push", "actions/cache/restore": "pull", "actions/cache/save": "push"]

    /// Whether a parsed file is a workflow: a `jobs:` mapping whose jobs look like GitHub's.
    static func isWorkflow(_ root: ConfigNode) -> Bool {
        guard let jobs = root["jobs"]?.entries else { return false }
        if root["on"] != nil { return true }
        return jobs.contains { $0.value["runs-on"] != nil || $0.value["steps"] != nil || $0.value["uses"] != nil }
    }

    /// `strict`: a single workflow was asked for, so its problems are errors; in a folder of
    /// workflows a broken one is skipped with a notice.
    mutating func read(_ workflows: [String], strict: Bool) throws(CIConfigError) -> [CIConfigJob] {
        var parsed: [(file: String, root: ConfigNode)] = []
        var firstError: CIConfigError?
        for file in workflows {
            do throws(CIConfigError) {
                let text = try source.read(file)
                guard let document = try ConfigYAML.document(text, file: file) else {
                    throw .notCIConfig(file: file, reason: "it is empty")
                }
                let root = try ConfigYAML.semantic(document, file: file)
                guard Self.isWorkflow(root) else {
                    throw .notCIConfig(file: file, reason: "it has no `jobs:` mapping of GitHub jobs")
                }
                texts[file] = text
                files.append(file)
                parsed.append((file, root))
            } catch {
                if strict { throw error }
                firstError = firstError ?? error
                notices.append("\(error.description); this workflow was skipped")
            }
        }
        if parsed.isEmpty, let firstError { throw firstError }

        let builder = ConfigFactBuilder(texts: texts)
        var jobs: [CIConfigJob] = []
        var secrets = Set<String>()
        for (file, root) in parsed {
            let workflowEnv = root["env"]?.entries ?? []
            let jobEntries = root["jobs"]?.entries ?? []
            let uploads = Self.uploadedArtifacts(jobEntries)
            for entry in jobEntries where entry.value.isMapping {
                let reader = GitHubJobFacts(builder: builder, file: file, key: entry, workflowEnv: workflowEnv, uploads: uploads)
                let facts = reader.facts()
                for variable in workflowEnv + (entry.value["env"]?.entries ?? []) + reader.stepEnv
                where ConfigFactBuilder.isSecretName(variable.key) {
                    if let value = variable.value.string { secrets.insert(value) }
                }
                var job = CIConfigJob(name: entry.key, stage: nil, file: entry.file, line: entry.line, facts: facts)
                job.node = entry.value
                job.displayName = entry.value["name"]?.string
                jobs.append(job)
            }
        }
        for index in jobs.indices {
            jobs[index].facts = ConfigFactBuilder.redact(jobs[index].facts, secrets: secrets)
        }
        return jobs
    }

    /// Artifact name → ids of the jobs uploading it, so downloads can say where they come from.
    private static func uploadedArtifacts(_ jobs: [ConfigEntry]) -> [String: [String]] {
        var uploads: [String: [String]] = [:]
        for job in jobs {
            for step in job.value["steps"]?.items ?? [] where action(step) == "actions/upload-artifact" {
                let name = step["with"]?["name"]?.string ?? "artifact"
                uploads[name, default: []].append(job.key)
            }
        }
        return uploads
    }

    /// `owner/repo[/path]` of a step's `uses:`, lower-cased, without the version.
    static func action(_ step: ConfigNode) -> String? {
        guard let uses = step["uses"]?.string else { return nil }
        return String(uses.split(separator: "@", maxSplits: 1).first ?? "").lowercased()
    }
}
